// The room's phone page in the three engines phones run, each in a 390 × 844
// viewport: Chromium (Android's Chrome) through chromedriver, WebKit (every
// browser on an iPhone) through WebKitWebDriver and WebKitGTK's MiniBrowser,
// and Gecko (Firefox for Android) through puppeteer-core over WebDriver BiDi,
// all Debian's own browsers, nothing downloaded. In each, a participant joins,
// rates a step, places two dots and takes one back, adds a pain point, and
// after a reload is the same participant with the same rating and dot. Each
// engine's screenshot goes to tests/e2e/screenshots/phone-ENGINE.png; the
// file then holds what every phone was told was saved.
//
// Run under a display (MiniBrowser needs one): xvfb-run -a node tests/e2e/phone-engines.mjs
// WAYMARK_ENGINES=webkit,gecko runs some of them.

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { remote } from "webdriverio";
import puppeteer from "puppeteer-core";
import { cli, hostRoom, shots, sleep } from "./room-host.mjs";

const WIDTH = 390;
const HEIGHT = 844;

async function waitFor(what, probe, ms = 15000) {
  const until = Date.now() + ms;
  let last;
  for (;;) {
    last = await probe().catch((e) => ({ error: e.message }));
    if (last && !last.error) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last?.error ? ` (${last.error})` : ""}`);
    await sleep(150);
  }
}

/** Starts a WebDriver server and waits until it answers. */
async function driverServer(command, args, env) {
  const server = spawn(command, args, { stdio: "ignore", env: { ...process.env, ...env } });
  const port = Number(args.find((a) => a.startsWith("--port=")).slice(7));
  await waitFor(`${command} to listen`, async () => (await fetch(`http://127.0.0.1:${port}/status`)).ok || null, 10000);
  return { server, port };
}

/** A phone driven through WebDriver classic (webdriverio). */
function webdriverPhone(browser, stop) {
  const scrolled = async (selector) => {
    const element = await browser.$(selector);
    await element.waitForExist({ timeout: 10000 });
    await browser.execute((e) => e.scrollIntoView({ block: "center" }), element);
    return element;
  };
  return {
    goto: (url) => browser.url(url),
    type: async (selector, text) => (await scrolled(selector)).setValue(text),
    click: async (selector) => (await scrolled(selector)).click(),
    choose: async (selector, value) => (await scrolled(selector)).selectByAttribute("value", value),
    run: (fn, ...args) => browser.execute(fn, ...args),
    reload: () => browser.refresh(),
    screenshot: (path) => browser.saveScreenshot(path),
    close: async () => {
      await browser.deleteSession().catch(() => {});
      stop();
    },
  };
}

/** A phone driven through puppeteer-core (WebDriver BiDi for Firefox). */
function puppeteerPhone(browser, page) {
  return {
    goto: (url) => page.goto(url),
    type: async (selector, text) => {
      await page.waitForSelector(selector);
      await page.type(selector, text);
    },
    click: async (selector) => {
      await page.waitForSelector(selector);
      await page.click(selector);
    },
    choose: async (selector, value) => {
      await page.waitForSelector(selector);
      await page.select(selector, value);
    },
    run: (fn, ...args) => page.evaluate(fn, ...args),
    reload: () => page.reload(),
    screenshot: (path) => page.screenshot({ path }),
    close: () => browser.close(),
  };
}

const engines = {
  /** Debian's Chromium, headless, with a phone's viewport. */
  async chromium() {
    const { server, port } = await driverServer("chromedriver", ["--port=9516"]);
    const browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "error",
      capabilities: {
        browserName: "chrome",
        "goog:chromeOptions": {
          binary: "/usr/bin/chromium",
          args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", `--user-data-dir=${join(work, "chromium")}`],
          mobileEmulation: { deviceMetrics: { width: WIDTH, height: HEIGHT, pixelRatio: 2 } },
        },
      },
    });
    return webdriverPhone(browser, () => server.kill());
  },
  /** WebKitGTK's MiniBrowser, the engine of Safari and of every iPhone
   * browser. Its window cannot be narrower than its toolbar, so the toolbar
   * is shrunk with a GTK style sheet of the test's own (the page is not
   * styled by GTK), and the window sized so the page gets 390 × 844. */
  async webkit() {
    const config = join(work, "webkit-config");
    mkdirSync(join(config, "gtk-3.0"), { recursive: true });
    writeFileSync(join(config, "gtk-3.0", "gtk.css"), "* { font-size: 1px; min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; }\n");
    const { server, port } = await driverServer("WebKitWebDriver", ["--port=4446"], { XDG_CONFIG_HOME: config, XDG_DATA_HOME: join(work, "webkit-data") });
    const browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "error",
      capabilities: {
        "wdio:enforceWebDriverClassic": true,
        "webkitgtk:browserOptions": { binary: "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", args: ["--automation"] },
      },
    });
    // The page gets what the window leaves after its toolbar.
    await browser.setWindowSize(WIDTH, HEIGHT + 100);
    const inner = await browser.execute(() => [innerWidth, innerHeight]);
    await browser.setWindowSize(WIDTH + (WIDTH - inner[0]), HEIGHT + 100 - (inner[1] - HEIGHT));
    return webdriverPhone(browser, () => server.kill());
  },
  /** Debian's Firefox ESR over WebDriver BiDi, headless. */
  async gecko() {
    const browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: "/usr/bin/firefox-esr",
      headless: true,
      userDataDir: join(work, "firefox"),
    });
    const page = await browser.newPage();
    await page.setViewport({ width: WIDTH, height: HEIGHT });
    return puppeteerPhone(browser, page);
  },
};

