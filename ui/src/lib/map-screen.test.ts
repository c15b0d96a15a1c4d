import { describe, expect, it, vi } from "vitest";
import type { Backend, CommandError, Comparison, MapView, MenuAction, Portfolio, Result, Settings, SurveyPreview } from "./backend";
import { view } from "./fixtures";
import { MapScreen } from "./map-screen.svelte";

function comparison(after: string): Comparison {
  const none = { before: null, after: null, delta: null };
  return {
    before: "review 1",
    before_date: "2026-10-01",
    after,
    after_date: "2026-11-22",
    remembered: none,
    average: none,
    sla_compliance: none,
    model_note: null,
    steps_added: [],
    steps_removed: [],
    rescored: [],
    pain_opened: [],
    pain_resolved: [],
    agreements_moved: [],
    compliance_changed: [],
    commitments_done: [],
    commitments_overdue: [],
  };
}

/** A portfolio of one journey, read from `place`. */
function portfolio(place: string): Portfolio {
  return {
    place,
    today: "2026-12-02",
    journeys: [
      {
        source: "a.waymark",
        file: "/org/journeys/a.waymark",
        title: "A",
        steps: 3,
        volume: null,
        remembered: 3.5,
        average: 3.8,
        worst_weak_spot: null,
        review: { every_weeks: null, last_review: null, next_due: null, overdue_days: 0, message: "No review yet, and no review cadence set." },
        open_commitments: 0,
        overdue_commitments: 0,
      },
    ],
    departments: [],
    weak_spots: [],
    matrix: [],
    breached: [],
    skipped: [],
  };
}

/** A backend whose answers the test scripts, recording menu subscriptions. */
function surveyPreview(overall: string | null): SurveyPreview {
  return {
    file: "claim.csv",
    respondents: 60,
    columns: ["Respondent ID", "Final payment received", "Would recommend"],
    steps: [{ title: "Final payment received", n: 57, mean: 2.02, interval: [1.83, 2.21], before: 2.0 }],
    unbound: ["Respondent ID"],
    calibration: overall
      ? "Your customers' overall rating follows their worst moments and the end more than their average; fitted on 60 respondents, AUC 0.79 against 0.68 for the default model and 0.78 for the average alone (cross-validated)."
      : null,
    no_calibration: null,
    problem: null,
  };
}

