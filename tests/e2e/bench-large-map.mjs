// How a generated map (10,000 steps unless STEPS= says) fares in the real
// window: the time from launching the app to the drawing on screen, the time
// of an edit (median of three per run), of a step added, and the memory of
// the app and its webview processes above the same window on a 12-step map,
// and how that grows over 50 edits. A benchmark, not a test: it prints
// figures for BENCHMARKS.md. Run with scripts/bench-large-map.sh.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { launchApp, sleep, startDriver } from "./driver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const app = process.env.WAYMARK_APP ?? join(root, "target/release/waymark-app");
const cli = process.env.WAYMARK_CLI ?? join(root, "target/release/waymark");
const steps = Number(process.env.STEPS ?? 10000);
const runs = Number(process.env.RUNS ?? 3);
const work = mkdtempSync(join(tmpdir(), "waymark-bench-"));

const json = join(work, "large.json");
const file = join(work, "large.waymark");
execFileSync(cli, ["generate", "--steps", String(steps), "-o", json]);
execFileSync(cli, ["import", json, "-o", file]);
const smallJson = join(work, "small.json");
const small = join(work, "small.waymark");
execFileSync(cli, ["generate", "--steps", "12", "-o", smallJson]);
execFileSync(cli, ["import", smallJson, "-o", small]);

const driver = await startDriver(work);

/** Resident memory (kB) of the running app and of the processes it started
 * (WebKit's web and network processes). */
function memory() {
  const procs = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      procs.push({
        pid,
        name: /^Name:\s+(.*)$/m.exec(status)?.[1] ?? "",
        ppid: /^PPid:\s+(\d+)/m.exec(status)?.[1],
        rss: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
      });
    } catch {
      /* gone */
    }
  }
  const apps = new Set(procs.filter((p) => p.name.startsWith("waymark-app")).map((p) => p.pid));
  const ours = new Set(apps);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) grew = ours.add(p.pid) && true;
  }
  let app = 0;
  let webview = 0;
  for (const p of procs) if (ours.has(p.pid)) apps.has(p.pid) ? (app += p.rss) : (webview += p.rss);
  return { app, webview };
}

/** Ends the session and waits until the app and its processes are gone, so
 * the next measurement sees only its own. */
async function quit(browser) {
  await browser.deleteSession();
  for (let i = 0; i < 200 && total(memory()) > 0; i++) await sleep(50);
}

const total = (m) => m.app + m.webview;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (kb) => (kb / 1024).toFixed(0);

/** Waits until `count` cards are drawn and a frame with them was painted;
 * on a map drawn by area (`data-by-area`), the cards around the worst spot,
 * where the window opens it. */
async function drawn(browser, count, since, what) {
  for (;;) {
    const [n, byArea] = await browser.execute(() => [
      document.querySelectorAll(".step-card").length,
      document.querySelector("[data-testid=blueprint][data-by-area]") !== null,
    ]);
    if (n === count || (byArea && n > 0)) break;
    if (performance.now() - since > 300000) throw new Error(`${what}: only ${n} of ${count} cards after 5 minutes`);
    await sleep(50);
  }
  await browser.executeAsync((done) => requestAnimationFrame(() => setTimeout(done)));
}

/** Installs `window.__painted(t0, done)`, called from a frame's
 * animation callback once the change is in the page: the frame's style,
 * layout and paint follow that callback, so a timeout set there runs once the
 * frame showing the change is painted. `done` gets that time since `t0`, and
 * the time at the end of the frame after it (what this benchmark measured
 * before 2026-12-07, one frame late: about 16 ms more). */
async function installPainted(browser) {
  await browser.execute(() => {
    window.__painted = (t0, done) =>
      setTimeout(() => {
        const first = performance.now() - t0;
        requestAnimationFrame(() => setTimeout(() => done([first, performance.now() - t0])));
      });
  });
}

/** Scores the selected card with `key`, as the keyboard does; resolves
 * with the time, measured in the page, from the key to the first frame
 * painted after the inspector shows the score and the window says it is
 * saved (the drawing is patched before that), and the end of the frame
 * after (see `installPainted`). Timed in the page, so the
 * WebDriver round trips of the benchmark itself are not counted. */
async function scoreWith(browser, key) {
  const ms = await browser.executeAsync((k, done) => {
    const t0 = performance.now();
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
    const check = () => {
      const shown = document.querySelector("[data-testid=step-score]")?.value === k;
      const saved = document.querySelector("[data-testid=saved]")?.textContent === "All changes saved";
      if (shown && saved) window.__painted(t0, done);
      else if (performance.now() - t0 > 25000) done(-1);
      else requestAnimationFrame(check);
    };
    check();
  }, key);
  if (!Array.isArray(ms)) {
    const state = await browser.execute(() => ({
      score: document.querySelector("[data-testid=step-score]")?.value,
      saved: document.querySelector("[data-testid=saved]")?.textContent,
      error: document.querySelector("[data-testid=error]")?.textContent,
      active: document.activeElement?.outerHTML?.slice(0, 200),
      selected: document.querySelector(".step-card.selected")?.getAttribute("data-step"),
    }));
    throw new Error(`an edit (key ${key}) took over 25 s: ${JSON.stringify(state)}`);
  }
  return ms;
}

