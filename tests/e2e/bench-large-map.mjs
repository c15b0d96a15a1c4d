// How a generated 10,000-step map fares in the real window: the time from
// launching the app to the drawing on screen, the time of an edit (median of
// three per run), and the
// memory of the app and its webview processes. A benchmark, not a test: it
// prints figures for BENCHMARKS.md. Run with scripts/bench-large-map.sh.
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

const driver = await startDriver(work);

/** Resident memory (kB) of the app and every WebKit process, by name. */
function memory() {
  let app = 0;
  let webview = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let status;
    try {
      status = readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      continue;
    }
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? "";
    const rss = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    if (name.startsWith("waymark-app")) app += rss;
    else if (name.startsWith("WebKit")) webview += rss; // names are cut to 15 characters
  }
  return { app, webview };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
try {
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const browser = await launchApp(app, [file], "error");
    try {
      // Drawn: every card is in the DOM and a frame with them has been painted.
      for (;;) {
        const n = await browser.execute(() => document.querySelectorAll(".step-card").length);
        if (n === steps) break;
        if (performance.now() - started > 300000) throw new Error(`only ${n} cards after 5 minutes`);
        await sleep(50);
      }
      await browser.executeAsync((done) => requestAnimationFrame(() => setTimeout(done)));
      const open = performance.now() - started;
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
      for (const key of ["2", "4", "2"]) {
        const t0 = performance.now();
        await browser.keys([key]);
        for (;;) {
          const done = await browser.execute(
            (k) => document.querySelector("[data-testid=step-score]")?.value === k && document.querySelector("[data-testid=saved]").textContent === "All changes saved",
            key,
          );
          if (done) break;
          if (performance.now() - t0 > 120000) {
            const state = await browser.execute(() => ({
              score: document.querySelector("[data-testid=step-score]")?.value,
              saved: document.querySelector("[data-testid=saved]")?.textContent,
              error: document.querySelector("[data-testid=error]")?.textContent,
              active: document.activeElement?.outerHTML?.slice(0, 200),
              selected: document.querySelector(".step-card.selected")?.getAttribute("data-step"),
            }));
            throw new Error(`an edit (key ${key}) took over two minutes: ${JSON.stringify(state)}`);
          }
          await sleep(20);
        }
        edits.push(performance.now() - t0);
      }
      const edit = median(edits);
      // A step added from the quick-entry line changes the layout, so the
      // drawing comes whole: the worst case of an edit.
      const t1 = performance.now();
      await browser.execute(() => {
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
        document.querySelector("[data-testid=quick-entry]").requestSubmit();
      });
      for (;;) {
        const n = await browser.execute(() => document.querySelectorAll(".step-card").length);
        if (n === steps + 1) break;
        if (performance.now() - t1 > 300000) throw new Error("adding a step took over five minutes");
        await sleep(50);
      }
      await browser.executeAsync((done) => requestAnimationFrame(() => setTimeout(done)));
      const added = performance.now() - t1;
      const after = memory();
      results.push({ open, selected, edit, added, ...mem });
      console.log(
        `run ${run + 1}: open ${(open / 1000).toFixed(2)} s, select ${selected.toFixed(0)} ms, edits ${edits.map((e) => e.toFixed(0)).join(", ")} ms, add a step ${(added / 1000).toFixed(2)} s, ` +
          `app ${(mem.app / 1024).toFixed(0)} MB, webview ${(mem.webview / 1024).toFixed(0)} MB (after the edits: ${(after.app / 1024).toFixed(0)} + ${(after.webview / 1024).toFixed(0)} MB)`,
      );
    } finally {
      await browser.deleteSession();
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
    `one edit stored and redrawn ${median(results.map((r) => r.edit)).toFixed(0)} ms, ` +
    `a step added ${(median(results.map((r) => r.added)) / 1000).toFixed(2)} s, ` +
    `memory: app ${(median(results.map((r) => r.app)) / 1024).toFixed(0)} MB + webview ${(median(results.map((r) => r.webview)) / 1024).toFixed(0)} MB`,
);
