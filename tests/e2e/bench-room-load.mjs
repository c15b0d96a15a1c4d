// The room under load in the real window: a generated map (500 steps unless
// STEPS= says), its room opened from the Workshop tab, and 50 phones
// (PHONES=) that join and then each rate the same 20 frontstage steps, an
// action every 110 ms as a person taps (the pace of the room's own
// benchmark, room/benches/phones.rs, whose window is a stand-in). Prints,
// for the ratings the room acknowledged, how long until the window's
// drawing shows them (the ratings counted on its cards, "×n"), and, while
// the phones act, how long a key typed in the quick-entry line takes to
// reach the screen. A benchmark, not a test: figures for BENCHMARKS.md.
// Run with scripts/bench-room-load.sh.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { launchApp, sleep, startDriver } from "./driver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const app = process.env.WAYMARK_APP ?? join(root, "target/release/waymark-app");
const cli = process.env.WAYMARK_CLI ?? join(root, "target/release/waymark");
const steps = Number(process.env.STEPS ?? 500);
const phones = Number(process.env.PHONES ?? 50);
const RATINGS = 20;
const PACE = 110;
const work = mkdtempSync(join(tmpdir(), "waymark-room-bench-"));

const json = join(work, "room.json");
const file = join(work, "room.waymark");
execFileSync(cli, ["generate", "--steps", String(steps), "-o", json]);
execFileSync(cli, ["import", json, "-o", file]);
const rated = JSON.parse(readFileSync(json, "utf8"))
  .steps.filter((s) => s.visibility === "frontstage")
  .slice(0, RATINGS)
  .map((s) => s.id);

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.round((s.length - 1) * p)] : NaN;
};

const driver = await startDriver(work);
let browser;
try {
  browser = await launchApp(app, [file], "error");
  await browser.$("[data-testid=map-title]").waitForDisplayed({ timeout: 120000 });
  await browser.$("[data-testid=tab-workshop]").click();
  await browser.$("[data-testid=room-address]").selectByAttribute("value", "127.0.0.1");
  await browser.$("[data-testid=open-room]").click();
  await browser.$("[data-testid=room-url]").waitForDisplayed({ timeout: 30000 });
  const base = await browser.$("[data-testid=room-url]").getText();

  // The window, sampled after each frame that follows a change of the page:
  // when, and how many ratings its cards show.
  await browser.execute(() => {
    const shown = () => {
      let n = 0;
      for (const t of document.querySelectorAll("svg .step-spread")) {
        const m = /×(\d+)$/.exec(t.textContent ?? "") ?? /^(\d+) ratings?:/.exec(t.textContent ?? "");
        if (m) n += Number(m[1]);
      }
      return n;
    };
    const w = window;
    w.__samples = [[performance.timeOrigin + performance.now(), shown()]];
    let dirty = false;
    new MutationObserver(() => (dirty = true)).observe(document.body, { subtree: true, childList: true, characterData: true });
    const frame = () => {
      if (dirty) {
        dirty = false;
        setTimeout(() => w.__samples.push([performance.timeOrigin + performance.now(), shown()]));
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const [[, before]] = await browser.execute(() => window.__samples);

  // The phones join, then all act at once.
  const voters = Array.from({ length: phones }, (_, i) => `bench-phone-${String(i).padStart(4, "0")}`);
  for (const [i, voter] of voters.entries()) {
    const res = await fetch(`${base}api/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ voter, name: `Phone ${i}` }) });
    if (!res.ok) throw new Error(`phone ${i} could not join: ${res.status} ${await res.text()}`);
  }
  const acks = [];
  const latencies = [];
  let refused = 0;
  const started = Date.now();
  const acting = Promise.all(
    voters.map(async (voter, i) => {
      for (const [k, step] of rated.entries()) {
        await sleep(PACE);
        const sent = performance.now();
        const res = await fetch(`${base}api/rate`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ voter, step, score: 1 + ((i + k) % 5) }) });
        await res.arrayBuffer();
        if (res.status === 200) {
          latencies.push(performance.now() - sent);
          acks.push({ at: Date.now(), count: acks.length + 1 });
        } else refused += 1;
      }
    }),
  );
  // Meanwhile a facilitator types in the quick-entry line: from each key to
  // the first frame painted after it.
  await sleep(1000);
  const keys = await browser.executeAsync((done) => {
    const input = document.querySelector("[data-testid=quick-entry] input.title");
    const text = "Customer waits at the second counter";
    const out = [];
    const type = (i) => {
      if (i >= text.length) return done(out);
      const t0 = performance.now();
      input.value += text[i];
      input.dispatchEvent(new Event("input", { bubbles: true }));
      requestAnimationFrame(() =>
        setTimeout(() => {
          out.push(performance.now() - t0);
          setTimeout(() => type(i + 1), 120);
        }),
      );
    };
    type(0);
  });
  await acting;
  const elapsed = Date.now() - started;
  await sleep(2000);
  const samples = await browser.execute(() => window.__samples);
  const last = samples[samples.length - 1][1];
  // For each acknowledged rating: the first frame at or after it whose
  // cards show at least as many ratings as had been acknowledged.
  const seen = [];
  let missing = 0;
  for (const a of acks) {
    const s = samples.find(([t, n]) => t >= a.at && n >= before + a.count);
    if (s) seen.push(s[0] - a.at);
    else missing += 1;
  }
  const f = (x) => x.toFixed(0);
  console.log(
    `${steps} steps, ${phones} phones: ${acks.length} ratings acknowledged (${refused} refused) in ${(elapsed / 1000).toFixed(1)} s; ` +
      `acknowledged p50 ${f(percentile(latencies, 0.5))} ms, p99 ${f(percentile(latencies, 0.99))} ms; ` +
      `on the window's cards p50 ${f(percentile(seen, 0.5))} ms, p99 ${f(percentile(seen, 0.99))} ms, max ${f(Math.max(...seen))} ms` +
      `${missing ? ` (${missing} never shown)` : ""}; the cards show ${last - before} new ratings; ` +
      `a key typed meanwhile p50 ${f(percentile(keys, 0.5))} ms, p99 ${f(percentile(keys, 0.99))} ms, max ${f(Math.max(...keys))} ms (${keys.length} keys)`,
  );
} finally {
  await browser?.deleteSession().catch(() => {});
  driver.kill();
}