const results = [];
try {
  for (let run = 0; run < runs; run++) {
    // The same window on a 12-step map: what the memory figures are above.
    let base;
    {
      const started = performance.now();
      const browser = await launchApp(app, [small], "error");
      try {
        await drawn(browser, 12, started, "the 12-step map");
        await sleep(1000);
        base = memory();
      } finally {
        await quit(browser);
      }
    }
    const started = performance.now();
    const browser = await launchApp(app, [file], "error");
    try {
      await drawn(browser, steps, started, "opening");
      const open = performance.now() - started;
      // What WebKit styles and lays out: the drawing's elements on opening.
      const elements = await browser.execute(() => document.querySelectorAll(".drawing svg *").length);
      await installPainted(browser);
      await sleep(1000);
      const mem = memory();
      // Select a card, then edits from the window: a key scores the card;
      // each is done when the inspector shows the score and the window says
      // it is saved (the drawing is patched before that).
      const editStart = performance.now();
      await browser.execute(() => document.querySelector(".step-card.frontstage")?.dispatchEvent(new MouseEvent("click", { bubbles: true })));
      await browser.$("[data-testid=step-score]").waitForExist({ timeout: 60000 });
      const selected = performance.now() - editStart;
      const edits = [];
      const editsLate = [];
      let afterFirst;
      for (const key of ["2", "4", "2"]) {
        const [first, late] = await scoreWith(browser, key);
        edits.push(first);
        editsLate.push(late);
        afterFirst ??= memory();
      }
      const edit = median(edits);
      // A step added from the quick-entry line changes the layout, so the
      // drawing comes whole: the worst case of an edit.
      const added = await browser.executeAsync((done) => {
        const set = (sel, v) => {
          const el = document.querySelector(sel);
          el.value = v;
          el.dispatchEvent(new Event("input", { bubbles: true }));
        };
        const stage = document.querySelector("svg [data-stage]")?.textContent ?? "";
        const lane = document.querySelector("svg [data-lane]")?.getAttribute("data-lane") ?? "";
        set("[data-testid=quick-entry] input.title", "One more step");
        set("[data-testid=quick-entry] input[aria-label=Stage]", stage);
        set("[data-testid=quick-entry] input[aria-label=Department]", lane);
        const t0 = performance.now();
        document.querySelector("[data-testid=quick-entry]").requestSubmit();
        const check = () => {
          if (document.querySelector('.step-card[data-step="one_more_step"]')) window.__painted(t0, done);
          else if (performance.now() - t0 > 25000) done(-1);
          else requestAnimationFrame(check);
        };
        check();
      });
      if (!Array.isArray(added)) throw new Error("adding a step took over 25 s");
      const [add, addLate] = added;
      // The new step is selected: 47 more scores make 50 edits, then the
      // memory again. Settled a second, as after opening.
      await browser.execute(() => document.activeElement?.blur());
      for (let i = 0; i < 47; i++) await scoreWith(browser, ["1", "3", "5"][i % 3]);
      await sleep(1000);
      const after = memory();
      const above = total(mem) - total(base);
      const growth = total(after) / total(afterFirst) - 1;
      results.push({ open, selected, edit, editLate: median(editsLate), added: add, addLate, above, growth, ...mem });
      console.log(
        `run ${run + 1}: open ${(open / 1000).toFixed(2)} s (${elements} elements drawn), select ${selected.toFixed(0)} ms, edits ${edits.map((e) => e.toFixed(0)).join(", ")} ms (a frame later: ${editsLate.map((e) => e.toFixed(0)).join(", ")}), ` +
          `add a step ${add.toFixed(0)} ms (a frame later: ${addLate.toFixed(0)}), ` +
          `memory ${mb(mem.app)} + ${mb(mem.webview)} MB, ${mb(above)} MB above the 12-step window (${mb(base.app)} + ${mb(base.webview)} MB); ` +
          `after 50 edits ${mb(after.app)} + ${mb(after.webview)} MB, ${(growth * 100).toFixed(0)}% above after the first (${mb(afterFirst.app)} + ${mb(afterFirst.webview)} MB)`,
      );
    } finally {
      await quit(browser);
    }
    // A fresh file each run: the edits above changed this one.
    execFileSync("rm", ["-f", file]);
    execFileSync(cli, ["import", json, "-o", file]);
  }
} finally {
  driver.kill();
}
console.log(
  `${steps} steps, median of ${runs}: open and draw ${(median(results.map((r) => r.open)) / 1000).toFixed(2)} s, ` +
    `select ${median(results.map((r) => r.selected)).toFixed(0)} ms, ` +
    `one edit stored and redrawn ${median(results.map((r) => r.edit)).toFixed(0)} ms ` +
    `(a frame later ${median(results.map((r) => r.editLate)).toFixed(0)}), ` +
    `a step added ${median(results.map((r) => r.added)).toFixed(0)} ms (a frame later ${median(results.map((r) => r.addLate)).toFixed(0)}), ` +
    `memory above the 12-step window ${mb(median(results.map((r) => r.above)))} MB ` +
    `(app ${mb(median(results.map((r) => r.app)))} MB + webview ${mb(median(results.map((r) => r.webview)))} MB), ` +
    `growth over 50 edits ${(median(results.map((r) => r.growth)) * 100).toFixed(0)}%`,
);