/** Everything one participant does on one phone; returns what to find in the file. */
async function session(phone, engine, name, url) {
  const text = (selector) => phone.run((s) => document.querySelector(s)?.innerText ?? null, selector);
  const value = (selector) => phone.run((s) => document.querySelector(s)?.value ?? null, selector);
  const until = (what, probe) => waitFor(`${what} (${engine})`, probe);
  await phone.goto(url);
  const viewport = await phone.run(() => [innerWidth, innerHeight]);
  if (viewport[0] !== WIDTH || viewport[1] !== HEIGHT) throw new Error(`the page got ${viewport.join(" × ")}, not ${WIDTH} × ${HEIGHT}`);
  await until("the join form", async () => (await phone.run(() => !document.getElementById("join").hidden)) || null);
  await phone.type("#name", name);
  await phone.click("#join-button");
  await until("the journey", async () => (await text("#me"))?.includes(`You are ${name}`) || null);
  await until("the connection", async () => (await text("#connection")) === "Connected" || null);
  // Rate the photo line 2.5.
  await phone.choose("select[data-step=photo_line]", "2.5");
  await until("the rating stored", async () => (await text("#toast"))?.includes("Rated 2.5: saved") || null);
  // Two dots on the camera, one taken back.
  const camera = "li[data-pain=pp_camera]";
  await phone.click(`${camera} button[aria-label='Place a dot']`);
  await until("the first dot", async () => (await text(`${camera} .mine`)) === "1 dot" || null);
  await phone.click(`${camera} button[aria-label='Place a dot']`);
  await until("the second dot", async () => (await text(`${camera} .mine`)) === "2 dots" || null);
  await phone.click(`${camera} button[aria-label='Take back a dot']`);
  await until("a dot taken back", async () => (await text(`${camera} .mine`)) === "1 dot" || null);
  // A pain point of this engine's participant.
  const pain = `${name}'s pen had run dry`;
  await phone.choose("#pain-step", "sign_pad");
  await phone.type("#pain-text", pain);
  await phone.click("#pain-button");
  await until("the pain point listed", async () =>
    (await phone.run((t) => [...document.querySelectorAll("li[data-step=sign_pad] li[data-pain]")].some((li) => li.innerText.includes(t)), pain)) || null);
  if ((await value("#pain-text")) !== "") throw new Error("the pain point's text stayed in the box after it was added");
  const wide = await phone.run(() => document.documentElement.scrollWidth);
  if (wide > WIDTH) throw new Error(`the page is ${wide}px wide on a ${WIDTH}px phone`);
  await phone.run(() => window.scrollTo(0, 0));
  await sleep(300);
  await phone.screenshot(join(shots, `phone-${engine}.png`));
  // Reloaded, the phone is the same participant with the same rating and dot.
  await phone.reload();
  await until("the rejoin", async () => (await text("#me"))?.includes(`You are ${name}`) || null);
  const after = { rating: await value("select[data-step=photo_line]"), dots: await text(`${camera} .mine`) };
  if (after.rating !== "2.5" || after.dots !== "1 dot") throw new Error(`after a reload: ${JSON.stringify(after)}`);
  return { name, pain };
}

const { work, file, host, url } = await hostRoom("waymark-engines-");

const chosen = (process.env.WAYMARK_ENGINES ?? "chromium,webkit,gecko").split(",");
const names = { chromium: "Ana", webkit: "Bea", gecko: "Cleo" };
let passed = 0;
let failed = 0;
const done = [];
for (const engine of chosen) {
  let phone;
  try {
    phone = await engines[engine]();
    done.push(await session(phone, engine, names[engine], url));
    passed += 1;
    console.log(`ok   ${engine}: at ${WIDTH} × ${HEIGHT} a phone joins, rates, places and takes back dots, adds a pain point, and is the same participant after a reload (screenshots/phone-${engine}.png)`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${engine}: ${e.message}`);
  } finally {
    await phone?.close().catch(() => {});
  }
}
host.kill("SIGTERM");
await new Promise((r) => host.on("exit", r));

// What each phone was told was saved is in the file.
const json = join(work, "after.json");
execFileSync(cli, ["export", file, "--json", json]);
const map = JSON.parse(readFileSync(json, "utf8"));
const photo = map.steps.find((s) => s.id === "photo_line");
const camera = map.pain_points.find((p) => p.id === "pp_camera");
const missing = done.filter(({ name, pain }) =>
  !photo.ratings?.some((r) => r.participant === name && r.score === 2.5) ||
  !camera.dots?.some((d) => d.participant === name && d.count === 1) ||
  !map.pain_points.some((p) => p.step === "sign_pad" && p.text === pain));
if (missing.length) {
  failed += 1;
  console.log(`FAIL the file lacks what these phones saved: ${missing.map((m) => m.name).join(", ")}`);
} else if (done.length) {
  passed += 1;
  console.log(`ok   the file holds each phone's rating, dot and pain point (${done.map((d) => d.name).join(", ")})`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
