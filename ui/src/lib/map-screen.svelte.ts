// What the main screen shows: the open map and the last error. Opening a file
// replaces the map only when it succeeds; a failure is shown beside the map
// the user already had.
import type {
  About,
  Area,
  Backend,
  CommandError,
  Comparison,
  Edit,
  Exported,
  LibraryMapView,
  LogPreview,
  MapView,
  PaperChoice,
  Portfolio,
  RankingCertainty,
  RecentMap,
  Result,
  Settings,
  SurveyChoices,
  SurveyPreview,
} from "./backend";
import type { Focus } from "./filter";
import { restoreKept } from "./kept";

export class MapScreen {
  /** Replaced whole by each answer and never changed in place, so it is not
   * made deeply reactive: a 10,000-step map would otherwise get a proxy per
   * step and per field on every edit. */
  view: MapView | null = $state.raw(null);
  error: CommandError | null = $state(null);
  busy = $state(false);
  /** The export panel is showing. */
  exportOpen = $state(false);
  /** A report is being written. */
  exporting = $state(false);
  /** The last report written, for the "open it" offer. */
  exported: Exported | null = $state(null);
  /** Whose steps and pain points stand out: everyone's, a department's, an owner's. */
  focus: Focus = $state({ kind: "all" });
  /** Presentation mode: full screen, large type, high contrast. */
  presenting = $state(false);
  /** The step the user picked, in the panel or on the map. */
  selected: string | null = $state(null);
  /** The participant whose dots and ratings the window places; `null` for unnamed votes. */
  voter: string | null = $state(null);
  /** Counts failed commands, so fields holding a refused value can reset to the map's. */
  refusals = $state(0);
  /** What the side panel shows besides the weak spots. */
  sideTab: "step" | "structure" | "workshop" | "agreements" | "review" = $state("step");
  /** The home screen (recent maps) is showing. */
  homeOpen = $state(false);
  /** The portfolio screen, and the portfolio it shows. */
  portfolioOpen = $state(false);
  portfolio = $state.raw<Portfolio | null>(null);
  /** Why the last portfolio could not be read, shown on its screen. */
  portfolioError = $state<string | null>(null);
  /** The "Open from library" screen: the libraries opened lately, the
   * maps of the one asked, and whether the server wants a password. */
  libraryOpen = $state(false);
  libraries: string[] = $state([]);
  libraryMaps = $state.raw<LibraryMapView[] | null>(null);
  libraryError = $state<string | null>(null);
  passwordWanted = $state(false);
  /** File › Import event log…: reading (with how far, 0–1), then the
   * preview of what applying it would change; `null` when not showing. */
  logImport: { reading: boolean; progress: number; preview: LogPreview | null } | null = $state(null);
  /** File › Import survey…: the choices made and what the survey would change. */
  surveyImport: { choices: SurveyChoices; preview: SurveyPreview; applied: boolean } | null = $state(null);
  /** How sure the ranking is, for the map as it was when asked; cleared by any change. */
  certainty: RankingCertainty | null = $state(null);
  /** Whether the resampling is running. */
  certaintyRunning = $state(false);
  /** The maps on the home screen, as last asked. */
  recent: RecentMap[] = $state([]);
  /** The comparison the Review tab shows; `null` shows "since the last review". */
  comparison: Comparison | null = $state(null);
  /** The comparison shown is with the map as it is, so any change outdates it. */
  private comparedWithNow = false;

  /** Shows each drawing the shell sends, in order (the page's drawing
   * surface); false when it holds changes to a drawing not on screen. */
  onDrawing: ((drawing: MapView["drawing"]) => boolean) | null = null;

  /** Called when the window takes another map (the room closes then). */
  onAnotherMap: (() => Promise<void>) | null = null;

  constructor(private readonly backend: Backend) {}

  /** Loads whatever the shell has open (the start-up map). */
  async load(): Promise<void> {
    const result = await this.backend.currentMap();
    // Opened on a portfolio alone: no map, and nothing wrong.
    if (result.status === "error" && result.error.code === "no_map") return;
    this.adopt(result);
  }

  /** Closes the portfolio; with no map open, the recent maps show instead. */
  async closePortfolio(): Promise<void> {
    this.portfolioOpen = false;
    if (!this.view) await this.showHome();
  }

