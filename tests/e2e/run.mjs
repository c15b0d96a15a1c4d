// End-to-end tests of the real Waymark app: the built binary (UI embedded,
// custom protocol on) under Xvfb, driven through tauri-driver and
// WebKitWebDriver. Run by scripts/e2e.sh, which builds the app first.
// Prints "N passed, N failed" and exits non-zero on any failure.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { launchApp, sleep, startDriver } from "./driver.mjs";
import { startPostgres } from "./pg.mjs";
import { Key, remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const app = process.env.WAYMARK_APP ?? join(root, "target/release/waymark-app");
const cli = process.env.WAYMARK_CLI ?? join(root, "target/release/waymark");
const shots = join(here, "screenshots");
mkdirSync(shots, { recursive: true });

const sample = (name) => JSON.parse(readFileSync(join(root, "assets/samples", `${name}.json`), "utf8"));
const work = mkdtempSync(join(tmpdir(), "waymark-e2e-"));

/** Starts the app with `args`; returns the WebDriver session. A session
 * that does not start within a minute (once in CI, WebKitWebDriver never
 * answered the request after the full-screen test) is tried once more on a
 * fresh tauri-driver, and the log says so. */
async function launch(args) {
  const attempt = () =>
    Promise.race([launchApp(app, args), sleep(60000).then(() => Promise.reject(new Error("no session after 60 s")))]);
  try {
    return await attempt();
  } catch (e) {
    console.log(`     (the app's session did not start: ${String(e?.message ?? e).split("\n")[0]}; restarting tauri-driver and trying once more)`);
    driver.kill();
    for (const name of ["WebKitWebDriver", "waymark-app"]) {
      try {
        execFileSync("pkill", ["-x", name]);
      } catch {
        /* none left */
      }
    }
    await sleep(1000);
    driver = await startDriver(work);
    return attempt();
  }
}

async function waitFor(browser, fn, what, timeout = 15000) {
  const start = Date.now();
  let last;
  while (Date.now() - start < timeout) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(150);
  }
  // What the screen showed, for whoever reads the log.
  const shot = join(shots, `timed-out-${what.replace(/[^a-z0-9]+/gi, "-")}.png`);
  try {
    execFileSync("import", ["-window", "root", shot]);
  } catch {
    /* no screenshot tool: the message still says what was awaited */
  }
  throw new Error(`timed out waiting for ${what} (last: ${last}); screen: ${shot}`);
}

/** Waits for GTK's dialog with this title, focuses it, and types `path`
 * into its location field as a person would, then presses Return. The dialog
 * is a native window outside the webview, so WebDriver cannot reach it. */
async function answerDialog(title, path) {
  const found = execFileSync("timeout", ["30", "xdotool", "search", "--sync", "--onlyvisible", "--name", title]).toString().trim().split("\n")[0];
  execFileSync("xdotool", ["windowfocus", "--sync", found]);
  await sleep(400);
  // Ctrl+L shows the location field (a no-op in a save dialog's name field);
  // Ctrl+A replaces whatever it holds. Typed at once: typed slowly, the
  // chooser's inline completion of a common prefix lands between keystrokes.
  execFileSync("xdotool", ["key", "--window", found, "ctrl+l"]);
  execFileSync("xdotool", ["key", "--window", found, "ctrl+a"]);
  execFileSync("xdotool", ["type", "--window", found, "--delay", "0", path]);
  await sleep(300);
  execFileSync("xdotool", ["key", "--window", found, "Return"]);
}