function fakeBackend(current: Result<MapView, CommandError>, opens: Result<MapView | null, CommandError>[]) {
  let menu: ((a: MenuAction) => void) | null = null;
  let progress: ((read: number, total: number) => void) | null = null;
  let logCancelled = false;
  let release: (() => void) | null = null;
  let mapChanged: (() => void) | null = null;
  let launched: ((error: CommandError | null) => void) | null = null;
  let opened = 0;
  const backend: Backend = {
    currentMap: async () => current,
    changedMap: async () => current,
    exportPdf: async (paper) =>
      paper === "a4"
        ? { status: "error", error: { code: "io", message: "could not write /gone/report.pdf: No such file or directory" } }
        : { status: "ok", data: { file_name: "report.pdf", path: "/maps/report.pdf", bytes: 120000 } },
    openLastExport: async () => {
      opened += 1;
      return { status: "ok", data: null };
    },
    applyEdit: async (edit) =>
      edit.kind === "set_title" && edit.title === ""
        ? { status: "error", error: { code: "invalid", message: "title: must not be empty" } }
        : { status: "ok", data: { ...view(edit.kind === "set_title" ? edit.title : "edited"), undo: 1 } },
    amendEdit: async (edit) => ({ status: "ok", data: { ...view(`amended ${edit.kind}`), undo: 1 } }),
    importCsv: async () => ({ status: "error", error: { code: "invalid", message: "steps.csv: line 3: steps[22].score: 9.0 is outside 1.0..5.0; nothing was imported" } }),
    setFullscreen: async () => ({ status: "ok", data: null }),
    newMap: async (template) => ({ status: "ok", data: view(template ?? "Untitled journey") }),
    undo: async () => ({ status: "ok", data: { ...view("undone"), redo: 1 } }),
    redo: async () => ({ status: "ok", data: { ...view("redone"), undo: 1 } }),
    showArea: async () => ({ status: "ok", data: null }),
    stepArea: async () => null,
    showWholeRankings: async (whole) => ({ status: "ok", data: view(whole ? "whole rankings" : "first places") }),
    setSettings: async (settings: Settings) =>
      settings.end_weight > 1
        ? { status: "error", error: { code: "invalid", message: `settings.end_weight: ${settings.end_weight} is outside 0.0..1.0` } }
        : { status: "ok", data: { ...view("reweighted"), settings } },
    openMap: async () => opens.shift() ?? { status: "ok", data: null },
    takeReview: async (name) =>
      name.trim() === ""
        ? { status: "error", error: { code: "invalid", message: "a review needs a name (\"Spring review\")" } }
        : { status: "ok", data: view(`reviewed ${name}`) },
    compareReviews: async (before, after) =>
      before === 9
        ? { status: "error", error: { code: "invalid", message: "there is no review number 9" } }
        : { status: "ok", data: comparison(after === null ? "now" : `review ${after}`) },
    recentMaps: async () => [
      { path: "/maps/a.waymark", file_name: "a.waymark", title: "A", schedule: null, overdue: [], problem: null },
    ],
    openRecent: async (path) =>
      path === "/maps/a.waymark"
        ? { status: "ok", data: view("A") }
        : { status: "error", error: { code: "invalid", message: `${path} is not on the list of recent maps` } },
    saveCopy: async () => ({ status: "ok", data: { ...view("copy"), file_name: "copy.waymark" } }),
    choosePortfolio: async () => ({ status: "ok", data: portfolio("/org/journeys") }),
    launchPortfolio: async () => ({ status: "ok", data: null }),
    libraryPortfolio: async (url) =>
      url.includes("down")
        ? { status: "error", error: { code: "portfolio", message: "the library at down:5432 cannot be reached" } }
        : { status: "ok", data: portfolio("library journeys") },
    openPortfolioJourney: async (path) =>
      path === "/org/journeys/a.waymark"
        ? { status: "ok", data: view("A") }
        : { status: "error", error: { code: "invalid", message: `${path} is not a journey of the portfolio` } },
    recentLibraries: async () => ["postgres://ann@db.example/journeys"],
    libraryMaps: async (url, password) =>
      url.includes("db.example") && password !== "right"
        ? { status: "error", error: { code: "password", message: "the library at ann@db.example:5432/journeys needs a password for user \"ann\"" } }
        : { status: "ok", data: [{ id: "licence", title: "Licence renewal", steps: 14, last_edit: "2026-12-01 09:00", last_editor: "bo", next_review: null }] },
    openLibraryMap: async (_url, map) =>
      map === "licence"
        ? { status: "ok", data: { ...view("Licence renewal"), path: "ann@db.example:5432/journeys#licence" } }
        : { status: "error", error: { code: "library", message: `the library has no map "${map}"` } },
    onMapChanged: async (handler) => {
      mapChanged = handler;
      return () => (mapChanged = null);
    },
    onMenu: async (handler) => {
      menu = handler;
      return () => (menu = null);
    },
    previewLog: async () => {
      progress?.(50, 200);
      // The read goes on until the test lets it finish or cancels it.
      await new Promise<void>((done) => (release = done));
      if (logCancelled) return { status: "error", error: { code: "cancelled", message: "cancelled" } };
      return {
        status: "ok",
        data: {
          file: "claims.xes.gz",
          cases: 240,
          events: 3138,
          time_span: ["2025-01-06T12:01:41Z", "2025-11-18T03:28:29Z"],
          time_basis: "start",
          bound: [{ activity: "Adjuster visit", step: "Adjuster visit", count: 560 }],
          unbound: [{ activity: "Pay the claim", step: null, count: 240 }],
          unlogged: [],
          changes: [{ what: "Agreement Call notes → Adjuster visit", before: "took 45 min against 60 min promised", after: "kept its 60 min promise on 2% of 240 handoffs (1%–5%, target 90%); median 36.6 hours, p90 5.1 days" }],
        },
      };
    },
    cancelLog: async () => {
      logCancelled = true;
      release?.();
    },
    applyLog: async () => ({ status: "ok", data: { ...view("measured"), undo: 1 } }),
    onLogProgress: async (handler) => {
      progress = handler;
      return () => (progress = null);
    },
    chooseSurvey: async (choices) => ({ status: "ok", data: surveyPreview(choices.overall) }),
    previewSurvey: async (choices) =>
      choices.scale === "5-1"
        ? { status: "error", error: { code: "invalid", message: "the scale: the scale 5-1 must run from a lower number to a higher one; the map is unchanged" } }
        : { status: "ok", data: surveyPreview(choices.overall) },
    applySurvey: async () => ({ status: "ok", data: { ...view("surveyed"), undo: 1 } }),
    applyWeights: async () => ({ status: "ok", data: { ...view("fitted"), undo: 2 } }),
    rankingCertainty: async () => ({
      status: "ok",
      data: {
        lines: ["Final payment received is first in 64% of 1000 resamples (60 respondents of claim.csv)."],
        steps: [["final_payment", "first in 64%, top three in 100% of resamples; ranks 1–2"]],
        none: null,
        segments: [["web (31 respondents): Closing letter, Final payment received first, not the whole journey's", true]],
      },
    }),
    about: async () => ({ version: "0.1.0", commit: "0123456789ab" }),
    onOpenedByLaunch: async (handler) => {
      launched = handler;
      return () => (launched = null);
    },
  };
  return {
    backend,
    finishLog: () => release?.(),
    pickMenu: (a: MenuAction) => menu?.(a),
    /** Waymark launched again: the shell opened `next` (or refused with an error). */
    launchAgain: (next: Result<MapView, CommandError>) => {
      if (next.status === "ok") current = next;
      launched?.(next.status === "error" ? next.error : null);
    },
    opened: () => opened,
    changeElsewhere: (next: Result<MapView, CommandError>) => {
      current = next;
      mapChanged?.();
    },
  };
}

