// The room's phone page in a real browser: Debian's Chromium through
// chromedriver, in a phone's 390 × 844 viewport. A room is hosted with no
// window (`waymark-room`) on a copy of the licence sample; the phone joins,
// rates the photo line, places a dot, is reloaded and is still the same
// participant; the file holds what it did. Run: node tests/e2e/phone.mjs

import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const cli = process.env.WAYMARK_CLI ?? join(root, "target/debug/waymark");
const roomBin = process.env.WAYMARK_ROOM ?? join(root, "target/debug/waymark-room");
const shots = join(here, "screenshots");
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "waymark-phone-"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, probe, ms = 10000) {
  const until = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const file = join(work, "room.waymark");
execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
const host = spawn(roomBin, [file, "--bind", "127.0.0.1"], { stdio: ["ignore", "pipe", "inherit"] });
const lines = createInterface({ input: host.stdout });
const url = await new Promise((resolve, reject) => {
  lines.on("line", (l) => l.startsWith("room: ") && resolve(l.slice(6).trim()));
  host.on("exit", (code) => reject(new Error(`waymark-room exited ${code}`)));
});

const driver = spawn("chromedriver", ["--port=9515"], { stdio: "ignore" });
let failed = 0;
let passed = 0;
let browser;
try {
  await sleep(500);
  browser = await remote({
    hostname: "127.0.0.1",
    port: 9515,
    logLevel: "warn",
    capabilities: {
      browserName: "chrome",
      "goog:chromeOptions": {
        binary: "/usr/bin/chromium",
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", `--user-data-dir=${join(work, "profile")}`],
        mobileEmulation: { deviceMetrics: { width: 390, height: 844, pixelRatio: 2 } },
      },
    },
  });
  await browser.url(url);
  await waitFor("the join form", async () => (await browser.$("#join").isDisplayed()) || null);
  await browser.$("#name").setValue("Dana");
  await browser.$("#join-button").click();
  await waitFor("the journey", async () => (await browser.$("#me").getText()).includes("You are Dana") || null);
  const connected = await waitFor("the connection", async () => {
    const t = await browser.$("#connection").getText();
    return t === "Connected" ? t : null;
  });
  // Rate the photo line 2.5 and place a dot on its camera.
  await browser.$("select[data-step=photo_line]").selectByAttribute("value", "2.5");
  await waitFor("the rating stored", async () => (await browser.$("#toast").getText()).includes("Rated 2.5: saved") || null);
  await browser.$("li[data-pain=pp_camera] button[aria-label='Place a dot']").click();
  await waitFor("the dot stored", async () => (await browser.$("li[data-pain=pp_camera] .mine").getText()) === "1 dot" || null);
  const width = await browser.execute(() => document.documentElement.scrollWidth);
  if (width > 390) throw new Error(`the page is wider than the phone: ${width}px`);
  await browser.saveScreenshot(join(shots, "phone.png"));
  // A reload is the same person: same participant, own rating and dot.
  await browser.refresh();
  await waitFor("the rejoin", async () => (await browser.$("#me").getText()).includes("You are Dana") || null);
  const rating = await browser.$("select[data-step=photo_line]").getValue();
  if (rating !== "2.5") throw new Error(`after a reload the phone still shows its rating: ${rating}`);
  passed += 1;
  console.log(`ok   a phone at 390 × 844 joins, rates, places a dot and is the same person after a reload (${connected})`);
  // The narrowest common phone, 360 px: nothing runs off the side.
  await browser.deleteSession();
  browser = await remote({
    hostname: "127.0.0.1",
    port: 9515,
    logLevel: "warn",
    capabilities: {
      browserName: "chrome",
      "goog:chromeOptions": {
        binary: "/usr/bin/chromium",
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", `--user-data-dir=${join(work, "profile-360")}`],
        mobileEmulation: { deviceMetrics: { width: 360, height: 740, pixelRatio: 2 } },
      },
    },
  });
  await browser.url(url);
  await waitFor("the join form at 360", async () => (await browser.$("#join").isDisplayed()) || null);
  await browser.$("#name").setValue("Eli");
  await browser.$("#join-button").click();
  await waitFor("Eli's journey", async () => (await browser.$("#me").getText()).includes("You are Eli") || null);
  const narrow = await browser.execute(() => document.documentElement.scrollWidth);
  if (narrow > 360) throw new Error(`at 360 px the page is ${narrow}px wide`);
  // Eli sees his own dots only: Dana's dot is not shown before the reveal.
  const elis = await browser.$("li[data-pain=pp_camera] .mine").getText();
  if (elis !== "0 dots") throw new Error(`before the reveal Eli sees only his own dots: ${elis}`);
  passed += 1;
  console.log("ok   at 360 px the page fits, and a second phone sees only its own dots");
} catch (e) {
  failed = 1;
  console.log(`FAIL the phone page: ${e.message}`);
} finally {
  await browser?.deleteSession().catch(() => {});
  driver.kill();
  host.kill("SIGTERM");
  await new Promise((r) => host.on("exit", r));
}
// Everything the phone was told was saved is in the file.
const json = join(work, "after.json");
execFileSync(cli, ["export", file, "--json", json]);
const map = JSON.parse(execFileSync("cat", [json]).toString());
const photo = map.steps.find((s) => s.id === "photo_line");
const camera = map.pain_points.find((p) => p.id === "pp_camera");
if (!photo.ratings?.some((r) => r.participant === "Dana" && r.score === 2.5) || !camera.dots?.some((d) => d.participant === "Dana" && d.count === 1)) {
  failed = 1;
  console.log("FAIL the file does not hold Dana's rating and dot");
} else {
  passed += 1;
  console.log("ok   the file holds the phone's rating and dot");
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed);