const results = [];
/** `WAYMARK_E2E_ONLY=text` runs only the tests whose names contain it. */
const only = process.env.WAYMARK_E2E_ONLY;
async function test(name, body) {
  if (only && !name.includes(only)) return;
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split("\n").join("\n     ")}`);
  }
}

/** The text of a displayed element. (WebKitWebDriver's getText returns "" for
 * some visible elements, such as a heading that truncates with an ellipsis,
 * so this reads textContent after checking the element is displayed.) */
async function visibleText(browser, selector) {
  const el = await browser.$(selector);
  if (!(await el.isExisting()) || !(await el.isDisplayed())) return null;
  return el.getProperty("textContent");
}

/** Types `text` into a field, as a person would after clicking it. */
async function fill(browser, selector, text) {
  const el = await browser.$(selector);
  // WebKitWebDriver does not scroll a field into view inside a scrolled side
  // panel before clicking it; a person would scroll to it first.
  await browser.execute((e) => e.scrollIntoView({ block: "center" }), el);
  await el.click();
  await el.setValue(text);
}

/** Clicks a step's card on the drawing (dispatched: the card may be off screen). */
function clickCard(browser, id) {
  return browser.execute((i) => document.querySelector(`.step-card[data-step="${i}"]`)?.dispatchEvent(new MouseEvent("click", { bubbles: true })), id);
}

/** The selected card, when some of it is on screen in the map's pane, and
 * the size of its title there. WebKitGTK's client rects leave out CSS zoom,
 * so what is on screen is found by hit-testing, and the type's size from the
 * zoom. */
function selectedCardInView(browser) {
  return browser.execute(() => {
    const card = document.querySelector(".step-card.selected");
    const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
    const size = Number(card?.querySelector(".step-title")?.getAttribute("font-size"));
    if (!card || !canvas) return null;
    for (let x = canvas.left + 10; x < canvas.right; x += 20)
      for (let y = canvas.top + 10; y < canvas.bottom; y += 20)
        if (document.elementsFromPoint(x, y).some((el) => card.contains(el)))
          return { id: card.getAttribute("data-step"), px: size * Number(document.querySelector(".drawing")?.style.zoom || 1) };
    return null;
  });
}

function assertEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// The app's clock: every date the tests check (reviews due, commitments
// overdue) is counted from this day.
process.env.WAYMARK_TODAY = "2026-11-22";
let driver = await startDriver(work);
try {
  await test("first start shows the licence-renewal sample with one card per step", async () => {
    const expected = sample("licence-renewal");
    const browser = await launch([]);
    try {
      const heading = await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      assertEqual(heading, expected.title, "title in the window");
      const svgTitle = await visibleText(browser, "svg .map-title");
      assertEqual(svgTitle, expected.title, "title in the drawing");
      const cards = await browser.$$("svg .step-card");
      assertEqual(cards.length, expected.steps.length, "step cards in the drawing");
      assertEqual(await cards[0].isDisplayed(), true, "the first card is on screen");
      const count = await visibleText(browser, "[data-testid=step-count]");
      assertEqual(count, `${expected.steps.length} steps`, "step count in the toolbar");
      const dashed = await browser.$$("svg path.rework");
      assertEqual(dashed.length, expected.flows.filter((f) => f.kind === "rework").length, "rework flows drawn dashed");
      await browser.saveScreenshot(join(shots, "licence-renewal.png"));
      // Focus on one department: only its steps stand out, with its pain points.
      await browser.$("[data-testid=focus]").selectByAttribute("value", "department:photo");
      const lit = await waitFor(browser, async () => {
        const n = await browser.execute(() => document.querySelectorAll("svg .step-card:not(.dimmed)").length);
        return n < expected.steps.length ? n : null;
      }, "the focus filter");
      assertEqual(lit, expected.steps.filter((s) => s.department === "photo").length, "only the photo station's steps stand out");
      const focusPain = await visibleText(browser, "[data-testid=focus-pain]");
      if (!focusPain.includes("Only one camera works")) throw new Error(`its pain points are listed: ${focusPain}`);
      await browser.$("[data-testid=focus]").selectByAttribute("value", "all");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("Help › About (F1) names the release and the commit the app was built from", async () => {
    const browser = await launch([]);
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      await browser.keys(["F1"]);
      const about = await waitFor(browser, () => visibleText(browser, "[data-testid=about]"), "the About box");
      const version = execFileSync(cli, ["--version"]).toString().trim(); // "waymark 0.1.0 (commit 0123456789ab)"
      const [, release, commit] = version.match(/^waymark (\S+) \(commit (\S+)\)$/) ?? [];
      if (!release || !about.includes(`Waymark ${release}`) || !about.includes(`commit ${commit}`)) {
        throw new Error(`the About box says "${about}"; the command line says "${version}"`);
      }
    } finally {
      await browser.deleteSession();
    }
  });

  await test("at a laptop's size the title, the toolbar and the department table read whole, and the map opens readable on its worst spot", async () => {
    const file = join(work, "hotel.waymark");
    execFileSync(cli, ["import", join(root, "tests/fixtures/hotel-stay.json"), "-o", file]);
    const browser = await launch([file]);
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      for (const [w, h] of [[1366, 768], [1400, 900]]) {
        await browser.setWindowSize(w, h);
        await sleep(600);
        const seen = await browser.execute(() => {
          const title = document.querySelector("[data-testid=map-title] button");
          const actions = [...document.querySelectorAll(".actions > *")].filter((e) => e.offsetParent !== null);
          const table = document.querySelector("[data-testid=departments]");
          const panel = document.querySelector(".panel");
          const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
          const worst = document.querySelector("[data-testid=weak-spots] li:first-child button")?.getAttribute("data-step") ?? null;
          const card = worst ? document.querySelector(`.step-card[data-step="${worst}"]`) : null;
          let inView = false;
          for (let x = canvas.left + 10; card && !inView && x < canvas.right; x += 20)
            for (let y = canvas.top + 10; y < canvas.bottom; y += 20)
              if (document.elementsFromPoint(x, y).some((el) => card.contains(el))) { inView = true; break; }
          return {
            titleCut: title ? title.scrollWidth > title.clientWidth + 1 : true,
            title: title?.textContent,
            rows: new Set(actions.map((e) => Math.round(e.getBoundingClientRect().top))).size,
            tableCut: table && panel ? table.getBoundingClientRect().right > panel.getBoundingClientRect().right - 8 || table.scrollWidth > table.clientWidth + 1 : true,
            zoom: Number(document.querySelector(".drawing")?.style.zoom || 1),
            inView,
            worst,
            svgTitles: document.querySelectorAll("svg.waymark-blueprint > title").length,
          };
        });
        if (seen.titleCut) throw new Error(`${w}×${h}: the title "${seen.title}" is cut`);
        assertEqual(seen.rows, 1, `${w}×${h}: rows of toolbar buttons`);
        if (seen.tableCut) throw new Error(`${w}×${h}: the department table is cut`);
        if (!(seen.zoom * 13 >= 11)) throw new Error(`${w}×${h}: card titles at ${seen.zoom * 13} px`);
        if (!seen.inView) throw new Error(`${w}×${h}: the worst spot (${seen.worst}) is not in view`);
        assertEqual(seen.svgTitles, 0, "the drawing has no <title> to show as a tooltip");
        await browser.saveScreenshot(join(shots, `laptop-${w}x${h}.png`));
      }
      // Scrolled to the far right, as to a weak spot near the journey's end,
      // the lane names stay at the left edge, in front of the cards.
      await browser.execute(() => {
        const canvas = document.querySelector(".canvas");
        canvas.scrollLeft = canvas.scrollWidth;
      });
      const lanes = await waitFor(browser, () => browser.execute(() => {
        const canvas = document.querySelector(".canvas").getBoundingClientRect();
        // The lane names of the lanes in view (the others are scrolled away up or down).
        const names = [...document.querySelectorAll("svg g.frozen-lanes text[font-weight='700']")].filter((t) => {
          const r = t.getBoundingClientRect();
          return r.top >= canvas.top && r.bottom <= canvas.bottom;
        });
        if (!names.length) return null;
        const shown = names.filter((t) => {
          const r = t.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + 3, r.top + r.height / 2);
          return r.left >= canvas.left - 1 && r.right <= canvas.left + 260 && Boolean(hit?.closest("g.frozen-lanes"));
        });
        return { names: names.length, shown: shown.length, scrolled: document.querySelector(".canvas").scrollLeft };
      }), "the frozen lane names");
      if (lanes.scrolled <= 0 || lanes.shown !== lanes.names) throw new Error(`lane names out of view after scrolling: ${JSON.stringify(lanes)}`);
      await browser.saveScreenshot(join(shots, "lanes-frozen.png"));
      await browser.execute(() => (document.querySelector(".canvas").scrollLeft = 0));
      const gone = await waitFor(browser, () => browser.execute(() => document.querySelector("svg g.frozen-lanes") === null || null), "the copy gone at the left edge");
      assertEqual(gone, true, "no copy when the lane names are in view");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("on a 1366 × 768 screen the window opens whole, within the screen", async () => {
    // A screen of its own: a second X server at a laptop's size, with the
    // app's driver on it for this test only.
    const display = ":77";
    const xvfb = spawn("Xvfb", [display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"], { stdio: "ignore" });
    driver.kill();
    await sleep(800);
    let small = null;
    let browser = null;
    try {
      small = await startDriver(work, undefined, { DISPLAY: display });
      browser = await launchApp(app, []);
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      const rect = await browser.getWindowRect();
      if (rect.x < 0 || rect.y < 0 || rect.x + rect.width > 1366 || rect.y + rect.height > 768) {
        throw new Error(`the window runs off a 1366 × 768 screen: ${JSON.stringify(rect)}`);
      }
      const page = await browser.execute(() => ({ w: innerWidth, h: innerHeight }));
      if (page.w < 1000 || page.h < 600) throw new Error(`the window shrank too far: ${JSON.stringify(page)}`);
    } finally {
      await browser?.deleteSession().catch(() => {});
      small?.kill();
      xvfb.kill();
      await sleep(500);
      driver = await startDriver(work);
    }
  });

  await test("a 2,000-step map is drawn around what the window shows: scrolling brings the rest, a weak spot far away comes into view", async () => {
    const json = join(work, "by-area.json");
    const file = join(work, "by-area.waymark");
    execFileSync(cli, ["generate", "--steps", "2000", "-o", json]);
    execFileSync(cli, ["import", json, "-o", file]);
    const browser = await launch([file]);
    try {
      const held = () => browser.execute(() => [...document.querySelectorAll(".step-card")].map((c) => c.getAttribute("data-step")));
      /** A card some of which is on screen in the map's pane (hit-tested, as WebKitGTK's rects leave out CSS zoom). */
      const cardInView = () =>
        browser.execute(() => {
          const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
          if (!canvas) return null;
          for (let x = canvas.left + 10; x < canvas.right; x += 25)
            for (let y = canvas.top + 10; y < canvas.bottom; y += 25) {
              const card = document.elementsFromPoint(x, y).map((el) => el.closest(".step-card")).find(Boolean);
              if (card) return card.getAttribute("data-step");
            }
          return null;
        });
      await waitFor(browser, () => browser.execute(() => document.querySelector("[data-testid=blueprint][data-by-area]") !== null), "a drawing by area");
      const worst = await waitFor(browser, () => browser.execute(() => document.querySelector("[data-testid=weak-spots] li:first-child button")?.getAttribute("data-step") ?? null), "the worst spot");
      const first = await waitFor(browser, async () => ((await held()).includes(worst) ? held() : null), "the worst spot's card");
      if (first.length >= 2000) throw new Error(`the window holds all ${first.length} cards`);
      await waitFor(browser, async () => (await cardInView()) !== null || null, "a card in view");
      // Scrolled to the far corner: the cards there come into view.
      await browser.execute(() => {
        const canvas = document.querySelector(".canvas");
        canvas.scrollTo(canvas.scrollWidth, canvas.scrollHeight);
      });
      const there = await waitFor(browser, async () => {
        const id = await cardInView();
        return id && !first.includes(id) ? id : null;
      }, "cards in the far corner");
      if ((await held()).includes(worst)) throw new Error(`the worst spot ${worst} is still held in the far corner, beside ${there}`);
      await browser.saveScreenshot(join(shots, "large-map-far-corner.png"));
      // The worst spot chosen from the panel: the window scrolls back, and its card comes selected.
      await browser.$("[data-testid=weak-spots] li:first-child button").click();
      const back = await waitFor(browser, () => selectedCardInView(browser), "the worst spot selected and in view");
      assertEqual(back.id, worst, "the card in view");
      // An edit there patches the drawing the window holds.
      await browser.$("[data-testid=step-count]").click();
      await browser.keys(["1"]);
      await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === "1" || null, "the score");
      const score = await waitFor(browser, () => browser.execute((id) => document.querySelector(`.step-card[data-step="${id}"] .step-score`)?.textContent ?? null, worst), "the card's score");
      if (!score.startsWith("1.0")) throw new Error(`the card shows ${score}`);
      // The edit is answered before its analysis; the figures follow, and
      // the panel lists the worst spot at its new score.
      await waitFor(
        browser,
        () => browser.execute((id) => document.querySelector(`[data-testid=weak-spots] button[data-step="${id}"] .meta`)?.textContent?.trim().startsWith("1.0 →") || null, worst),
        "the figures that follow the edit",
      );
    } finally {
      await browser.deleteSession();
    }
  });

  await test("the weak-spot panel names the photo line first and selects its card", async () => {
    const browser = await launch([]);
    try {
      const first = await waitFor(browser, () => visibleText(browser, "[data-testid=weak-spots] li:first-child .title"), "the first weak spot");
      assertEqual(first, "Photo line and camera", "first weak spot");
      const why = await visibleText(browser, "[data-testid=weak-spots] li:first-child .why");
      if (!/worst moment on \d+% of visits/.test(why)) throw new Error(`the panel should say why: ${why}`);
      const remembered = Number(await visibleText(browser, "[data-testid=remembered] .value"));
      const average = Number(await visibleText(browser, "[data-testid=average] .value"));
      if (!(remembered < average)) throw new Error(`remembered ${remembered} should be below average ${average}`);
      const halos = await browser.$$("svg .halo");
      if (halos.length < 1) throw new Error("weak spots carry a halo on the map");
      await browser.$("[data-testid=weak-spots] li:first-child button").click();
      const selected = await waitFor(browser, () => browser.execute(() => document.querySelector(".step-card.selected")?.getAttribute("data-step") ?? null), "the selected card");
      assertEqual(selected, "photo_line", "clicking the weak spot selects its card");
      // Change the end weight: the figures follow.
      await browser.$("[data-testid=weights]").click();
      const endWeight = await browser.$("input[type=number]");
      await endWeight.setValue("1");
      await browser.$("button=Apply").click();
      const changed = await waitFor(browser, async () => {
        const r = Number(await visibleText(browser, "[data-testid=remembered] .value"));
        return r !== remembered ? r : null;
      }, "a new remembered figure");
      if (!Number.isFinite(changed)) throw new Error(`remembered should be a number: ${changed}`);
      await browser.saveScreenshot(join(shots, "weak-spots.png"));
    } finally {
      await browser.deleteSession();
    }
  });

  await test("an event log measures the map: a preview of what changes, then one edit; the agreement says its n and interval", async () => {
    // The claims office's map, its titles those of the made-up claims log's activities.
    const step = (id, title, department, visibility = "frontstage") => ({ id, title, stage: "s", department, visibility, ...(visibility === "frontstage" ? { score: 3.5 } : {}) });
    const doc = {
      format: "waymark/1",
      title: "Claims office",
      stages: [{ id: "s", name: "Claim" }],
      departments: [
        { id: "contact", name: "Contact centre", facing: "customer" },
        { id: "adjusters", name: "Loss adjusters", facing: "customer" },
        { id: "claims", name: "Claims handling", facing: "customer" },
      ],
      steps: [
        step("report", "Report the leak", "contact"),
        step("notes", "Call notes to adjuster", "contact", "backstage"),
        step("visit", "Adjuster visit", "adjusters"),
        step("repairs", "Approve repairs", "claims"),
        step("cash", "Approve cash settlement", "claims"),
      ],
      flows: [
        { from: "report", to: "notes" },
        { from: "notes", to: "visit", sla: { promised_minutes: 60, actual_minutes: 45 } },
        { from: "visit", to: "repairs", share: 0.5 },
        { from: "visit", to: "cash", share: 0.5 },
      ],
    };
    const json = join(work, "claims-office.json");
    writeFileSync(json, JSON.stringify(doc));
    const file = join(work, "claims-office.waymark");
    execFileSync(cli, ["import", json, "-o", file]);
    const browser = await launch([file]);
    try {
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=map-title]")) === "Claims office" || null, "the claims map");
      await browser.$("[data-testid=tab-agreements]").click();
      const before = await visibleText(browser, "[data-testid=agreement-said]");
      if (!before.includes("took 45 min against 60 min promised")) throw new Error(`the workshop's figure first: ${before}`);
      await browser.$("[data-testid=measure-log]").click();
      await answerDialog("Import an event log", join(root, "evidence/tests/data/logs/claims.xes.gz"));
      const facts = await waitFor(browser, () => visibleText(browser, "[data-testid=log-facts]"), "the log's preview", 30000);
      if (!facts.includes("240 cases")) throw new Error(`the preview says what the log holds: ${facts}`);
      const unbound = await visibleText(browser, "[data-testid=log-unbound]");
      if (!unbound.includes("Pay the claim")) throw new Error(`an activity that is no step is listed: ${unbound}`);
      const changes = await visibleText(browser, "[data-testid=log-changes]");
      if (!changes.includes("of 240 handoffs") || !changes.includes("Share of Adjuster visit → Approve repairs")) throw new Error(`what would change: ${changes}`);
      await browser.saveScreenshot(join(shots, "log-preview.png"));
      await browser.$("[data-testid=log-apply]").click();
      await waitFor(browser, async () => !(await browser.$("[data-testid=log-import]").isExisting()) || null, "the preview to close");
      const after = await waitFor(browser, async () => {
        const t = await visibleText(browser, "[data-testid=agreement-said]");
        return t?.includes("of 240 handoffs") ? t : null;
      }, "the measured agreement");
      if (!/kept its 60 min promise on \d+% of 240 handoffs \(\d+%–\d+%, target 90%\)/.test(after)) throw new Error(`n and interval: ${after}`);
      assertEqual(await visibleText(browser, "[data-testid=agreement-status]"), "breached", "measured, the agreement is breached");
      // The share on the map carries its n.
      const shares = await browser.execute(() => [...document.querySelectorAll("svg .share")].map((t) => t.textContent));
      if (!shares.some((t) => / of 240$/.test(t))) throw new Error(`a measured share says of how many: ${shares}`);
      await browser.saveScreenshot(join(shots, "log-measured.png"));
      // One edit: Ctrl+Z takes it all back.
      await browser.$("button=Undo").click();
      await waitFor(browser, async () => ((await visibleText(browser, "[data-testid=agreement-said]")) ?? "").includes("took 45 min") || null, "the undone measurement");
    } finally {
      await browser.deleteSession();
    }
  });

  // The README's picture of evidence: the public receipt log (../shared/data,
  // not in the repository), when this checkout has it.
  const receipt = join(root, "../shared/data/event-logs/08_receipt.xes.gz");
  if (existsSync(receipt)) {
    await test("the receipt log measures its own map: a handoff's compliance with its interval, shares with their n", async () => {
      const made = join(work, "receipt-made.waymark");
      execFileSync(cli, ["import", receipt, "--log", "-o", made, "--frontstage", "Confirmation of receipt,T05 Print and send confirmation of receipt"]);
      const doc = JSON.parse(execFileSync(cli, ["export", made, "--json", "-"]).toString());
      doc.title = "Permit office: receipt phase";
      const handoff = doc.flows.find((f) => f.from.startsWith("t04_") && f.to.startsWith("t05_"));
      handoff.sla = { promised_minutes: 1440, actual_minutes: 1 };
      for (const s of doc.steps) if (s.visibility === "frontstage") s.score = s.id.startsWith("t05") ? 3.2 : 4.1;
      const json = join(work, "receipt.json");
      writeFileSync(json, JSON.stringify(doc));
      const file = join(work, "receipt.waymark");
      execFileSync(cli, ["import", json, "-o", file]);
      execFileSync(cli, ["measure", file, receipt, "--apply"]);
      const browser = await launch([file]);
      try {
        await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the receipt map");
        await browser.$("[data-testid=tab-agreements]").click();
        const said = await waitFor(browser, () => visibleText(browser, "[data-testid=agreement-said]"), "the measured handoff");
        if (!said.includes("promise on") || !said.includes("handoffs (")) throw new Error(`compliance with its interval: ${said}`);
        await clickCard(browser, handoff.to);
        await sleep(500);
        await browser.saveScreenshot(join(shots, "receipt-measured.png"));
      } finally {
        await browser.deleteSession();
      }
    });
  }

  /** Imports a survey in the window: the Review tab's button, the dialog,
   * the choices, then the scores and the weights applied and the ranking's
   * certainty asked for. Returns the calibration's words. */
  async function surveyInWindow(browser, path, { na, overall, positive, segment, shot }) {
    await browser.$("[data-testid=tab-review]").click();
    await browser.$("[data-testid=import-survey]").click();
    await answerDialog("Import a survey", path);
    await waitFor(browser, () => visibleText(browser, "[data-testid=survey-facts]"), "the survey's preview", 30000);
    await fill(browser, "[data-testid=survey-na]", na);
    await browser.$("[data-testid=survey-overall]").selectByVisibleText(overall);
    await fill(browser, "[data-testid=survey-positive]", positive);
    if (segment) await browser.$("[data-testid=survey-segment]").selectByVisibleText(segment);
    await browser.$("[data-testid=survey-reread]").click();
    const words = await waitFor(browser, () => visibleText(browser, "[data-testid=survey-calibration]"), "the calibration", 30000);
    const unbound = await visibleText(browser, "[data-testid=survey-unbound]");
    if (shot) await browser.saveScreenshot(join(shots, shot));
    await browser.$("[data-testid=survey-apply]").click();
    await waitFor(browser, async () => ((await visibleText(browser, "[data-testid=survey-apply]")) ?? "").includes("applied") || null, "the scores applied");
    await browser.$("[data-testid=survey-apply-weights]").click();
    await sleep(1000);
    await browser.$("button=Close").click();
    await browser.$("[data-testid=measure-certainty]").click();
    const sure = await waitFor(browser, async () => {
      const t = await visibleText(browser, "[data-testid=certainty]");
      return t?.includes("resamples") ? t : null;
    }, "how sure the ranking is", 60000);
    return { words, unbound, sure };
  }

  await test("a survey scores the steps, fits the weights and says how sure the ranking is, each applied as one edit", async () => {
    const file = join(work, "claim-survey.waymark");
    execFileSync(cli, ["import", join(root, "tests/fixtures/home-insurance-claim.json"), "-o", file]);
    const browser = await launch([file]);
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the claim map");
      const { words, unbound, sure } = await surveyInWindow(browser, join(root, "evidence/tests/data/surveys/claim.csv"), {
        na: "0", overall: "Would recommend", positive: "yes", segment: "Channel", shot: "survey-preview.png",
      });
      const segments = await visibleText(browser, "[data-testid=segments]");
      if (!/phone \(\d+ respondents\)/.test(segments ?? "") || !/web \(\d+ respondents\)/.test(segments ?? "")) throw new Error(`each segment's weak spots: ${segments}`);
      if (!words.includes("fitted on 60 respondents") || !words.includes("Use these weights")) throw new Error(`the calibration in words: ${words}`);
      if (!unbound.includes("E-mail") || !unbound.includes("Comments")) throw new Error(`columns not read: ${unbound}`);
      if (!/first in \d+% of 1000 resamples/.test(sure)) throw new Error(`certainty in words: ${sure}`);
      const per = await browser.execute(() => [...document.querySelectorAll("[data-testid=sure]")].map((e) => e.textContent));
      if (per.length === 0 || !per[0].includes("of resamples")) throw new Error(`each weak spot's certainty: ${per}`);
      await browser.saveScreenshot(join(shots, "survey-certainty.png"));
      // In the file: the customers' score with its n beside the workshop's, and the weights' source.
      const stored = () => JSON.parse(execFileSync(cli, ["export", file, "--json", "-"]).toString());
      const doc = stored();
      const payment = doc.steps.find((x) => x.id === "final_payment");
      if (payment.surveyed?.n !== 57 || payment.surveyed?.workshop_score !== 2) throw new Error(`the surveyed score: ${JSON.stringify(payment)}`);
      if (doc.calibration?.respondents !== 60) throw new Error(`the weights' source: ${JSON.stringify(doc.calibration)}`);
      if (JSON.stringify(doc).includes("customer01@example.org")) throw new Error("an e-mail address was stored");
      // The weights were one edit and the scores another: two undos restore the workshop's map.
      await browser.$("button=Undo").click();
      await sleep(300);
      await browser.$("button=Undo").click();
      await waitFor(browser, async () => {
        const d = stored();
        return !d.calibration && !d.steps.some((x) => x.surveyed) || null;
      }, "the workshop's map back");
    } finally {
      await browser.deleteSession();
    }
  });

  // The README's pictures of surveys: the public airline survey (not in the
  // repository), when this checkout has it.
  const airline = join(root, "../shared/data/surveys/airline-passenger-satisfaction-test.csv");
  if (existsSync(airline)) {
    await test("the airline survey: the calibration sentence, then the weak spots with how sure their ranking is", async () => {
      const file = join(work, "flight.waymark");
      execFileSync(cli, ["import", join(root, "tests/fixtures/airline-flight.json"), "-o", file]);
      const browser = await launch([file]);
      try {
        await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the flight");
        const { words, sure } = await surveyInWindow(browser, airline, {
          na: "0", overall: "satisfaction", positive: "satisfied", shot: "survey-airline.png",
        });
        if (!words.includes("follows their average moment more than their worst") || !words.includes("fitted on 25,976 respondents, AUC 0.83 against 0.71")) {
          throw new Error(`the airline's calibration: ${words}`);
        }
        if (!sure.includes("25976 respondents of airline-passenger-satisfaction-test.csv")) throw new Error(`drawn from the survey: ${sure}`);
        // The weak spots with their certainty, where the README shows them.
        await browser.execute(() => document.querySelector("[data-testid=certainty]")?.scrollIntoView({ block: "start" }));
        await sleep(300);
        await browser.saveScreenshot(join(shots, "certainty-airline.png"));
      } finally {
        await browser.deleteSession();
      }
    });
  }

  await test("File › Export PDF writes the report through the save dialog", async () => {
    const browser = await launch([]);
    const out = join(work, "exported-report.pdf");
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      await browser.$("button=Export PDF…").click();
      await waitFor(browser, () => browser.$("[data-testid=export-panel]").isDisplayed(), "the export panel");
      await browser.$("[data-testid=export-panel] input[type=checkbox]").click(); // do not open a viewer
      await browser.$("button=Choose file…").click();
      await answerDialog("Export the report as PDF", out);
      const saved = await waitFor(browser, () => visibleText(browser, "[data-testid=exported]"), "the saved notice", 30000);
      if (!saved.includes("exported-report.pdf")) throw new Error(`notice should name the file: ${saved}`);
      const head = readFileSync(out).subarray(0, 5).toString();
      assertEqual(head, "%PDF-", "a PDF was written");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("File › Open: a bad file shows its error and keeps the map; a good one opens", async () => {
    const junk = join(work, "junk-chosen.waymark");
    writeFileSync(junk, "not a map at all");
    const good = join(work, "desk-chosen.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/it-service-desk.json"), "-o", good]);
    const expected = sample("it-service-desk");
    const browser = await launch([]);
    const choose = async (path) => {
      await browser.$("button=Open…").click();
      await answerDialog("Open a Waymark map", path);
    };
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      await choose(junk);
      const banner = await waitFor(browser, () => visibleText(browser, "[data-testid=error]"), "the error banner", 20000);
      if (!banner.includes("Not a Waymark map")) throw new Error(`banner: ${banner}`);
      assertEqual(await visibleText(browser, "[data-testid=map-title]"), "Driver licence renewal", "the map it had stays");
      await choose(good);
      const title = await waitFor(browser, async () => {
        const t = await visibleText(browser, "[data-testid=map-title]");
        return t === expected.title ? t : null;
      }, "the chosen map", 20000);
      assertEqual(title, expected.title, "the chosen map opens");
      assertEqual((await browser.$$("svg .step-card")).length, expected.steps.length, "its cards");
      assertEqual(await browser.$("[data-testid=error]").isExisting(), false, "the error is cleared");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("a map another Waymark holds opens read-only and says why; edits are refused; a copy saved elsewhere is edited", async () => {
    const file = join(work, "held.waymark");
    const copy = join(work, "held copy.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
    // Another Waymark's claim, taken as src/store/lock.rs takes it: flock on
    // the sidecar `.<name>.lock` beside the map, held while this child lives.
    const holder = spawn("flock", ["-n", join(work, ".held.waymark.lock"), "-c", "echo held && exec sleep 600"], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise((ok, fail) => {
      holder.stdout.once("data", ok);
      holder.once("exit", (code) => fail(new Error(`flock could not take the lock (exit ${code})`)));
    });
    const before = readFileSync(file);
    const browser = await launch([file]);
    try {
      const banner = await waitFor(browser, () => visibleText(browser, "[data-testid=read-only]"), "the read-only banner");
      if (!banner.includes("Another Waymark window has this map open")) throw new Error(`the banner says why: ${banner}`);
      assertEqual(await visibleText(browser, "[data-testid=saved]"), "Read-only", "the status says read-only");
      assertEqual(await browser.$("[data-testid=quick-entry]").isExisting(), false, "no quick-entry line");
      assertEqual(await browser.$("[data-testid=save-copy]").isDisplayed(), true, "a copy is offered");
      // The fields are shown but disabled; a key still asks, and the shell refuses with the reason.
      await clickCard(browser, "greet");
      await waitFor(browser, () => browser.$("[data-testid=inspector]").isExisting(), "the inspector");
      assertEqual(await browser.$("[data-testid=step-title]").isEnabled(), false, "the inspector's fields are disabled");
      await browser.$("[data-testid=step-count]").click();
      await browser.keys(["1"]);
      const refusal = await waitFor(browser, () => visibleText(browser, "[data-testid=error]"), "the refusal");
      if (!refusal.includes("This map is read-only") || !refusal.includes("the change was not saved: another Waymark window has this map open")) {
        throw new Error(`the refusal says why: ${refusal}`);
      }
      assertEqual(Buffer.compare(readFileSync(file), before), 0, "the held file is untouched");
      await browser.saveScreenshot(join(shots, "read-only.png"));

      await browser.$("[data-testid=save-copy]").click();
      await answerDialog("Save a copy of the map", copy);
      await waitFor(browser, async () => !(await browser.$("[data-testid=read-only]").isExisting()) || null, "the copy, editable", 20000);
      assertEqual(await browser.getTitle(), "Driver licence renewal — held copy.waymark — Waymark", "the window is on the copy");
      await clickCard(browser, "greet");
      await browser.$("[data-testid=step-count]").click();
      await browser.keys(["1"]);
      await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === "1" || null, "the score, stored in the copy");
      assertEqual(await visibleText(browser, "[data-testid=saved]"), "All changes saved", "saved");
    } finally {
      await browser.deleteSession();
      holder.kill();
    }
    const json = join(work, "held-copy.json");
    execFileSync(cli, ["export", copy, "--json", json]);
    assertEqual(JSON.parse(readFileSync(json, "utf8")).steps.find((s) => s.id === "greet").score, 1, "the copy holds the edit");
    assertEqual(Buffer.compare(readFileSync(file), before), 0, "the original is as the other window left it");
  });

  await test("a facilitator adds steps from the quick-entry line, scores one with a key, votes; undo, redo; all there after a restart", async () => {
    const file = join(work, "workshop.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
    let browser = await launch([file]);
    // Text goes into the fields through WebDriver; forms are submitted with
    // the Enter key (WebDriver's U+E007; its "Return", U+E006, does not
    // submit a form in WebKitWebDriver).
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      let expectedCount = 21;
      for (const title of ["Queue for the second camera", "Photo retaken after glare"]) {
        expectedCount += 1;
        await fill(browser, "[data-testid=quick-entry] input.title", title);
        await fill(browser, "[data-testid=quick-entry] input[aria-label=Stage]", "pho");
        await fill(browser, "[data-testid=quick-entry] input[aria-label=Department]", "photo");
        await browser.keys(["Enter"]);
        await waitFor(browser, async () => (await visibleText(browser, "[data-testid=step-count]")) === `${expectedCount} steps` || null, "the new step");
        await browser.$("[data-testid=step-count]").click(); // leave the field so keys reach the map
      }
      assertEqual(await visibleText(browser, "[data-testid=step-count]"), "23 steps", "two steps added");
      // Not yet connected on a map whose entry shares are given: the inspector says why it does not count.
      const why = await waitFor(browser, async () => {
        const seen = await browser.execute(() => [...document.querySelectorAll("[data-testid=step-problem]")].map((p) => p.textContent).join(" | "));
        return seen.includes("no customer starts here") ? seen : null;
      }, "the step's own warning");
      if (!why.includes("has no score")) throw new Error(`and that it is not scored yet: ${why}`);
      // The last added step is selected: press 2 to score it.
      await browser.keys(["2"]);
      await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === "2" || null, "the score");
      await fill(browser, "[data-testid=pain-text]", "Second camera often offline");
      await browser.$("[data-testid=inspector]").$("button=Add").click();
      await waitFor(browser, () => browser.$("[data-testid=pain-point]").isExisting(), "the pain point");
      for (let i = 0; i < 3; i++) {
        await browser.$("button[aria-label='Add a vote']").click();
        await waitFor(browser, async () => Number(await visibleText(browser, "[data-testid=votes]")) === i + 1 || null, `vote ${i + 1}`);
      }
      await browser.$("[data-testid=undo]").click();
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=votes]")) === "2" || null, "undo a vote");
      await browser.$("[data-testid=redo]").click();
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=votes]")) === "3" || null, "redo the vote");
      assertEqual(await visibleText(browser, "[data-testid=saved]"), "All changes saved", "the window says it is saved");
      await browser.saveScreenshot(join(shots, "editor.png"));
    } finally {
      await browser.deleteSession();
    }
    // Reopen: everything is in the file.
    browser = await launch([file]);
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      assertEqual(await visibleText(browser, "[data-testid=step-count]"), "23 steps", "the added steps survive");
      const card = await browser.$("svg .step-card[data-step=photo_retaken_after_glare]");
      assertEqual(await card.isExisting(), true, "the new step's card is drawn");
      const score = await browser.execute(() => document.querySelector(".step-card[data-step=photo_retaken_after_glare] .step-score")?.textContent ?? null);
      assertEqual(score, "2.0", "its score survives");
      const marker = await browser.execute(() => document.querySelector(".step-card[data-step=photo_retaken_after_glare] .pain-marker")?.getAttribute("data-votes") ?? null);
      assertEqual(marker, "3", "its pain point's 3 votes survive");
      const undoEnabled = await browser.$("[data-testid=undo]").isEnabled();
      assertEqual(undoEnabled, true, "undo history survives the restart");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("edits patch the drawing in place, and it is then the drawing a reload gets whole, also after a run of random edits", async () => {
    const file = join(work, "patched.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
    const browser = await launch([file]);
    // What the drawing shows, element by element: every card with its text,
    // the halos and ranks, the curve's figures, the flows.
    const snapshot = () =>
      browser.execute(() => {
        const svg = document.querySelector(".drawing svg");
        const list = (sel, f) => [...svg.querySelectorAll(sel)].map(f).join("\n");
        return {
          ns: [...svg.querySelectorAll(".step-card")].every((c) => c.namespaceURI === "http://www.w3.org/2000/svg" && c instanceof SVGGElement),
          cards: list(".step-card", (c) => `${c.getAttribute("data-step")}|${c.textContent}|${c.querySelector("rect")?.getAttribute("y")}`),
          halos: list(".halo", (h) => `${h.getAttribute("data-weak-spot")}|${h.getAttribute("width")}`),
          ranks: list("g.ranks > .rank", (r) => `${r.getAttribute("data-step")}|${r.getAttribute("data-rank")}|${r.textContent}`),
          curve: svg.querySelector("g.emotion-curve")?.textContent,
          flows: list("path.flow", (f) => f.getAttribute("d")),
        };
      });
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      const steps = () => browser.execute(() => document.querySelectorAll(".step-card").length);
      // Marks the drawing on screen: a whole new drawing would not carry it.
      const mark = () => browser.execute(() => (document.querySelector(".drawing svg").dataset.e2e = "patched"));
      /** The drawing as patched equals the drawing a reload gets whole. */
      const compareWithReload = async (count) => {
        await waitFor(browser, async () => (await visibleText(browser, "[data-testid=saved]")) === "All changes saved" || null, "saved");
        const patched = await snapshot();
        assertEqual(patched.ns, true, "patched cards are SVG elements");
        assertEqual(await browser.execute(() => document.querySelector(".drawing svg").dataset.e2e ?? null), "patched", "the edits patched the drawing on screen");
        await browser.refresh();
        await waitFor(browser, async () => (await steps()) === count || null, "the reloaded drawing");
        const whole = await snapshot();
        for (const key of ["cards", "halos", "ranks", "curve", "flows"]) assertEqual(patched[key], whole[key], `the patched drawing's ${key}`);
      };
      // A score (a card, the halos, the curve); a step added and scored (a card inserted, then replaced).
      await mark();
      await clickCard(browser, "greet");
      await browser.$("[data-testid=step-count]").click();
      await browser.keys(["2"]);
      await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === "2" || null, "the score");
      await fill(browser, "[data-testid=quick-entry] input.title", "Second greeting at the door");
      await fill(browser, "[data-testid=quick-entry] input[aria-label=Stage]", "arr");
      await fill(browser, "[data-testid=quick-entry] input[aria-label=Department]", "counter");
      await browser.keys(["Enter"]);
      await waitFor(browser, async () => (await steps()) === 22 || null, "the added card");
      await browser.$("[data-testid=step-count]").click();
      await browser.keys(["4"]); // the new step is selected: score it
      await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === "4" || null, "the new step's score");
      await compareWithReload(22);
      // The step deleted again (a card removed).
      await mark();
      await clickCard(browser, "second_greeting_at_the_door");
      await browser.$("[data-testid=inspector]").$("button=Delete step…").click();
      await browser.$("[data-testid=inspector] .danger").$("button=Delete").click();
      await waitFor(browser, async () => (await steps()) === 21 || null, "the deleted card gone");
      await compareWithReload(21);
      // A run of random edits (seeded, so a failure repeats): scores on
      // random frontstage cards, steps added and deleted. Then the drawing
      // on screen, element for element, is the drawing a reload gets whole.
      let seed = 20261205;
      const random = (n) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      await mark();
      let count = 21;
      for (let i = 0; i < 24; i++) {
        const what = random(6);
        if (what === 0) {
          await fill(browser, "[data-testid=quick-entry] input.title", `Random step ${i}`);
          await fill(browser, "[data-testid=quick-entry] input[aria-label=Stage]", "arr");
          await fill(browser, "[data-testid=quick-entry] input[aria-label=Department]", "counter");
          await browser.keys(["Enter"]);
          await waitFor(browser, async () => (await steps()) === count + 1 || null, `random step ${i} drawn`);
          count += 1;
        } else if (what === 1 && count > 21) {
          const id = await browser.execute(() => [...document.querySelectorAll(".step-card")].map((c) => c.getAttribute("data-step")).find((s) => s.startsWith("random_step")));
          await clickCard(browser, id);
          await browser.$("[data-testid=inspector]").$("button=Delete step…").click();
          await browser.$("[data-testid=inspector] .danger").$("button=Delete").click();
          await waitFor(browser, async () => (await steps()) === count - 1 || null, `${id} deleted`);
          count -= 1;
        } else {
          const ids = await browser.execute(() => [...document.querySelectorAll(".step-card.frontstage")].map((c) => c.getAttribute("data-step")));
          const id = ids[random(ids.length)];
          const score = String(1 + random(5));
          await clickCard(browser, id);
          await browser.$("[data-testid=step-count]").click();
          await browser.keys([score]);
          await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === score || null, `${id} scored ${score}`);
        }
      }
      const markup = () =>
        browser.execute(() => {
          const svg = document.querySelector(".drawing svg").cloneNode(true);
          svg.querySelector(":scope > g.frozen-lanes")?.remove();
          delete svg.dataset.e2e;
          for (const el of svg.querySelectorAll(".selected, .dimmed")) el.classList.remove("selected", "dimmed");
          return svg.outerHTML;
        });
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=saved]")) === "All changes saved" || null, "saved");
      const afterEdits = await markup();
      await browser.refresh();
      await waitFor(browser, async () => (await steps()) === count || null, "the reloaded drawing");
      const reloaded = await markup();
      if (afterEdits !== reloaded) {
        const at = [...afterEdits].findIndex((c, k) => c !== reloaded[k]);
        throw new Error(`after random edits the patched drawing differs from a whole one at ${at}: ${afterEdits.slice(at - 80, at + 80)} / ${reloaded.slice(at - 80, at + 80)}`);
      }
    } finally {
      await browser.deleteSession();
    }
  });

  await test("a new map from nothing: 6 steps over 3 departments, connected, scored, a pain point with 3 votes, undo/redo, reopened", async () => {
    const file = join(work, "fresh-workshop.waymark");
    let browser = await launch([]);
    const steps = [
      { title: "Arrive and take a ticket", stage: "Arrive", dept: "Desk", score: "4" },
      { title: "Wait in line", stage: "arr", dept: "desk", score: "3.5" },
      { title: "Check the records", stage: "Serve", dept: "Records", backstage: true },
      { title: "Talk to the clerk", stage: "ser", dept: "Counter", score: "5" },
      { title: "Pay at the counter", stage: "Leave", dept: "coun", score: "4" },
      { title: "Photo taken", stage: "lea", dept: "des", score: "2" },
    ];
    const ids = ["arrive_and_take_a_ticket", "wait_in_line", "check_the_records", "talk_to_the_clerk", "pay_at_the_counter", "photo_taken"];
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the start-up map");
      await browser.$("[data-testid=new]").click();
      await browser.$("[data-testid=new-panel]").$("button=Choose where to save…").click();
      await answerDialog("Create a new Waymark map", file);
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=map-title]")) === "Untitled journey" || null, "the new, empty map");
      assertEqual(await visibleText(browser, "[data-testid=step-count]"), "0 steps", "it starts empty");
      for (const [i, s] of steps.entries()) {
        await fill(browser, "[data-testid=quick-entry] input.title", s.title);
        await fill(browser, "[data-testid=quick-entry] input[aria-label=Stage]", s.stage);
        await fill(browser, "[data-testid=quick-entry] input[aria-label=Department]", s.dept);
        const box = await browser.$("[data-testid=quick-entry] input[type=checkbox]");
        if ((await box.isSelected()) !== Boolean(s.backstage)) await box.click();
        await browser.$("[data-testid=quick-entry] input[aria-label=Department]").click();
        await browser.keys(["Enter"]); // the keyboard, as a facilitator adds steps
        await waitFor(browser, async () => (await visibleText(browser, "[data-testid=step-count]")) === `${i + 1} step${i === 0 ? "" : "s"}` || null, `step ${i + 1}`);
        if (s.score) {
          await browser.$("[data-testid=step-count]").click(); // leave the field: keys go to the map
          await browser.keys([...s.score]); // "3.5" is the keys 3, ".", 5
          await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === s.score || null, `score of step ${i + 1}`);
        }
        if (s.score?.includes(".")) {
          // The 3 and the .5 are one change: one Ctrl+Z takes the score away, Ctrl+Shift+Z brings 3.5 back.
          await browser.keys([Key.Ctrl, "z"]);
          await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === "" || null, "Ctrl+Z takes back 3.5 whole");
          assertEqual(await visibleText(browser, "[data-testid=step-count]"), `${i + 1} steps`, "the step itself stays");
          await browser.keys([Key.Ctrl, Key.Shift, "z"]);
          await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === s.score || null, "Ctrl+Shift+Z redoes it");
        }
      }
      const departments = await browser.execute(() => document.querySelectorAll("svg [data-department]").length);
      assertEqual(departments, 3, "three departments, made from the quick-entry line");
      for (let i = 0; i + 1 < ids.length; i++) {
        await clickCard(browser, ids[i]);
        await waitFor(browser, async () => (await browser.$("[data-testid=step-title]").getValue()) === steps[i].title || null, `select ${ids[i]}`);
        // Type part of the next step's title; Enter takes the best match, or click it.
        await fill(browser, "[data-testid=connect-to]", steps[i + 1].title.slice(0, 12));
        if (i % 2 === 0) await browser.keys(["Enter"]);
        else await browser.$(`[data-testid=connect-matches] button[data-step=${ids[i + 1]}]`).click();
        await waitFor(browser, async () => (await browser.execute(() => document.querySelectorAll("svg path.flow").length)) === i + 1 || null, `flow ${i + 1}`);
      }
      await clickCard(browser, "photo_taken");
      await fill(browser, "[data-testid=pain-text]", "Camera times out");
      await browser.keys(["Enter"]);
      await waitFor(browser, () => browser.$("[data-testid=pain-point]").isExisting(), "the pain point");
      for (let v = 1; v <= 3; v++) {
        await browser.$("button[aria-label='Add a vote']").click();
        await waitFor(browser, async () => Number(await visibleText(browser, "[data-testid=votes]")) === v || null, `vote ${v}`);
      }
      await browser.$("[data-testid=undo]").click();
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=votes]")) === "2" || null, "undo");
      await browser.$("[data-testid=redo]").click();
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=votes]")) === "3" || null, "redo");
    } finally {
      await browser.deleteSession();
    }
    browser = await launch([file]);
    try {
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=map-title]")) === "Untitled journey" || null, "the reopened map");
      assertEqual(await visibleText(browser, "[data-testid=step-count]"), "6 steps", "all six steps");
      assertEqual(await browser.execute(() => document.querySelectorAll("svg path.flow").length), 5, "all five flows");
      const votes = await browser.execute(() => document.querySelector('.step-card[data-step="photo_taken"] .pain-marker')?.getAttribute("data-votes") ?? null);
      assertEqual(votes, "3", "the three votes");
      const first = await waitFor(browser, () => visibleText(browser, "[data-testid=weak-spots] li:first-child .title"), "the weak-spot panel");
      assertEqual(first, "Photo taken", "the late, poorly scored photo is the weak spot that colours the visit");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("the map is renamed from its heading; a loop is refused in words, the same connection made as rework is drawn; the Delete key asks first", async () => {
    const file = join(work, "rework.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
    const browser = await launch([file]);
    const flows = () => browser.execute(() => document.querySelectorAll("svg path.flow").length);
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      await browser.$("[data-testid=map-title] button").click();
      // The field opens focused with the title; typed over, as a person would
      // (WebDriver's clear would take the focus away, which ends the renaming).
      const field = await browser.$("[data-testid=map-title-input]");
      await waitFor(browser, () => field.isFocused(), "the title field, focused");
      await browser.keys([Key.Ctrl, "a"]);
      await field.addValue("Licence renewal workshop");
      await browser.keys(["Enter"]);
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=map-title]")) === "Licence renewal workshop" || null, "the new title");
      await waitFor(browser, async () => (await browser.execute(() => document.querySelector("svg .map-title")?.textContent)) === "Licence renewal workshop" || null, "the title on the drawing");
      // The window's own title bar follows (the mock runtime keeps no titles, so this is checked here).
      execFileSync("timeout", ["10", "xdotool", "search", "--sync", "--name", "^Licence renewal workshop — rework.waymark — Waymark$"]);

      const before = await flows();
      await clickCard(browser, "photo_line");
      await waitFor(browser, async () => (await browser.$("[data-testid=step-title]").getValue()) === "Photo line and camera" || null, "the photo step");
      await fill(browser, "[data-testid=connect-to]", "Pay the ren");
      await browser.keys(["Enter"]);
      const refusal = await waitFor(browser, () => visibleText(browser, "[data-testid=error]"), "the refusal of a loop");
      for (const words of ["cycle: Pay the renewal fee → Applicant file sent to photo station → Photo line and camera → Pay the renewal fee", "mark the flow that sends customers back as rework"])
        if (!refusal.includes(words)) throw new Error(`the refusal should say ${JSON.stringify(words)}: ${refusal}`);
      for (const noise of ["not reachable", "flows["]) if (refusal.includes(noise)) throw new Error(`the refusal should not say ${JSON.stringify(noise)}: ${refusal}`);
      assertEqual(await flows(), before, "the loop was not drawn");
      await browser.$("[data-testid=error] button[aria-label=Dismiss]").click();

      await browser.$("[data-testid=connect-kind]").selectByAttribute("value", "rework");
      await fill(browser, "[data-testid=connect-to]", "Pay the ren");
      await browser.keys(["Enter"]);
      await waitFor(browser, async () => (await flows()) === before + 1 || null, "the rework flow");
      const rework = await browser.execute(() => document.querySelectorAll("svg path.flow.rework").length);
      if (rework < 1) throw new Error("the flow sending customers back is drawn as rework");
      assertEqual(await browser.$("[data-testid=error]").isExisting(), false, "no refusal this time");
      assertEqual(await browser.$("[data-testid=connect-to]").getValue(), "", "the connect field is cleared");

      // The Delete key on a card asks first, saying what goes with it; Escape keeps it, Enter deletes.
      await clickCard(browser, "sign_pad");
      await waitFor(browser, async () => (await browser.$("[data-testid=step-title]").getValue()) === "Sign on the signature pad" || null, "the signature step");
      await browser.$("[data-testid=step-count]").click(); // leave the field: keys go to the map
      await browser.keys(["Delete"]);
      const asked = await waitFor(browser, () => visibleText(browser, "[data-testid=delete-confirm]"), "the question");
      if (!asked.includes("Sign on the signature pad") || !asked.includes("2 flow(s)")) throw new Error(`the question says what goes: ${asked}`);
      await browser.keys(["Escape"]);
      await waitFor(browser, async () => !(await browser.$("[data-testid=delete-confirm]").isExisting()) || null, "kept");
      assertEqual(await visibleText(browser, "[data-testid=step-count]"), "21 steps", "Escape kept the step");
      await browser.keys(["Delete"]);
      await waitFor(browser, () => visibleText(browser, "[data-testid=delete-confirm]"), "asked again");
      await browser.keys(["Enter"]);
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=step-count]")) === "20 steps" || null, "the step deleted");
    } finally {
      await browser.deleteSession();
    }
    execFileSync(cli, ["export", file, "--json", join(work, "rework.json")]);
    const doc = JSON.parse(readFileSync(join(work, "rework.json"), "utf8"));
    assertEqual(doc.title, "Licence renewal workshop", "the title is in the file");
    const sent = doc.flows.find((f) => f.from === "photo_line" && f.to === "pay_fee");
    assertEqual(sent?.kind, "rework", "the rework flow is in the file");
  });

  await test("stages and lanes are managed in the panel, a card is dragged to another lane, participants rate and vote within a budget", async () => {
    const file = join(work, "structure.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
    const browser = await launch([file]);
    const svgText = (selector) => browser.execute((sel) => document.querySelector(sel)?.textContent ?? null, selector);
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");

      // Stages and departments: rename, add, reorder, delete.
      await browser.$("[data-testid=tab-structure]").click();
      const firstStage = await browser.$("[data-testid=stage-row] input");
      await firstStage.setValue("Book and arrive");
      await browser.$("[data-testid=structure] h2").click(); // leaving the field commits it
      await waitFor(browser, async () => (await svgText("svg text[data-stage=before]")) === "Book and arrive" || null, "the renamed stage's column heading");
      await fill(browser, "[data-testid=new-department]", "Security");
      await browser.$("[data-testid=new-department]").parentElement().$("select").selectByAttribute("value", "internal");
      const addDept = await browser.$("[data-testid=new-department]").parentElement().$("button=Add");
      await addDept.scrollIntoView({ block: "center" });
      await addDept.click();
      await waitFor(browser, () => browser.execute(() => document.querySelector("svg [data-lane=security]") !== null), "the new Security lane");
      const rows = () => browser.execute(() => [...document.querySelectorAll("[data-testid=department-row] input:not([type=color])")].map((i) => i.value));
      const before = await rows();
      assertEqual(before.at(-1), "Security", "the new department is last");
      const up = await browser.$$("[data-testid=department-row]")[before.length - 1].$("button[aria-label='Move department up']");
      await up.scrollIntoView({ block: "center" });
      await up.click();
      await waitFor(browser, async () => (await rows()).at(-2) === "Security" || null, "Security moved up one");
      await browser.$$("[data-testid=department-row]")[before.length - 2].$("button[aria-label='Delete department']").click();
      await browser.$("[data-testid=confirm-delete]").$("button=Delete").click();
      await waitFor(browser, async () => (await rows()).length === before.length - 1 || null, "Security deleted");
      // A department that still owns steps asks where they go.
      await browser.$$("[data-testid=department-row]")[0].$("button[aria-label='Delete department']").click();
      const confirm = await visibleText(browser, "[data-testid=confirm-delete]");
      if (!/steps? move to/.test(confirm ?? "")) throw new Error(`deleting a department with steps asks where they go; saw ${confirm}`);
      await browser.$("[data-testid=confirm-delete]").$("button=Keep").click();

      // Drag the greeting card down into the counter lane, same stage. At
      // actual size: WebKit reports element boxes unzoomed under CSS zoom.
      await browser.$("[data-testid=tab-step]").click();
      await browser.$("button[title='Actual size']").click();
      await browser.execute(() => document.querySelector(".step-card[data-step=greet]").scrollIntoView({ block: "center", inline: "center" }));
      await sleep(300);
      const geometry = await browser.execute(() => {
        const card = document.querySelector(".step-card[data-step=greet] rect").getBoundingClientRect();
        const lane = document.querySelector("svg [data-lane=counter]").getBoundingClientRect();
        return { x: Math.round(card.x + card.width / 2), y: Math.round(card.y + card.height / 2), laneY: Math.round(lane.y + lane.height / 2), w: innerWidth, h: innerHeight, hit: document.elementFromPoint(card.x + card.width / 2, card.y + card.height / 2)?.closest(".step-card")?.getAttribute("data-step") };
      });
      assertEqual(geometry.hit, "greet", `the greeting card is under the pointer at ${JSON.stringify(geometry)}`);
      await browser
        .action("pointer", { parameters: { pointerType: "mouse" } })
        .move({ x: geometry.x, y: geometry.y, origin: "viewport" })
        .down({ button: 0 })
        .move({ x: geometry.x + 4, y: geometry.y + 12, origin: "viewport", duration: 100 })
        .move({ x: geometry.x, y: geometry.laneY, origin: "viewport", duration: 300 })
        .up({ button: 0 })
        .perform();
      await clickCard(browser, "greet");
      await waitFor(browser, async () => (await browser.$("[data-testid=step-department]").getValue()) === "counter" || null, "the dragged card in the counter lane");
      assertEqual(await browser.$("[data-testid=step-stage]").getValue(), "arrive", "it kept its stage");

      // Participants: one joins, the budget is set, two people rate the greeting.
      await browser.$("[data-testid=tab-workshop]").click();
      await fill(browser, "[data-testid=new-participant]", "Dee");
      await browser.keys(["Enter"]);
      await waitFor(browser, async () => (await browser.$$("[data-testid=participant]")).length === 4 || null, "Dee joins");
      await fill(browser, "[data-testid=dot-budget]", "3"); // Carla already placed 3
      await browser.$("[data-testid=workshop] h2").click();
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=participant][data-name=Dee] [data-testid=dots-left]")) === "3 dots left" || null, "Dee has 3 dots");
      // Dee is the voter (the first to join picks nobody; choose her).
      await browser.$("[data-testid=participant][data-name=Dee] input[type=radio]").click();
      const plus = () => browser.$("[data-testid=pain-ranking] li:first-child button[aria-label='Place a dot']");
      const topVotes = async () => Number(await visibleText(browser, "[data-testid=pain-ranking] li:first-child .total"));
      const start = await topVotes();
      for (let v = 1; v <= 3; v++) {
        await plus().click();
        await waitFor(browser, async () => (await topVotes()) === start + v || null, `Dee's dot ${v}`);
      }
      await plus().click();
      const refusal = await waitFor(browser, () => visibleText(browser, "[data-testid=error]"), "the refusal of a fourth dot");
      if (!refusal.includes("Dee has placed 3 of 3 dots")) throw new Error(`a dot over budget is refused by name; saw ${refusal}`);
      assertEqual(await topVotes(), start + 3, "the fourth dot was not placed");
      await browser.$("[data-testid=error] button[aria-label=Dismiss]").click();

      await clickCard(browser, "greet");
      await browser.$("[data-testid=tab-step]").click();
      await fill(browser, "[data-testid=rating-Amira]", "2");
      await browser.$("[data-testid=inspector] h2").click();
      // The greeting's 4.7 was agreed and typed: one rating does not replace it.
      const apart = await waitFor(browser, () => visibleText(browser, "[data-testid=rating-apart]"), "the agreed score beside the rating");
      if (!apart.includes("Agreed score 4.7") || !apart.includes("1 rating: 2.0")) throw new Error(`both shown: ${apart}`);
      assertEqual(await browser.$("[data-testid=step-score]").getValue(), "4.7", "the agreed score stays");
      await waitFor(browser, async () => (await svgText(".step-card[data-step=greet] .step-spread")) === "1 rating: 2.0" || null, "the card shows the rating beside the score");
      // The facilitator chooses the ratings' mean; from then on the score follows them.
      await browser.$("[data-testid=use-ratings]").click();
      await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === "2" || null, "the ratings' mean is the score");
      await fill(browser, "[data-testid=rating-Dee]", "4.5");
      await browser.$("[data-testid=inspector] h2").click();
      await waitFor(browser, async () => (await browser.$("[data-testid=step-score]").getValue()) === "3.3" || null, "the mean of 2 and 4.5, to one decimal");
      assertEqual(await svgText(".step-card[data-step=greet] .step-spread"), "2.0–4.5 ×2", "the card shows the spread");
      await sleep(500); // let the last edit's drawing reach the screen
      await browser.saveScreenshot(join(shots, "workshop.png"));
    } finally {
      await browser.deleteSession();
    }
    // All of it is in the file.
    const json = join(work, "structure.json");
    execFileSync(cli, ["export", file, "--json", json]);
    const saved = JSON.parse(readFileSync(json, "utf8"));
    assertEqual(saved.stages[0].name, "Book and arrive", "the stage name is saved");
    assertEqual(saved.steps.find((s) => s.id === "greet").department, "counter", "the drag is saved");
    assertEqual(saved.steps.find((s) => s.id === "greet").score, 3.3, "the mean is saved");
    assertEqual(saved.workshop.dot_budget, 3, "the budget is saved");
    assertEqual(saved.departments.some((d) => d.id === "security"), false, "the deleted department stays deleted");
  });

  await test("hostile text is shown as text: no element is created, nothing runs, an overlong title is refused with a message", async () => {
    const doc = sample("it-service-desk");
    const hostile = {
      title: '<img src=x onerror="window.__pwned=1"> & "desk"',
      step: "<script>window.__pwned=2</script>\u202Egnp.exe",
      notes: `nul\u0000bell\u0007 rtl\u202E ${"n".repeat(10000)}`,
      pain: "</textarea><b>bold</b> & <i>it</i>",
      owner: "O'Brien \"the\" <svg onload=window.__pwned=3>",
    };
    doc.title = hostile.title;
    doc.steps[0].title = hostile.step;
    doc.steps[0].notes = hostile.notes;
    doc.steps[0].owner = hostile.owner;
    doc.pain_points.find((p) => p.step === doc.steps[0].id).text = hostile.pain;
    const json = join(work, "hostile.json");
    const file = join(work, "hostile.waymark");
    writeFileSync(json, JSON.stringify(doc));
    execFileSync(cli, ["import", json, "-o", file]);
    const browser = await launch([file]);
    try {
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=map-title]")) === hostile.title || null, "the literal title");
      const id = doc.steps[0].id;
      await clickCard(browser, id);
      await waitFor(browser, () => browser.$("[data-testid=inspector]").isExisting(), "the inspector");
      const seen = await browser.execute((i) => ({
        pwned: window.__pwned ?? null,
        elements: document.querySelectorAll("img, b, i, iframe, object, embed").length,
        scripts: [...document.querySelectorAll("script")].filter((s) => !s.src).length,
        svgInSvg: document.querySelectorAll("svg svg, [onload], [onerror]").length,
        cardTitle: [...document.querySelectorAll(`.step-card[data-step="${i}"] .step-title`)].map((t) => t.textContent).join(" "),
        stepTitle: document.querySelector("[data-testid=step-title]")?.value,
        notes: document.querySelector("[data-testid=inspector] textarea")?.value,
        pain: document.querySelector("[data-testid=pain-point] .ptext")?.textContent,
        owners: [...document.querySelectorAll("[data-testid=focus] option")].map((o) => o.textContent),
      }), id);
      assertEqual(seen.pwned, null, "no hostile script ran");
      assertEqual(seen.elements, 0, "no element was made from user text");
      assertEqual(seen.scripts, 0, "no inline script was made from user text");
      assertEqual(seen.svgInSvg, 0, "no nested svg or event-handler attribute");
      if (!seen.cardTitle.startsWith("<script>")) throw new Error(`the card shows the markup as text: ${seen.cardTitle}`);
      assertEqual(seen.stepTitle, hostile.step, "the inspector holds the literal title, RTL mark included");
      assertEqual(seen.notes?.length, hostile.notes.length, "the 10,000-character note is all there");
      assertEqual(seen.notes?.slice(0, 12), hostile.notes.slice(0, 12), "NUL, bell and RTL mark kept as text");
      if (!seen.pain?.startsWith(hostile.pain)) throw new Error(`the pain point shows its markup as text: ${seen.pain}`);
      if (!seen.owners.includes(hostile.owner)) throw new Error(`the owner filter lists the literal name: ${seen.owners}`);
      // A pasted 10,000-character title is refused with the limit, and the title stays.
      // (Pasted in one go: WebDriver types a character at a time.)
      await browser.execute(() => {
        const field = document.querySelector("[data-testid=step-title]");
        field.value = "t".repeat(10000);
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
      const refusal = await waitFor(browser, () => visibleText(browser, "[data-testid=error]"), "the refusal of a long title");
      if (!refusal.includes("is 10000 characters long; the limit is 300")) throw new Error(`the limit is named: ${refusal}`);
      await browser.$("[data-testid=error] button[aria-label=Dismiss]").click();
      const after = await browser.execute((i) => document.querySelector(`.step-card[data-step="${i}"] .step-title`)?.textContent, id);
      if (!after?.startsWith("<script>")) throw new Error(`the old title stays: ${after}`);
      assertEqual(await browser.$("[data-testid=step-title]").getValue(), hostile.step, "the field shows the stored title again");
      await browser.saveScreenshot(join(shots, "hostile.png"));
    } finally {
      await browser.deleteSession();
    }
  });

  await test("presentation mode: full screen, large type, arrow keys move from card to card", async () => {
    const browser = await launch([]);
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      await browser.$("[data-testid=present]").click();
      await waitFor(browser, () => browser.$(".app.presenting").isExisting(), "presentation mode");
      // It opens on the worst spot, drawn large enough to read from the back of the room.
      const worst = await visibleText(browser, "[data-testid=weak-spots] li:first-child .title");
      const onScreen = await waitFor(browser, () => selectedCardInView(browser), "the worst spot's card in view");
      const worstId = await browser.execute(() => document.querySelector("[data-testid=weak-spots] li:first-child .spot")?.getAttribute("data-step"));
      assertEqual(onScreen.id, worstId, `presentation starts on the worst spot, ${worst}`);
      // The lane names and stage headings are off screen at this size: the caption says where the card is.
      // (Which step is worst depends on the weights an earlier test left on this map.)
      const caption = await visibleText(browser, "[data-testid=present-caption]");
      const lanes = await browser.execute(() => [...document.querySelectorAll("[data-testid=departments] tbody td:first-child")].map((td) => td.textContent));
      const where = caption?.split(worst)[0]?.split(" · ") ?? [];
      if (!caption?.includes(worst) || where.length !== 2 || !lanes.includes(where[1].trim())) throw new Error(`the caption names the card, its stage and its lane: ${caption}`);
      if (onScreen.px < 18) throw new Error(`a card title should be at least 18 px on the projector, was ${onScreen.px}`);
      const standing = await browser.execute(() => {
        const cell = document.querySelector("[data-testid=departments] tbody td");
        return cell ? { color: getComputedStyle(cell).color, shown: cell.getBoundingClientRect().height > 0 } : null;
      });
      assertEqual(JSON.stringify(standing), JSON.stringify({ color: "rgb(255, 255, 255)", shown: true }), "department standing, white on black");
      // The model's formula reads on black, and the caption leaves the drawing's legend uncovered.
      const formula = await browser.execute(() => getComputedStyle(document.querySelector("[data-testid=formula]")).color);
      assertEqual(formula, "rgb(224, 224, 224)", "the formula, light on black");
      const clear = await browser.execute(() => {
        const c = document.querySelector("[data-testid=present-caption]")?.getBoundingClientRect();
        const l = document.querySelector(".drawing .legend")?.getBoundingClientRect();
        return !c || !l || c.bottom <= l.top || c.top >= l.bottom || c.right <= l.left || c.left >= l.right;
      });
      assertEqual(clear, true, "the caption does not cover the legend");
      await browser.keys(["ArrowRight"]);
      const first = await waitFor(browser, async () => {
        const id = await browser.execute(() => document.querySelector(".step-card.selected")?.getAttribute("data-step") ?? null);
        return id && id !== worstId ? id : null;
      }, "the card beside the worst spot");
      await browser.keys(["ArrowRight"]);
      const second = await waitFor(browser, async () => {
        const id = await browser.execute(() => document.querySelector(".step-card.selected")?.getAttribute("data-step") ?? null);
        return id && id !== first ? id : null;
      }, "the next card");
      if (first === second) throw new Error("the arrow key should move the selection");
      await waitFor(browser, async () => (await selectedCardInView(browser))?.id === second || null, "the view following the selection");
      await sleep(1000); // the view glides to the card, so the room can follow
      const size = await browser.execute(() => getComputedStyle(document.querySelector(".app")).fontSize);
      if (parseFloat(size) < 20) throw new Error(`large type expected, got ${size}`);
      await browser.saveScreenshot(join(shots, "presentation.png"));
      await browser.keys(["Escape"]);
      await waitFor(browser, async () => !(await browser.$(".app.presenting").isExisting()) || null, "leaving presentation mode");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("a periodic review: overdue review and commitment flagged on opening, agreements and charter, a commitment done, a new review compared and charted, the home screen", async () => {
    const file = join(work, "review.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
    execFileSync(cli, ["review", "add", file, "--name", "Autumn review", "--date", "2026-10-01"]);
    const browser = await launch([file]);
    try {
      // On opening (the app's day is fixed at 2026-11-22): the review is late, the camera commitment overdue.
      const due = await waitFor(browser, () => visibleText(browser, "[data-testid=review-due]"), "the review notice");
      assertEqual(due, "Review overdue by 10 days (it was due on 2026-11-12).", "the review notice");
      const overdue = await visibleText(browser, "[data-testid=overdue-commitments]");
      if (!overdue?.includes("1 commitment overdue") || !overdue.includes("Service the photo-line camera")) throw new Error(`overdue commitments: ${overdue}`);

      // Agreements per pair of departments, and the charter checked against them.
      await browser.$("[data-testid=tab-agreements]").click();
      const pairs = await browser.$$("[data-testid=agreement-pair]");
      assertEqual(pairs.length, 6, "pairs of departments with agreements");
      const firstPair = await visibleText(browser, "[data-testid=agreement-pair-departments]");
      if (!/^provider .+ → receiver .+/i.test(firstPair)) throw new Error(`a pair names provider and receiver: ${firstPair}`);
      const eyes = await visibleText(browser, "[data-promise=ch_eyesight] [data-testid=verdict]");
      assertEqual(eyes, "cannot be met", "the eyesight promise rests on a 2-minute agreement");
      await browser.$("[data-testid=add-promise] select").selectByAttribute("value", "payment");
      await fill(browser, "[aria-label='New promise']", "You pay at one counter, by card or cash");
      await fill(browser, "[aria-label='New promise within minutes']", "4");
      await browser.keys(["Enter"]);
      await waitFor(browser, async () => (await browser.$$("[data-testid=promise]")).length === 6, "the new promise");
      const added = await visibleText(browser, "[data-testid=promise]:last-child [data-testid=verdict]");
      assertEqual(added, "no agreement behind it", "a promise no agreement feeds");

      // The records team now answers in 4 minutes: set on the handoff, the agreement is met.
      await browser.$("[data-testid=tab-step]").click();
      await clickCard(browser, "confirm_details");
      const handoff = await waitFor(browser, async () => {
        const el = await browser.$("[data-testid=handoff][data-from=records_check]");
        return (await el.isExisting()) ? el : null;
      }, "the records handoff in the inspector");
      await handoff.$("[aria-label='Actual minutes']").setValue("4");
      await browser.keys(["Tab"]);
      await browser.$("[data-testid=tab-agreements]").click();
      await waitFor(browser, async () => {
        let breached = 0;
        for (const st of await browser.$$("[data-testid=agreement-status]")) breached += (await st.getProperty("textContent")) === "breached" ? 1 : 0;
        return breached === 1;
      }, "only the photo handoff still breached once the records handoff is met");

      // The review tab: since the last review, the camera commitment is done.
      await browser.$("[data-testid=tab-review]").click();
      await browser.$("[data-commitment=c_camera] select").selectByAttribute("value", "done");
      await waitFor(browser, () => visibleText(browser, "[data-testid=commitments-done]"), "commitments done since the last review");
      if (await browser.$("[data-testid=overdue-commitments]").isExisting()) throw new Error("a done commitment is still flagged overdue");

      // Start a review; it is listed, compared and charted.
      await fill(browser, "[aria-label='Review name']", "Winter review");
      await browser.keys(["Enter"]);
      await waitFor(browser, async () => (await browser.$$("[data-testid=review-entry]")).length === 2, "the second review");
      assertEqual(await visibleText(browser, "[data-testid=schedule]"), "Next review due on 2027-01-03, in 42 days.", "the next review");
      assertEqual((await browser.$$("[data-testid=trend] path[data-series]")).length, 3, "three series on the trend");
      assertEqual((await browser.$$("[data-testid=trend] circle")).length, 9, "two reviews and now, three series each");
      await browser.$("[data-testid=compare-from]").selectByAttribute("value", "1");
      await browser.$("[data-testid=compare-to]").selectByAttribute("value", "2");
      await browser.$("[data-testid=compare]").click();
      const done = await waitFor(browser, () => visibleText(browser, "[data-testid=comparison]"), "the comparison");
      if (!done.includes("“Autumn review”") || !done.includes("“Winter review”") || !done.includes("Service the photo-line camera")) throw new Error(`comparison: ${done}`);
      const moved = await visibleText(browser, "[data-testid=agreements-moved]");
      if (!moved?.includes("Driving record and fines check → Clerk confirms address and fee: breached → met")) throw new Error(`agreements moved: ${moved}`);
      const lift = await visibleText(browser, "[data-testid=delta-remembered]");
      if (!lift) throw new Error("the remembered experience is compared");
      await browser.saveScreenshot(join(shots, "review.png"));

      // The home screen lists the map with its next review.
      await browser.$("[data-testid=home-button]").click();
      const recent = await waitFor(browser, () => visibleText(browser, "[data-testid=recent-map]"), "the recent map");
      if (!recent.includes("Driver licence renewal") || !recent.includes("Next review due on 2027-01-03") || !recent.includes("No overdue commitments")) throw new Error(`home screen: ${recent}`);
      await browser.saveScreenshot(join(shots, "home.png"));
    } finally {
      await browser.deleteSession();
    }
    // The reviews are in the file, and the CLI compares them.
    const listed = execFileSync(cli, ["review", "list", file, "--date", "2026-11-22"]).toString();
    if (!listed.includes("Autumn review") || !listed.includes("Winter review")) throw new Error(`review list: ${listed}`);
    const diff = JSON.parse(execFileSync(cli, ["review", "diff", file, "1", "2", "--json"]).toString());
    assertEqual(diff.commitments_done[0]?.id, "c_camera", "the commitment done between the reviews");
  });

  await test("the room: opened from the Workshop tab, a phone in Chromium joins, rates and places a dot, and the window's figures follow", async () => {
    const file = join(work, "room.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
    const browser = await launch([file]);
    const chromedriver = spawn("chromedriver", ["--port=9515"], { stdio: "ignore" });
    let phone;
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      await browser.$("[data-testid=tab-workshop]").click();
      await browser.$("[data-testid=room-address]").selectByAttribute("value", "127.0.0.1");
      await browser.$("[data-testid=open-room]").click();
      const url = await waitFor(browser, () => visibleText(browser, "[data-testid=room-url]"), "the join URL");
      if (!/^http:\/\/127\.0\.0\.1:\d+\/r\/[0-9a-f]{48}\/$/.test(url)) throw new Error(`a raw IP and a token: ${url}`);
      const code = await visibleText(browser, "[data-testid=room-code]");
      if (!/^[A-Z2-9]{6}$/.test(code)) throw new Error(`a six-character code: ${code}`);
      const qr = await browser.execute(() => document.querySelectorAll("[data-testid=room-qr] svg rect, [data-testid=room-qr] svg path").length);
      if (!(qr > 0)) throw new Error("a QR code is drawn");
      await browser.saveScreenshot(join(shots, "room-window.png"));
      await browser.$("[data-testid=room-large]").click();
      const big = await waitFor(browser, () => visibleText(browser, "[data-testid=room-overlay] .big-code"), "the code on the projector");
      assertEqual(big, code, "the large code");
      await browser.saveScreenshot(join(shots, "room-projector.png"));
      await browser.$("[data-testid=room-overlay]").click();
      const before = await visibleText(browser, "[data-testid=remembered] .value");

      await sleep(300);
      phone = await remote({
        hostname: "127.0.0.1", port: 9515, logLevel: "warn",
        capabilities: { browserName: "chrome", "goog:chromeOptions": {
          binary: "/usr/bin/chromium",
          args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${join(work, "phone-profile")}`],
          mobileEmulation: { deviceMetrics: { width: 390, height: 844, pixelRatio: 2 } } } },
      });
      await phone.url(url);
      await phone.$("#name").setValue("Dana");
      await phone.$("#join-button").click();
      await waitFor(phone, async () => (await phone.$("#me").getText()).includes("You are Dana") || null, "the phone joins");
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=room-joined]")).startsWith("1 joined") || null, "the window sees one joined");
      // The photo line rated 5 by the phone: the window's remembered figure moves.
      await phone.$("select[data-step=photo_line]").selectByAttribute("value", "5");
      await waitFor(phone, async () => (await phone.$("#toast").getText()).includes("saved") || null, "the phone's rating saved");
      const after = await waitFor(browser, async () => {
        const r = await visibleText(browser, "[data-testid=remembered] .value");
        return r !== before ? r : null;
      }, "the window's remembered figure to change");
      if (!(Number(after) > Number(before))) throw new Error(`the photo line's 5 lifts the memory: ${before} → ${after}`);
      const votes = async () => Number(await browser.execute(() => document.querySelector(".step-card[data-step=photo_line] .pain-marker")?.getAttribute("data-votes") ?? "0"));
      const startVotes = await votes();
      await phone.$("li[data-pain=pp_camera] button[aria-label='Place a dot']").click();
      await waitFor(browser, async () => (await votes()) === startVotes + 1 || null, "the dot on the window's map");
      // Reloaded, the phone is the same person.
      await phone.refresh();
      await waitFor(phone, async () => (await phone.$("#me").getText()).includes("You are Dana") || null, "the phone rejoins");
      assertEqual(await visibleText(browser, "[data-testid=room-joined]"), "1 joined · 0 done", "still one person");
      // Closing the room: the phone hears it, nothing listens any more.
      await browser.$("[data-testid=close-room]").click();
      await waitFor(phone, async () => (await phone.$("#closed").isDisplayed()) || null, "the phone hears the room closed");
      await waitFor(browser, async () => (await browser.$("[data-testid=open-room]").isExisting()) || null, "the window offers to open a room again");
    } finally {
      await phone?.deleteSession().catch(() => {});
      chromedriver.kill();
      await browser.deleteSession();
    }
    // The phone's rating and dot are in the file.
    const json = join(work, "room.json");
    execFileSync(cli, ["export", file, "--json", json]);
    const map = JSON.parse(readFileSync(json, "utf8"));
    if (!map.steps.find((s) => s.id === "photo_line").ratings?.some((r) => r.participant === "Dana" && r.score === 5)) throw new Error("the rating is in the file");
  });

  await test("a .waymark file named on the command line opens", async () => {
    const expected = sample("tyre-order-to-delivery");
    const file = join(work, "tyres.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/tyre-order-to-delivery.json"), "-o", file]);
    const browser = await launch([file]);
    try {
      const heading = await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      assertEqual(heading, expected.title, "title in the window");
      const cards = await browser.$$("svg .step-card");
      assertEqual(cards.length, expected.steps.length, "step cards in the drawing");
      assertEqual(await cards[0].isDisplayed(), true, "the first card is on screen");
      const title = await browser.getTitle();
      assertEqual(title, `${expected.title} — tyres.waymark — Waymark`, "the title names the map and the file");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("a large map lists its first 25 weak spots, all of them when asked, and the first 25 again", async () => {
    const json = join(work, "large.json");
    const file = join(work, "large.waymark");
    execFileSync(cli, ["generate", "--steps", "300", "-o", json]);
    execFileSync(cli, ["import", json, "-o", file]);
    const all = JSON.parse(execFileSync(cli, ["analyze", file, "--json"], { encoding: "utf8" })).weak_spots.map((w) => w.id);
    const browser = await launch([file]);
    const listed = () => browser.execute(() => [...document.querySelectorAll("[data-testid=weak-spots] .spot")].map((b) => b.getAttribute("data-step")));
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      assertEqual(all.length > 25, true, `the map ranks more than 25 weak spots (${all.length})`);
      assertEqual((await listed()).join(" "), all.slice(0, 25).join(" "), "the first 25, in rank order");
      const more = await browser.$("[data-testid=all-weak-spots]");
      assertEqual(await more.getText(), `Show all ${all.length} weak spots`, "the offer names how many");
      await more.scrollIntoView();
      await more.click();
      await waitFor(browser, async () => (await listed()).length === all.length || null, "every weak spot listed");
      assertEqual((await listed()).join(" "), all.join(" "), "all of them, in rank order");
      const fewer = await browser.$("[data-testid=all-weak-spots-fewer]");
      assertEqual(await fewer.getText(), "Show the first 25", "and the way back");
      await fewer.scrollIntoView();
      await fewer.click();
      await waitFor(browser, async () => (await listed()).length === 25 || null, "the first 25 again");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("the portfolio: a folder of journeys opens at launch; a department lists its weak spots and breached handoffs; a journey opens", async () => {
    const org = join(work, "org");
    mkdirSync(join(org, "north"), { recursive: true });
    execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", join(org, "licence.waymark")]);
    execFileSync(cli, ["import", join(root, "assets/samples/it-service-desk.json"), "-o", join(org, "north/it-desk.waymark")]);
    writeFileSync(join(org, "notes.txt"), "minutes of the workshop");
    const map = join(work, "portfolio-start.waymark");
    execFileSync(cli, ["import", join(root, "assets/samples/tyre-order-to-delivery.json"), "-o", map]);
    const browser = await launch([map, "--portfolio", org]);
    try {
      const place = await waitFor(browser, () => visibleText(browser, "[data-testid=portfolio-place]"), "the portfolio screen at launch");
      if (!place.includes("2 journeys")) throw new Error(`portfolio: ${place}`);
      const journeys = await visibleText(browser, "[data-testid=portfolio-journeys]");
      for (const title of ["Driver licence renewal", "IT service desk"]) if (!journeys.includes(title)) throw new Error(`${title} missing: ${journeys}`);
      const skipped = await visibleText(browser, "[data-testid=portfolio-skipped]");
      if (!skipped?.includes("notes.txt") || !skipped.includes("not a map")) throw new Error(`skipped: ${skipped}`);
      const worst = await visibleText(browser, "[data-testid=portfolio-worst]");
      if (!worst?.startsWith("Worst relationship:")) throw new Error(`worst relationship: ${worst}`);
      // The department that provides the breached records check in the licence office.
      const departments = await browser.$$("[data-testid=portfolio-department]");
      let records;
      for (const d of departments) if ((await d.getProperty("textContent")).trim() === "Driver records") records = d;
      if (!records) throw new Error("Driver records is listed");
      await browser.execute((e) => e.scrollIntoView({ block: "center" }), records);
      await records.click();
      const detail = await waitFor(browser, () => visibleText(browser, "[data-testid=portfolio-department-detail]"), "the department's detail");
      if (!detail.includes("Handoffs Driver records breached") || !detail.includes("promised")) throw new Error(`detail: ${detail}`);
      await browser.saveScreenshot(join(shots, "portfolio-department.png"));
      await browser.execute(() => document.querySelector("[data-testid=portfolio-matrix]")?.scrollIntoView({ block: "center" }));
      const red = await browser.execute(() => document.querySelectorAll("[data-testid=portfolio-matrix] td.bad").length);
      if (!(red > 0)) throw new Error("breached pairs are marked in the matrix");
      await browser.saveScreenshot(join(shots, "portfolio-matrix.png"));
      await browser.execute(() => document.querySelector("[data-testid=portfolio]")?.scrollTo(0, 0));
      await browser.saveScreenshot(join(shots, "portfolio.png"));
      // A journey opens on a click, and the screen closes.
      const open = await browser.$("[data-testid=portfolio-journey]");
      const title = (await open.getProperty("textContent")).trim();
      await browser.execute((e) => e.scrollIntoView({ block: "center" }), open);
      await open.click();
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=map-title]"))?.includes(title), `the journey ${title} on screen`);
      if (await browser.$("[data-testid=portfolio]").isExisting()) throw new Error("the portfolio screen closes");
    } finally {
      await browser.deleteSession();
    }
  });

  await test("the library: a map opens from a shared PostgreSQL after the password is asked, and an edit made elsewhere arrives", async () => {
    const pg = await startPostgres();
    const browser = await (async () => {
      const file = join(work, "library-licence.waymark");
      execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
      execFileSync(cli, ["library", "init", pg.url("postgres")]);
      execFileSync(cli, ["library", "push", file, "--to", pg.url("postgres"), "--id", "licence"]);
      return launch([file]);
    })();
    try {
      await waitFor(browser, () => visibleText(browser, "[data-testid=map-title]"), "the map title");
      await browser.$("[data-testid=home-button]").click();
      await (await browser.$("[data-testid=library-button]")).click();
      await waitFor(browser, () => browser.$("[data-testid=library-url]").isDisplayed(), "the library screen");
      // The address without its password: the server asks, the window asks.
      await fill(browser, "[data-testid=library-url]", pg.url("postgres", false));
      await browser.keys(Key.Enter);
      const asked = await waitFor(browser, () => visibleText(browser, "[data-testid=library-error]"), "the password question");
      if (!asked.includes("needs a password")) throw new Error(`password: ${asked}`);
      await fill(browser, "[data-testid=library-password]", "e2e-only-password");
      await browser.keys(Key.Enter);
      const listed = await waitFor(browser, () => visibleText(browser, "[data-testid=library-map]"), "the library's maps");
      if (!listed.includes("Driver licence renewal") || !listed.includes("licence")) throw new Error(`maps: ${listed}`);
      await browser.saveScreenshot(join(shots, "library.png"));
      await (await browser.$("[data-testid=library-map] button")).click();
      await waitFor(browser, async () => !(await browser.$("[data-testid=library]").isExisting()), "the library screen to close");
      const title = await browser.getTitle();
      if (!title.includes("licence (library)") || title.includes("e2e-only-password")) throw new Error(`window title: ${title}`);
      // Someone else adds a step to the same map from the command line.
      const doc = sample("licence-renewal");
      const extra = { ...doc, steps: [{ ...doc.steps[2], id: "added-elsewhere", title: "Added elsewhere" }], flows: [], pain_points: [], commitments: [], charter: [] };
      for (const key of Object.keys(extra)) if (extra[key] === undefined) delete extra[key];
      writeFileSync(join(work, "extra.json"), JSON.stringify(extra));
      const sent = Date.now();
      execFileSync(cli, ["import", join(work, "extra.json"), "--into", `${pg.url("postgres")}#licence`]);
      await waitFor(browser, () => browser.execute(() => document.querySelector('.step-card[data-step="added-elsewhere"]') !== null), "the step added elsewhere", 5000);
      const took = Date.now() - sent;
      console.log(`     the edit made elsewhere was on screen ${took} ms after the command started`);
      if (took > 3000) throw new Error(`the edit took ${took} ms to arrive`);
      await browser.saveScreenshot(join(shots, "library-edit-arrived.png"));
      // File › Open… leaves the library map for a file (the library's
      // connection is closed off the async runtime's threads).
      const other = join(work, "after-library.waymark");
      execFileSync(cli, ["import", join(root, "assets/samples/it-service-desk.json"), "-o", other]);
      await browser.$("button=Open…").click();
      await answerDialog("Open a Waymark map", other);
      await waitFor(browser, async () => (await visibleText(browser, "[data-testid=map-title]"))?.includes("IT service desk"), "the file opened after the library map");
    } finally {
      await browser.deleteSession();
      await pg.stop();
    }
  });

  await test("a file that is not a map shows its error and the app keeps running", async () => {
    const junk = join(work, "junk.waymark");
    writeFileSync(junk, "definitely not a database");
    const browser = await launch([junk]);
    try {
      const text = await waitFor(browser, async () => {
        const el = await browser.$("[data-testid=error]");
        return (await el.isExisting()) ? el.getText() : null;
      }, "the error banner");
      if (!text.includes("Not a Waymark map") || !text.includes("not an SQLite database")) {
        throw new Error(`error banner should explain: ${text}`);
      }
      const open = await browser.$("button.primary");
      assertEqual(await open.isEnabled(), true, "Open… still works");
      assertEqual(readFileSync(junk, "utf8"), "definitely not a database", "the bad file is untouched");
    } finally {
      await browser.deleteSession();
    }
  });
} finally {
  driver.kill();
  rmSync(work, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
