// The room's phone page in a real browser: Debian's Chromium through
// chromedriver, in a phone's 390 × 844 viewport. A room is hosted with no
// window (`waymark-room`) on a copy of the licence sample; the phone joins,
// rates the photo line, places a dot, is reloaded and is still the same
// participant; the file holds what it did. Run: node tests/e2e/phone.mjs

import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { remote } from "webdriverio";
import { cli, hostRoom, shots, sleep } from "./room-host.mjs";

async function waitFor(what, probe, ms = 10000) {
  const until = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const { work, file, host, url } = await hostRoom("waymark-phone-");

/** A phone: headless Chromium with a profile of its own (its own stored
 * voter id), in a `width` × `height` viewport. */
function phone(profile, width, height) {
  return remote({
    hostname: "127.0.0.1",
    port: 9515,
    logLevel: "warn",
    capabilities: {
      browserName: "chrome",
      "goog:chromeOptions": {
        binary: "/usr/bin/chromium",
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", `--user-data-dir=${join(work, profile)}`],
        mobileEmulation: { deviceMetrics: { width, height, pixelRatio: 2 } },
      },
    },
  });
}

const driver = spawn("chromedriver", ["--port=9515"], { stdio: "ignore" });
let failed = 0;
let passed = 0;
let browser;
try {
  await sleep(500);
  browser = await phone("profile", 390, 844);
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
  // Others act while this phone acts: its page is updated in place, never
  // rebuilt, so a control found is the control tapped.
  // Each phone at a person's pace (the room slows any phone past ten actions a second).
  const post = async (path, body) => {
    const r = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = await r.json();
    if (!r.ok) throw new Error(`${path} was refused: ${JSON.stringify(answer)}`);
    await sleep(120);
    return answer;
  };
  await sleep(400);
  await browser.execute(() => {
    window.__kept = [...document.querySelectorAll("select[data-step], .dot-button, li[data-step], li[data-pain]")];
    window.__removed = 0;
    new MutationObserver((ms) => {
      for (const m of ms) for (const n of m.removedNodes) if (n.nodeType === 1 && (n.matches("select, button, li") || n.querySelector("select, button"))) window.__removed += 1;
    }).observe(document.getElementById("journey"), { childList: true, subtree: true });
    window.__states = 0;
    events.addEventListener("state", () => (window.__states += 1));
  });
  const others = [["phone-pia-0001", "Pia"], ["phone-quin-001", "Quin"], ["phone-rui-0001", "Rui"], ["phone-sam-0001", "Sam"]];
  for (const [voter, name] of others) await post("api/join", { voter, name });
  for (const [voter] of others) {
    await post("api/rate", { voter, step: "photo_line", score: 1 });
    await post("api/dot", { voter, pain_point: "pp_camera", delta: 1 });
  }
  await sleep(600);
  const quiet = await browser.execute(() => window.__states);
  if (quiet !== 0) throw new Error(`others' ratings and dots before the reveal changed nothing on this phone, yet it was sent ${quiet} states`);
  // Now all act at once, this phone too, and someone adds a pain point it sees.
  const burst = Promise.all(others.map(async ([voter], i) => {
    for (let k = 0; k < 4; k += 1) {
      await post("api/rate", { voter, step: "sign_pad", score: 1 + ((i + k) % 5) });
      await post("api/dot", { voter, pain_point: "pp_form_class", delta: k % 2 === 0 ? 1 : -1 });
    }
    if (i === 0) await post("api/pain", { voter, step: "sign_pad", text: "The pad's pen is on a short cord", severity: 1 });
  }));
  await browser.$("select[data-step=sign_pad]").selectByAttribute("value", "4");
  await browser.$("li[data-pain=pp_form_class] button[aria-label='Place a dot']").click();
  await burst;
  await waitFor("the new pain point", async () => (await browser.$$("li[data-step=sign_pad] li[data-pain]")).length === 1 || null);
  await waitFor("this phone's dot", async () => (await browser.$("li[data-pain=pp_form_class] .mine").getText()) === "1 dot" || null);
  const kept = await browser.execute(() => ({ gone: window.__kept.filter((n) => !n.isConnected).length, removed: window.__removed, states: window.__states }));
  if (kept.gone || kept.removed) throw new Error(`controls were replaced while phones acted: ${JSON.stringify(kept)}`);
  if ((await browser.$("select[data-step=sign_pad]").getValue()) !== "4") throw new Error("this phone's rating held through the burst");
  passed += 1;
  console.log(`ok   while four other phones act, this phone's controls stay in place (${kept.states} state updates, none before a change it can see)`);
  // Backstage steps with nothing to act on are not listed; stages are one tap away.
  const backstage = await browser.$$("li[data-step=card_print]").length;
  const jumps = await browser.$$("#stages .jump").length;
  if (backstage !== 0 || jumps < 5) throw new Error(`backstage steps listed: ${backstage}; stage buttons: ${jumps}`);
  await browser.execute(() => [...document.querySelectorAll("#stages .jump")].find((b) => b.textContent === "Photo and signature").click());
  await sleep(700);
  const heading = await browser.execute(() => {
    const h = document.querySelector("#stage-photo h2").getBoundingClientRect();
    return { top: Math.round(h.top), header: Math.round(document.querySelector("header").getBoundingClientRect().bottom) };
  });
  if (heading.top < heading.header) throw new Error(`the stage heading is under the sticky header: ${JSON.stringify(heading)}`);
  passed += 1;
  console.log("ok   the phone lists what participants act on, by stage, and a stage heading shows below the header");
  // A reload is the same person: same participant, own rating and dot.
  await browser.refresh();
  await waitFor("the rejoin", async () => (await browser.$("#me").getText()).includes("You are Dana") || null);
  const rating = await browser.$("select[data-step=photo_line]").getValue();
  if (rating !== "2.5") throw new Error(`after a reload the phone still shows its rating: ${rating}`);
  passed += 1;
  console.log(`ok   a phone at 390 × 844 joins, rates, places a dot and is the same person after a reload (${connected})`);
  // The narrowest common phone, 360 px: nothing runs off the side.
  await browser.deleteSession();
  browser = await phone("profile-360", 360, 740);
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
  // Dana opens the link in another browser: her name is taken until the
  // facilitator releases it, then she is Dana again, with her rating.
  await browser.deleteSession();
  browser = await phone("profile-second", 390, 844);
  await browser.url(url);
  await waitFor("the join form again", async () => (await browser.$("#join").isDisplayed()) || null);
  await browser.$("#name").setValue("dana ");
  await browser.$("#join-button").click();
  await waitFor("the refusal", async () => (await browser.$("#toast").getText()).includes("already Dana") || null);
  host.stdin.write("release dana\n");
  await sleep(300);
  await browser.$("#join-button").click();
  await waitFor("Dana again", async () => (await browser.$("#me").getText()).includes("You are Dana") || null);
  const hers = await browser.$("select[data-step=photo_line]").getValue();
  if (hers !== "2.5") throw new Error(`after the release Dana has her rating back: ${hers}`);
  passed += 1;
  console.log("ok   \"dana \" is Dana: refused while another browser holds the name, hers again once the facilitator releases it");
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
