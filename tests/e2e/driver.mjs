// Starting tauri-driver and the app under it: shared by the end-to-end tests
// (run.mjs) and the large-map benchmark (bench-large-map.mjs).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { remote } from "webdriverio";

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Starts tauri-driver with data and config directories of `work`'s own, so
 * the app starts as on a first run (no recent maps); resolves once it answers. */
export async function startDriver(work, driverBin = process.env.TAURI_DRIVER ?? "tauri-driver", env = {}) {
  const driver = spawn(driverBin, ["--port", "4444", "--native-port", "4445"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, XDG_DATA_HOME: join(work, "data"), XDG_CONFIG_HOME: join(work, "config"), ...env },
  });
  let log = "";
  driver.stdout.on("data", (d) => (log += d));
  driver.stderr.on("data", (d) => (log += d));
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch("http://127.0.0.1:4444/status");
      if (res.ok) return driver;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  driver.kill();
  throw new Error(`tauri-driver did not start:\n${log}`);
}

/** Starts the app binary `app` with `args`; returns the WebDriver session. */
export function launchApp(app, args, logLevel = "warn") {
  return remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel,
    // No retries: a retried new-session request starts a second app.
    connectionRetryCount: 0,
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: app, args },
    },
  });
}
