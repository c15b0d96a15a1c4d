// How a generated 10,000-step map fares in the real window: the time from
// launching the app to the drawing on screen, the time of one edit, and the
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
const app = process.env.WAYMARK_APP ?? join(root, "target/debug/waymark-app");
const cli = process.env.WAYMARK_CLI ?? join(root, "target/debug/waymark");
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

const results = [];
try {
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const browser = await launchApp(app, [file], "error");
    try {
      // Drawn: every card is in the DOM.
      for (;;) {
        const n = await browser.execute(() => document.querySelectorAll(".step-card").length);
        if (n === steps) break;
        if (performance.now() - started > 300000) throw new Error(`only ${n} cards after 5 minutes`);
        await sleep(50);
      }
      const open = performance.now() - started;
      await sleep(1000);
      const mem = memory();
      // One edit, from the window: score a card and wait for the redrawn map.
      const editStart = performance.now();
      await browser.execute(() => document.querySelector(".step-card.frontstage")?.dispatchEvent(new MouseEvent("click", { bubbles: true })));
      await browser.$("[data-testid=step-score]").waitForExist({ timeout: 60000 });
      const selected = performance.now() - editStart;
      const before = await browser.execute(() => document.querySelector("[data-testid=undo]").disabled);
      const t0 = performance.now();
      await browser.keys(["3"]);
      for (;;) {
        const undo = await browser.execute(() => !document.querySelector("[data-testid=undo]").disabled && document.querySelector("[data-testid=saved]").textContent === "All changes saved");
        if (undo) break;
        await sleep(20);
      }
      const edit = performance.now() - t0;
      results.push({ open, selected, edit, before, ...mem });
      console.log(`run ${run + 1}: open ${(open / 1000).toFixed(2)} s, select ${selected.toFixed(0)} ms, edit ${edit.toFixed(0)} ms, app ${(mem.app / 1024).toFixed(0)} MB, webview ${(mem.webview / 1024).toFixed(0)} MB`);
    } finally {
      await browser.deleteSession();
    }
    // A fresh file each run: the edit above changed this one.
    execFileSync("rm", ["-f", file]);
    execFileSync(cli, ["import", json, "-o", file]);
  }
} finally {
  driver.kill();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `${steps} steps, median of ${runs}: open and draw ${(median(results.map((r) => r.open)) / 1000).toFixed(2)} s, ` +
    `one edit stored and redrawn ${median(results.map((r) => r.edit)).toFixed(0)} ms, ` +
    `memory: app ${(median(results.map((r) => r.app)) / 1024).toFixed(0)} MB + webview ${(median(results.map((r) => r.webview)) / 1024).toFixed(0)} MB`,
);