describe("MapScreen", () => {
  it("opens a library's map after asking for the password the server wants, and follows edits made elsewhere", async () => {
    const fake = fakeBackend({ status: "ok", data: view("licence") }, []);
    const screen = new MapScreen(fake.backend);
    await screen.load();
    await screen.followChanges();
    await screen.followMenu();
    fake.pickMenu("open_library");
    await vi.waitFor(() => expect(screen.libraryOpen).toBe(true));
    expect(screen.libraries).toEqual(["postgres://ann@db.example/journeys"]);
    await screen.listLibrary("postgres://ann@db.example/journeys", null);
    expect(screen.passwordWanted).toBe(true);
    expect(screen.libraryError).toContain("needs a password");
    await screen.listLibrary("postgres://ann@db.example/journeys", "right");
    expect(screen.passwordWanted).toBe(false);
    expect(screen.libraryMaps?.map((m) => m.id)).toEqual(["licence"]);
    await screen.openLibraryMap("postgres://ann@db.example/journeys", "gone", "right");
    expect(screen.libraryError).toContain("no map \"gone\"");
    expect(screen.libraryOpen).toBe(true);
    await screen.openLibraryMap("postgres://ann@db.example/journeys", "licence", "right");
    expect(screen.libraryOpen).toBe(false);
    expect(screen.view?.title).toBe("Licence renewal");
    // Another window's edit reaches the library: the window fetches the map.
    fake.changeElsewhere({ status: "ok", data: { ...view("Renamed by Bo"), path: "ann@db.example:5432/journeys#licence" } });
    await vi.waitFor(() => expect(screen.view?.title).toBe("Renamed by Bo"));
  });

  it("deletes a step only once asked and confirmed, and forgets the question on another card", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("licence") }, []);
    const sent: unknown[] = [];
    const apply = backend.applyEdit;
    backend.applyEdit = async (edit) => (sent.push(edit), apply(edit));
    const screen = new MapScreen(backend);
    await screen.load();
    screen.select("s1");
    await screen.deleteSelected();
    expect(sent).toEqual([]);
    screen.deleteAsked = "s1";
    screen.select("s2");
    expect(screen.deleteAsked).toBeNull();
    screen.deleteAsked = "s2";
    await screen.deleteSelected();
    expect(sent).toEqual([{ kind: "delete_step", id: "s2" }]);
    expect(screen.selected).toBeNull();
    expect(screen.deleteAsked).toBeNull();
  });

  it("sends a refining edit (the .5 after a score key) as an amendment, other edits as new ones", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("licence") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.edit({ kind: "vote", id: "p", delta: 1, participant: null });
    expect(screen.view?.title).toBe("edited");
    await screen.edit({ kind: "vote", id: "p", delta: 1, participant: null }, true);
    expect(screen.view?.title).toBe("amended vote");
  });

  it("shows the start-up map", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("licence") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    expect(screen.view?.title).toBe("licence");
    expect(screen.error).toBeNull();
  });

  it("opened on a portfolio alone shows no map and no error, and closing the portfolio shows the recent maps", async () => {
    const { backend } = fakeBackend({ status: "error", error: { code: "no_map", message: "no map is open; choose File › Open…" } }, []);
    backend.launchPortfolio = async () => ({ status: "ok", data: portfolio("/org/journeys") });
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.showPortfolio(true);
    expect(screen.view).toBeNull();
    expect(screen.error).toBeNull();
    expect(screen.portfolioOpen).toBe(true);
    await screen.closePortfolio();
    expect(screen.portfolioOpen).toBe(false);
    expect(screen.homeOpen).toBe(true);
  });

  it("keeps the map it had when a bad file is chosen, and shows the error", async () => {
    const bad: CommandError = { code: "not_a_map", message: "x.waymark: not an SQLite database" };
    const { backend } = fakeBackend({ status: "ok", data: view("licence") }, [{ status: "error", error: bad }]);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.open();
    expect(screen.view?.title).toBe("licence");
    expect(screen.error).toEqual(bad);
  });

  it("replaces the map and clears the error when a good file is chosen", async () => {
    const bad: CommandError = { code: "too_new", message: "newer" };
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, [
      { status: "error", error: bad },
      { status: "ok", data: view("b") },
    ]);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.open();
    await screen.open();
    expect(screen.view?.title).toBe("b");
    expect(screen.error).toBeNull();
  });

  it("leaves everything as it was when the dialog is cancelled", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, [{ status: "ok", data: null }]);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.open();
    expect(screen.view?.title).toBe("a");
  });

  it("opens a file when File › Open is picked in the menu", async () => {
    const { backend, pickMenu } = fakeBackend({ status: "ok", data: view("a") }, [{ status: "ok", data: view("b") }]);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.followMenu();
    pickMenu("open");
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.view?.title).toBe("b");
  });

  it("shows why the start-up map did not open", async () => {
    const err: CommandError = { code: "not_found", message: "/gone.waymark: no such file" };
    const { backend } = fakeBackend({ status: "error", error: err }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    expect(screen.view).toBeNull();
    expect(screen.error?.code).toBe("not_found");
  });

  it("applies new weights and shows the recomputed map", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    const ok = await screen.applySettings({ end_weight: 0.8, negativity: 2.25, standard: 4 });
    expect(ok).toBe(true);
    expect(screen.view?.settings.end_weight).toBe(0.8);
  });

  it("refuses weights out of range and keeps the figures it had", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    const ok = await screen.applySettings({ end_weight: 3, negativity: 2.25, standard: 4 });
    expect(ok).toBe(false);
    expect(screen.view?.title).toBe("a");
    expect(screen.error?.code).toBe("invalid");
  });

  it("forgets the selection when another map opens", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, [{ status: "ok", data: view("b") }]);
    const screen = new MapScreen(backend);
    await screen.load();
    screen.select("photo_line");
    expect(screen.selected).toBe("photo_line");
    await screen.open();
    expect(screen.selected).toBeNull();
  });

  it("exports a PDF, offers it, and opens it when asked", async () => {
    const { backend, opened } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    screen.exportOpen = true;
    await screen.exportPdf("a3", true);
    expect(screen.exported?.file_name).toBe("report.pdf");
    expect(screen.exportOpen).toBe(false);
    expect(screen.exporting).toBe(false);
    expect(opened()).toBe(1);
  });

  it("shows an export failure and keeps the panel open", async () => {
    const { backend, opened } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    screen.exportOpen = true;
    await screen.exportPdf("a4", true);
    expect(screen.error?.code).toBe("io");
    expect(screen.exportOpen).toBe(true);
    expect(screen.exported).toBeNull();
    expect(opened()).toBe(0);
  });

  it("opens the export panel from File › Export PDF", async () => {
    const { backend, pickMenu } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.followMenu();
    pickMenu("export_pdf");
    expect(screen.exportOpen).toBe(true);
  });

  it("applies an edit and shows the map it gives", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    expect(await screen.edit({ kind: "set_title", title: "Renamed" })).toBe(true);
    expect(screen.view?.title).toBe("Renamed");
    expect(screen.view?.undo).toBe(1);
  });

  it("refuses an invalid edit with its reason and keeps the map", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    expect(await screen.edit({ kind: "set_title", title: "" })).toBe(false);
    expect(screen.view?.title).toBe("a");
    expect(screen.error?.message).toContain("must not be empty");
  });

  it("undoes and redoes", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.undo();
    expect(screen.view?.title).toBe("a"); // nothing to undo yet
    await screen.edit({ kind: "set_title", title: "b" });
    await screen.undo();
    expect(screen.view?.title).toBe("undone");
    await screen.redo();
    expect(screen.view?.title).toBe("redone");
  });

  it("shows the map a second launch opened as a newly opened map, and a refused one over the map it keeps", async () => {
    const fake = fakeBackend({ status: "ok", data: view("first") }, []);
    const screen = new MapScreen(fake.backend);
    await screen.load();
    await screen.followLaunches();
    screen.select("s1");
    await screen.showHome();
    fake.launchAgain({ status: "ok", data: view("second") });
    await vi.waitFor(() => expect(screen.view?.title).toBe("second"));
    expect(screen.selected).toBeNull();
    expect(screen.homeOpen).toBe(false);
    fake.launchAgain({ status: "error", error: { code: "invalid", message: "/tmp/x.waymark: not a Waymark map" } });
    await vi.waitFor(() => expect(screen.error?.message).toContain("not a Waymark map"));
    expect(screen.view?.title).toBe("second");
  });

  it("says the release and the commit in Help › About", async () => {
    const { backend, pickMenu } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.followMenu();
    pickMenu("about");
    await vi.waitFor(() => expect(screen.about).toEqual({ version: "0.1.0", commit: "0123456789ab" }));
  });

  it("shows a refused CSV import by its line and keeps the map", async () => {
    const { backend, pickMenu } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.followMenu();
    pickMenu("import_csv");
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.error?.message).toContain("line 3");
    expect(screen.view?.title).toBe("a");
  });

  it("reads an event log with its progress, previews it, and applies it as one edit; a cancelled read shows no error", async () => {
    const { backend, pickMenu, finishLog } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.followMenu();
    pickMenu("import_log");
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.logImport).toEqual({ reading: true, progress: 0.25, preview: null });
    finishLog();
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.logImport?.reading).toBe(false);
    expect(screen.logImport?.preview?.cases).toBe(240);
    expect(await screen.applyLog()).toBe(true);
    expect(screen.logImport).toBeNull();
    expect(screen.view?.undo).toBe(1);

    const reading = screen.importLog();
    await new Promise((r) => setTimeout(r, 0));
    await screen.cancelLogRead();
    await reading;
    expect(screen.logImport).toBeNull();
    expect(screen.error).toBeNull();
  });

  it("previews a survey, reads it again with an overall column, applies the scores and the weights as one edit each", async () => {
    const { backend, pickMenu } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.followMenu();
    pickMenu("import_survey");
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.surveyImport?.preview.respondents).toBe(60);
    expect(screen.surveyImport?.preview.calibration).toBeNull();
    expect(await screen.previewSurvey({ scale: "1-5", na: "0", overall: "Would recommend", positive: "yes", segment: "Channel" })).toBe(true);
    expect(screen.surveyImport?.preview.calibration).toContain("fitted on 60 respondents");
    // A refused choice keeps the last preview and says why.
    expect(await screen.previewSurvey({ scale: "5-1", na: "0", overall: null, positive: null, segment: null })).toBe(false);
    expect(screen.error?.message).toContain("must run from a lower number");
    expect(screen.surveyImport?.choices.overall).toBe("Would recommend");
    expect(await screen.applySurvey()).toBe(true);
    expect(screen.surveyImport?.applied).toBe(true);
    expect(await screen.applyWeights()).toBe(true);
    expect(screen.view?.undo).toBe(2);
  });

  it("says how sure the ranking is until the map changes", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.measureCertainty();
    expect(screen.certainty?.lines[0]).toContain("first in 64%");
    expect(screen.certainty?.steps[0]).toEqual(["final_payment", "first in 64%, top three in 100% of resamples; ranks 1–2"]);
    expect(screen.certainty?.segments[0]?.[1]).toBe(true);
    await screen.applySurvey();
    expect(screen.certainty).toBeNull();
  });

  it("creates a new map and shows it", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    screen.newOpen = true;
    screen.select("x");
    await screen.newMap(null);
    expect(screen.view?.title).toBe("Untitled journey");
    expect(screen.newOpen).toBe(false);
    expect(screen.selected).toBeNull();
  });

  it("takes a review, refuses one without a name, and compares with now", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    expect(await screen.takeReview(" ", [])).toBe(false);
    expect(screen.error?.message).toContain("needs a name");
    expect(screen.view?.title).toBe("a");
    expect(await screen.takeReview("Spring", ["Ann"])).toBe(true);
    expect(screen.view?.title).toBe("reviewed Spring");
    await screen.compare(1, null);
    expect(screen.comparison?.after).toBe("now");
    await screen.compare(9, null);
    expect(screen.error?.message).toContain("no review number 9");
    expect(screen.comparison?.after).toBe("now");
    // An edit outdates a comparison with now; one between two reviews stays.
    await screen.edit({ kind: "set_title", title: "b" });
    expect(screen.comparison).toBeNull();
    await screen.compare(1, 2);
    await screen.edit({ kind: "set_title", title: "c" });
    expect(screen.comparison?.after).toBe("review 2");
    // Another map's reviews are not this map's.
    await screen.newMap(null);
    expect(screen.comparison).toBeNull();
  });

  it("opens a map from the home screen and closes it", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.showHome();
    expect(screen.homeOpen).toBe(true);
    expect(screen.recent.map((r) => r.title)).toEqual(["A"]);
    await screen.openRecent("/elsewhere.waymark");
    expect(screen.error?.message).toContain("not on the list");
    expect(screen.homeOpen).toBe(true);
    await screen.openRecent("/maps/a.waymark");
    expect(screen.view?.title).toBe("A");
    expect(screen.homeOpen).toBe(false);
  });

  it("shows a read-only map, relays the refusal of an edit, and continues in a saved copy", async () => {
    const readOnly: MapView = {
      ...view("held"),
      read_only: { reason: "open_elsewhere", message: "another Waymark window has this map open; it is open read-only" },
    };
    const refusal: CommandError = { code: "read_only", message: "held.waymark: the change was not saved: another Waymark window has this map open" };
    const { backend } = fakeBackend({ status: "ok", data: readOnly }, []);
    backend.applyEdit = async () => ({ status: "error", error: refusal });
    const screen = new MapScreen(backend);
    await screen.load();
    expect(screen.readOnly).toBe(true);
    screen.select("s1");
    expect(await screen.edit({ kind: "set_title", title: "mine" })).toBe(false);
    expect(screen.error).toEqual(refusal);
    expect(screen.view?.title).toBe("held");
    await screen.saveCopy();
    expect(screen.readOnly).toBe(false);
    expect(screen.view?.file_name).toBe("copy.waymark");
    expect(screen.error).toBeNull();
    expect(screen.selected).toBe("s1"); // the same map, so the selection stays
  });

  it("hands each drawing to the screen in order, and asks for the whole one when changes do not fit", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    let currentCalls = 0;
    const current = backend.currentMap;
    backend.currentMap = async () => {
      currentCalls += 1;
      return current();
    };
    backend.applyEdit = async () => ({
      status: "ok",
      data: { ...view("edited"), drawing: { kind: "changes", version: 9, base: 8, parts: [] } },
    });
    const screen = new MapScreen(backend);
    const shown: string[] = [];
    let have: number | null = null;
    screen.onDrawing = (d) => {
      shown.push(d.kind);
      if (d.kind === "changes" && d.base !== have) return false;
      have = d.version;
      return true;
    };
    await screen.load();
    expect(shown).toEqual(["whole"]);
    await screen.edit({ kind: "set_title", title: "x" });
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual(["whole", "changes", "whole"]);
    expect(currentCalls).toBe(2); // the start-up load, then the redraw
    expect(screen.view?.title).toBe("a");
  });

  it("puts back what an edit's view left out from the view it has, and asks for the whole view when it has another", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    let currentCalls = 0;
    const current = backend.currentMap;
    backend.currentMap = async () => ((currentCalls += 1), current());
    const have = view("a");
    const kept = { steps: [], flows: true, pain_points: true, problems: true, agreements: false };
    let base = have.drawing.version;
    backend.applyEdit = async () => ({
      status: "ok",
      data: { ...view("edited"), problems: [], kept: { ...kept, base } },
    });
    const screen = new MapScreen(backend);
    screen.onDrawing = () => true;
    await screen.load();
    const problems = screen.view?.problems;
    await screen.edit({ kind: "set_title", title: "edited" });
    expect(screen.view?.title).toBe("edited");
    expect(screen.view?.problems).toBe(problems);
    expect(screen.view?.kept).toBeNull();
    expect(currentCalls).toBe(1);
    // Left out of a view this window does not have: the whole view again.
    base = 41;
    await screen.edit({ kind: "set_title", title: "edited" });
    await new Promise((r) => setTimeout(r, 0));
    expect(currentCalls).toBe(2);
    expect(screen.view?.title).toBe("a");
  });

  it("takes a map others changed as changes to the drawing it has, not the whole drawing again", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("a") }, []);
    let currentCalls = 0;
    const current = backend.currentMap;
    backend.currentMap = async () => ((currentCalls += 1), current());
    backend.changedMap = async () => ({
      status: "ok",
      data: { ...view("voted"), drawing: { kind: "changes", version: 2, base: 1, parts: [] } },
    });
    const screen = new MapScreen(backend);
    const shown: string[] = [];
    screen.onDrawing = (d) => (shown.push(d.kind), true);
    await screen.load();
    await screen.refresh();
    expect(shown).toEqual(["whole", "changes"]);
    expect(currentCalls).toBe(1);
    expect(screen.view?.title).toBe("voted");
  });

  it("tells the shell what it shows of a map drawn by area, one ask at a time, and shows what comes into view", async () => {
    const { backend } = fakeBackend({ status: "ok", data: { ...view("large"), drawn_by_area: true } }, []);
    const asked: number[] = [];
    let answer: (() => void) | null = null;
    let version = 1;
    backend.showArea = async (port) => {
      asked.push(port.x);
      await new Promise<void>((r) => (answer = r));
      version += 1;
      return { status: "ok", data: { kind: "changes", version, base: version - 1, parts: [] } };
    };
    const screen = new MapScreen(backend);
    const shown: number[] = [];
    screen.onDrawing = (d) => (shown.push(d.version), true);
    await screen.load();
    const port = (x: number) => ({ x, y: 0, width: 1000, height: 800 });
    const first = screen.showArea(port(100));
    // Scrolled on while the first is asked: only the last port follows it.
    void screen.showArea(port(200));
    void screen.showArea(port(300));
    expect(asked).toEqual([100]);
    (answer as unknown as () => void)();
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual([100, 300]);
    (answer as unknown as () => void)();
    await first;
    expect(shown).toEqual([1, 2, 3]);
    // The view holds the drawing's version, which the next edit's answer is made against.
    expect(screen.view?.drawing.version).toBe(3);
  });

  it("asks for the figures an edit's answer left to follow, one ask at a time", async () => {
    const { backend } = fakeBackend({ status: "ok", data: { ...view("large"), drawn_by_area: true } }, []);
    backend.applyEdit = async () => ({ status: "ok", data: { ...view("scored"), drawn_by_area: true, figures_follow: true } });
    let asks = 0;
    let answer: (() => void) | null = null;
    backend.changedMap = async () => {
      asks += 1;
      await new Promise<void>((r) => (answer = r));
      return { status: "ok", data: { ...view(`figures ${asks}`), drawn_by_area: true } };
    };
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.edit({ kind: "set_title", title: "x" });
    expect(screen.view?.title).toBe("scored");
    expect(asks).toBe(1);
    // Two more edits while the figures are asked for: one more ask, after it.
    await screen.edit({ kind: "set_title", title: "y" });
    await screen.edit({ kind: "set_title", title: "z" });
    expect(asks).toBe(1);
    (answer as unknown as () => void)();
    await new Promise((r) => setTimeout(r, 0));
    expect(asks).toBe(2);
    (answer as unknown as () => void)();
    await new Promise((r) => setTimeout(r, 0));
    expect(asks).toBe(2);
    expect(screen.view?.title).toBe("figures 2");
  });

  it("drops an answer made before one it has taken, when the two arrive the other way round", async () => {
    const { backend } = fakeBackend({ status: "ok", data: { ...view("large"), drawing: { kind: "whole", version: 1, svg: "<svg/>" } } }, []);
    const changes = (title: string, version: number) => ({
      status: "ok" as const,
      data: { ...view(title), drawing: { kind: "changes" as const, version, base: version - 1, parts: [] } },
    });
    const screen = new MapScreen(backend);
    let held = 0;
    const shown: number[] = [];
    screen.onDrawing = (d) => {
      shown.push(d.version);
      if (d.kind === "whole" || d.base === held) {
        held = d.version;
        return true;
      }
      return false;
    };
    await screen.load();
    // The figures (version 2) were made before the edit (version 3), but arrive after it.
    backend.applyEdit = async () => changes("edited", 3);
    backend.currentMap = async () => ({ status: "ok", data: { ...view("edited"), drawing: { kind: "whole", version: 4, svg: "<svg/>" } } });
    await screen.edit({ kind: "set_title", title: "edited" });
    backend.changedMap = async () => changes("figures of the map before", 2);
    await screen.refresh();
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([1, 3, 4]);
    expect(screen.view?.title).toBe("edited");
  });

  it("asks nothing of a map drawn whole", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("small") }, []);
    let asked = 0;
    backend.showArea = async () => ((asked += 1), { status: "ok", data: null });
    const screen = new MapScreen(backend);
    await screen.load();
    await screen.showArea({ x: 0, y: 0, width: 10, height: 10 });
    expect(asked).toBe(0);
  });
});

describe("the portfolio screen", () => {
  it("shows a chosen folder's journeys and opens one, closing the screen", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("start") }, []);
    const screen = new MapScreen(backend);
    await screen.showPortfolio();
    expect(screen.portfolioOpen).toBe(true);
    await screen.choosePortfolio();
    expect(screen.portfolio?.place).toBe("/org/journeys");
    await screen.openJourney("/org/journeys/a.waymark");
    expect(screen.view?.title).toBe("A");
    expect(screen.portfolioOpen).toBe(false);
  });

  it("says why a library cannot be read, and keeps the portfolio it had", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("start") }, []);
    const screen = new MapScreen(backend);
    await screen.choosePortfolio();
    await screen.libraryPortfolio("postgres://ann@down/journeys");
    expect(screen.portfolioError).toContain("cannot be reached");
    expect(screen.portfolio?.place).toBe("/org/journeys");
  });

  it("opens at launch only when the app was started with --portfolio", async () => {
    const { backend } = fakeBackend({ status: "ok", data: view("start") }, []);
    const screen = new MapScreen(backend);
    await screen.showPortfolio(true);
    expect(screen.portfolioOpen).toBe(false);
  });
});