  /** Whether `drawing` is changes made before the drawing the window
   * took last; else it becomes the newest. A whole drawing always comes
   * in (another map's versions start again). */
  private superseded(drawing: MapView["drawing"]): boolean {
    if (drawing.kind === "changes" && drawing.version <= this.newest) return true;
    this.newest = drawing.version;
    return false;
  }
  private newest = 0;

  /** Fetches the map again after others changed it (phones in the room,
   * another window through the library): the drawing comes as the pieces
   * that changed, like after the window's own edits. */
  async refresh(): Promise<void> {
    // One ask at a time: asks that come meanwhile (a burst of edits, the
    // room's pulses) make one more once it is answered.
    this.refreshAgain = true;
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      while (this.refreshAgain) {
        this.refreshAgain = false;
        const result = await this.backend.changedMap();
        if (result.status === "ok") this.adopt(result);
      }
    } finally {
      this.refreshing = false;
    }
  }
  private refreshing = false;
  private refreshAgain = false;

  /** The window shows `port` of the drawing now (scrolled, zoomed,
   * resized). A map drawn by area gets what came into view; on others this
   * asks nothing. One ask at a time: ports that come meanwhile wait, and
   * only the last is asked. */
  async showArea(port: Area): Promise<void> {
    if (!this.view?.drawn_by_area) return;
    this.nextPort = port;
    if (this.askingArea) return;
    this.askingArea = true;
    try {
      for (let p: Area | null = this.nextPort; p; p = this.nextPort) {
        this.nextPort = null;
        const result = await this.backend.showArea(p);
        if (result.status !== "ok" || !result.data || !this.view) continue;
        if (this.superseded(result.data)) continue;
        if (this.onDrawing && !this.onDrawing(result.data)) {
          void this.redraw();
          continue;
        }
        // The view holds the drawing's version, which the next answer's
        // changes and left-out parts are made against.
        this.view = { ...this.view, drawing: result.data };
      }
    } finally {
      this.askingArea = false;
    }
  }
  private nextPort: Area | null = null;
  private askingArea = false;

  /** Where step `id`'s card is drawn (`null`: no such step), to scroll to
   * a card the drawing does not hold yet. */
  stepArea(id: string): Promise<Area | null> {
    return this.backend.stepArea(id);
  }

  /** Asks for the whole drawing again, when changes arrived for a drawing
   * the window does not have. */
  private async redraw(): Promise<void> {
    const result = await this.backend.currentMap();
    if (result.status === "ok") this.adopt(result);
  }

  /** Shows what a command answered: its map, or its error beside the map
   * the window already had. `null` data is a cancelled dialog. True when a
   * map was taken; `another` when it is a different map (selection resets). */
  private adopt(result: Result<MapView | null, CommandError>, another = false): boolean {
    if (result.status === "error") {
      this.error = result.error;
      this.refusals += 1;
      return false;
    }
    if (!result.data) return false;
    // An answer made before one the window already took (the shell makes
    // them one after the other, but a command answered off the main thread
    // can arrive after one answered on it) is older than what is shown.
    if (this.superseded(result.data.drawing)) return true;
    // The parts the answer left out as unchanged, from the view the window
    // has; a window without that view asks for the whole one.
    const data = restoreKept(this.view, result.data);
    if (!data) {
      void this.redraw();
      return true;
    }
    // Another file in the window: a room open for the last one closes.
    if (this.view && data.path !== this.view.path) void this.onAnotherMap?.();
    // The drawing goes to the screen as it arrives, before anything else can
    // answer: each change list applies to the drawing of the answer before.
    if (this.onDrawing && !this.onDrawing(data.drawing)) void this.redraw();
    this.view = data;
    this.error = null;
    // An edit on a large map is answered before its analysis: the figures
    // come next.
    if (data.figures_follow) void this.refresh();
    // Certainty was of the map before this answer.
    this.certainty = null;
    if (another) this.selected = null;
    // A comparison with "now", or with another map's reviews, is stale once the map changes.
    if (another || this.comparedWithNow) this.comparison = null;
    // A voter who left the workshop (or another map's voter) votes no more.
    if (this.voter && !(this.view.map.workshop?.participants ?? []).includes(this.voter)) this.voter = null;
    return true;
  }

  /** Lets the user choose a file; keeps the current map if it fails. */
  async open(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.adopt(await this.backend.openMap(), true);
    } finally {
      this.busy = false;
    }
  }

  /** Edits in flight: the window shows "Saving…" until they are stored. */
  pending = $state(0);

  /** Applies an edit; a refused one leaves the map as it was and says why.
   * With `amend`, the edit refines the last one and shares its undo step. */
  async edit(edit: Edit, amend = false): Promise<boolean> {
    return this.track(amend ? this.backend.amendEdit(edit) : this.backend.applyEdit(edit));
  }

  /** Places (+1) or takes back (−1) a dot on a pain point, as the current voter. */
  async vote(id: string, delta: number): Promise<boolean> {
    return this.edit({ kind: "vote", id, delta, participant: this.voter });
  }

  /** The current voter rates a step (or takes the rating back with `null`). */
  async rate(step: string, score: number | null, amend = false): Promise<boolean> {
    if (!this.voter) return false;
    return this.edit({ kind: "rate", step, participant: this.voter, score }, amend);
  }

  /** The new-map panel is showing. */
  newOpen = $state(false);

  /** Creates a map (empty or from a sample) where the user chooses, and opens it. */
  async newMap(template: string | null): Promise<void> {
    if (this.adopt(await this.backend.newMap(template), true)) this.newOpen = false;
  }

  /** True when the shell refuses every change to this map (see `view.read_only`). */
  get readOnly(): boolean {
    return this.view?.read_only != null;
  }

  /** Saves a copy where the user chooses and continues editing it. */
  async saveCopy(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.adopt(await this.backend.saveCopy());
    } finally {
      this.busy = false;
    }
  }

  /** File › Import steps…: the steps of a CSV file or a workbook, added as one edit. */
  async importCsv(): Promise<void> {
    this.pending += 1;
    try {
      this.adopt(await this.backend.importCsv());
    } finally {
      this.pending -= 1;
    }
  }

  /** File › Import event log…: chooses a log, reads it (showing progress,
   * cancellable) and shows what applying it would change. */
  async importLog(): Promise<void> {
    if (!this.view || this.logImport) return;
    this.logImport = { reading: true, progress: 0, preview: null };
    const unlisten = await this.backend.onLogProgress((read, total) => {
      if (this.logImport?.reading) this.logImport = { ...this.logImport, progress: total > 0 ? Math.min(1, read / total) : 0 };
    });
    try {
      const result = await this.backend.previewLog();
      if (result.status === "error") {
        this.logImport = null;
        if (result.error.code !== "cancelled") {
          this.error = result.error;
          this.refusals += 1;
        }
        return;
      }
      this.logImport = result.data ? { reading: false, progress: 1, preview: result.data } : null;
    } finally {
      unlisten();
    }
  }

  /** Stops the log being read. */
  async cancelLogRead(): Promise<void> {
    await this.backend.cancelLog();
  }

  /** Stores the previewed measurement as one edit and closes the preview. */
  async applyLog(): Promise<boolean> {
    const ok = await this.track(this.backend.applyLog());
    if (ok) this.logImport = null;
    return ok;
  }

  /** File › Import survey…: chooses an export and previews it as a 1-5 scale. */
  async importSurvey(): Promise<void> {
    if (!this.view) return;
    const choices: SurveyChoices = { scale: "1-5", na: "", overall: null, positive: null, segment: null };
    const result = await this.backend.chooseSurvey(choices);
    if (result.status === "error") {
      this.error = result.error;
      this.refusals += 1;
      return;
    }
    if (result.data) this.surveyImport = { choices, preview: result.data, applied: false };
  }

  /** Reads the chosen survey again with other choices; a refusal keeps the last preview. */
  async previewSurvey(choices: SurveyChoices): Promise<boolean> {
    const result = await this.backend.previewSurvey(choices);
    if (result.status === "error") {
      this.error = result.error;
      this.refusals += 1;
      return false;
    }
    this.error = null;
    this.surveyImport = { choices, preview: result.data, applied: this.surveyImport?.applied ?? false };
    return true;
  }

  /** Stores the previewed survey's scores as one edit. */
  async applySurvey(): Promise<boolean> {
    const ok = await this.track(this.backend.applySurvey());
    if (ok && this.surveyImport) this.surveyImport = { ...this.surveyImport, applied: true };
    return ok;
  }

  /** Takes the fitted weights as one edit. */
  async applyWeights(): Promise<boolean> {
    return this.track(this.backend.applyWeights());
  }

  /** Resamples the ranking and keeps what it says until the map changes. */
  async measureCertainty(): Promise<void> {
    if (this.certaintyRunning) return;
    this.certaintyRunning = true;
    try {
      const result = await this.backend.rankingCertainty();
      if (result.status === "error") {
        this.error = result.error;
        return;
      }
      this.certainty = result.data;
    } finally {
      this.certaintyRunning = false;
    }
  }

  async undo(): Promise<void> {
    if (this.view && this.view.undo > 0) await this.track(this.backend.undo());
  }

  async redo(): Promise<void> {
    if (this.view && this.view.redo > 0) await this.track(this.backend.redo());
  }

  private async track(call: Promise<Result<MapView, CommandError>>): Promise<boolean> {
    this.pending += 1;
    try {
      return this.adopt(await call);
    } finally {
      this.pending -= 1;
    }
  }

  /** Changes the analysis weights; on refusal the figures stay as they were. */
  async applySettings(settings: Settings): Promise<boolean> {
    return this.track(this.backend.setSettings(settings));
  }

  /** Lists every weak spot (`true`) or the first places the shell sends
   * unless asked (see `MapView.weak_spot_count`). */
  async showWholeRankings(whole: boolean): Promise<boolean> {
    return this.adopt(await this.backend.showWholeRankings(whole));
  }

  /** Asks where to save and writes the report; opens it after if asked. */
  async exportPdf(paper: PaperChoice, openAfter: boolean): Promise<void> {
    if (this.exporting) return;
    this.exporting = true;
    try {
      const result = await this.backend.exportPdf(paper);
      if (result.status === "error") {
        this.error = result.error;
        return;
      }
      if (!result.data) return; // cancelled
      this.exported = result.data;
      this.exportOpen = false;
      this.error = null;
      if (openAfter) await this.openExport();
    } finally {
      this.exporting = false;
    }
  }

  async openExport(): Promise<void> {
    const result = await this.backend.openLastExport();
    if (result.status === "error") this.error = result.error;
  }

  async present(on: boolean): Promise<void> {
    this.presenting = on;
    const result = await this.backend.setFullscreen(on);
    if (result.status === "error") this.error = result.error;
  }

  select(stepId: string | null): void {
    if (stepId !== this.selected) this.deleteAsked = null;
    this.selected = stepId;
  }

  /** The step whose deletion waits for a confirmation: the inspector says
   * what goes with it (flows, pain points) before anything is deleted. */
  deleteAsked: string | null = $state(null);

  /** Deletes the step the user confirmed deleting; keeps it selected if refused. */
  async deleteSelected(): Promise<void> {
    const id = this.deleteAsked;
    if (!id) return;
    if (await this.edit({ kind: "delete_step", id })) {
      this.deleteAsked = null;
      if (this.selected === id) this.selected = null;
    }
  }

  /** Carries out the menu items meant for the window; resolves to an unsubscribe. */
  followMenu(): Promise<() => void> {
    return this.backend.onMenu((action) => {
      if (action === "open") void this.open();
      if (action === "export_pdf" && this.view) this.exportOpen = true;
      if (action === "import_csv" && this.view) void this.importCsv();
      if (action === "import_log" && this.view) void this.importLog();
      if (action === "import_survey" && this.view) void this.importSurvey();
      if (action === "open_library") void this.showLibrary();
      if (action === "about") void this.showAbout();
    });
  }

  /** Help › About: the release and the commit of this build, once asked. */
  about: About | null = $state(null);

  /** Shows the About box. */
  async showAbout(): Promise<void> {
    this.about = await this.backend.about();
  }

  /** Shows the map the shell opened when Waymark was launched again on a
   * file (a double-click in the file manager), as a newly opened map; or
   * why it could not be opened, over the map the window keeps. */
  followLaunches(): Promise<() => void> {
    return this.backend.onOpenedByLaunch((error) => {
      if (error) {
        this.error = error;
        this.refusals += 1;
        return;
      }
      void this.backend.currentMap().then((result) => {
        if (this.adopt(result, true)) {
          this.homeOpen = false;
          this.libraryOpen = false;
          this.portfolioOpen = false;
          this.comparison = null;
        }
      });
    });
  }

  /** Fetches the map again whenever another window's edit reaches its
   * library (or the library goes away or comes back). */
  followChanges(): Promise<() => void> {
    return this.backend.onMapChanged(() => void this.refresh());
  }

  /** Shows the "Open from library" screen with the libraries opened lately. */
  async showLibrary(): Promise<void> {
    this.libraries = await this.backend.recentLibraries();
    this.libraryMaps = null;
    this.libraryError = null;
    this.homeOpen = false;
    this.libraryOpen = true;
  }

  private libraryRefused(error: CommandError): void {
    this.libraryError = error.message;
    if (error.code === "password") this.passwordWanted = true;
  }

  /** Lists the maps of the library at `url`. */
  async listLibrary(url: string, password: string | null): Promise<void> {
    const result = await this.backend.libraryMaps(url.trim(), password || null);
    if (result.status === "error") return this.libraryRefused(result.error);
    this.libraryMaps = result.data;
    this.libraryError = null;
    this.passwordWanted = false;
  }

  /** Opens a map of the library at `url`. */
  async openLibraryMap(url: string, map: string, password: string | null): Promise<void> {
    const result = await this.backend.openLibraryMap(url.trim(), map, password || null);
    if (result.status === "error") return this.libraryRefused(result.error);
    if (this.adopt(result, true)) {
      this.libraryOpen = false;
      this.comparison = null;
    }
  }

  /** "Start review": freezes the map as it is, with today's date. */
  async takeReview(name: string, participants: string[]): Promise<boolean> {
    const taken = await this.track(this.backend.takeReview(name, participants));
    if (taken) this.comparison = null;
    return taken;
  }

  /** Compares two reviews, or a review with now (`after` null). */
  async compare(before: number, after: number | null): Promise<void> {
    const result = await this.backend.compareReviews(before, after);
    if (result.status === "error") {
      this.error = result.error;
      return;
    }
    this.comparison = result.data;
    this.comparedWithNow = after === null;
  }

  /** Shows the home screen with every recent map summarised afresh. */
  async showHome(): Promise<void> {
    this.recent = await this.backend.recentMaps();
    this.homeOpen = true;
  }

  /** Opens a map from the home screen. */
  async openRecent(path: string): Promise<void> {
    if (this.adopt(await this.backend.openRecent(path), true)) {
      this.homeOpen = false;
      this.comparison = null;
    }
  }

  /** Shows the portfolio screen; at launch, on the folder named with `--portfolio`. */
  async showPortfolio(atLaunch = false): Promise<void> {
    if (atLaunch) {
      const result = await this.backend.launchPortfolio();
      if (result.status === "ok" && !result.data) return;
      this.takePortfolio(result);
    }
    this.homeOpen = false;
    this.portfolioOpen = true;
  }

  /** Reads the portfolio of a folder the person chooses. */
  async choosePortfolio(): Promise<void> {
    this.takePortfolio(await this.backend.choosePortfolio());
  }

  /** Reads the portfolio of a library. */
  async libraryPortfolio(url: string): Promise<void> {
    this.takePortfolio(await this.backend.libraryPortfolio(url));
  }

  private takePortfolio(result: Result<Portfolio | null, CommandError>): void {
    if (result.status === "error") {
      this.portfolioError = result.error.message;
      return;
    }
    if (!result.data) return;
    this.portfolio = result.data;
    this.portfolioError = null;
  }

  /** Opens a journey of the portfolio. */
  async openJourney(path: string): Promise<void> {
    if (this.adopt(await this.backend.openPortfolioJourney(path), true)) {
      this.portfolioOpen = false;
      this.comparison = null;
    }
  }

  dismissError(): void {
    this.error = null;
  }
}
