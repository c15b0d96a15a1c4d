// A throwaway PostgreSQL server for the end-to-end library test, as the
// library's tests start theirs (library/tests/it/pg.rs): Debian's package, a data
// directory in a temporary folder, its own port on loopback, a password on
// TCP connections; as root the server runs as the `postgres` user, since
// initdb refuses to run as root. Nothing is downloaded.
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "./driver.mjs";

export const PASSWORD = "e2e-only-password";

function binDir() {
  if (process.env.WAYMARK_PG_BIN) return process.env.WAYMARK_PG_BIN;
  const found = readdirSync("/usr/lib/postgresql").map((v) => join("/usr/lib/postgresql", v, "bin")).filter((d) => existsSync(join(d, "initdb")));
  if (found.length === 0) throw new Error("the library test needs Debian's postgresql (scripts/install-deps.sh installs it)");
  return found.sort().pop();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** The `postgres` user's uid and gid when running as root. */
function owner() {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
  return { uid, gid };
}

/** Starts a server in a temporary folder of its own (the `postgres` user
 * must reach it, so not inside the tests' private folder); returns
 * `{ url(db, withPassword = true), stop() }`. */
export async function startPostgres() {
  const dir = mkdtempSync(join(tmpdir(), "waymark-e2e-pg-"));
  const bin = binDir();
  const who = owner();
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "pw"), PASSWORD);
  if (who) for (const p of [dir, join(dir, "data"), join(dir, "pw")]) chownSync(p, who.uid, who.gid);
  const as = who ? { uid: who.uid, gid: who.gid } : {};
  execFileSync(join(bin, "initdb"), ["-D", join(dir, "data"), "--auth-local=trust", "--auth-host=scram-sha-256", "-U", "waymark", "-E", "UTF8", "--locale=C", "--no-sync", `--pwfile=${join(dir, "pw")}`], { ...as, stdio: ["ignore", "ignore", "pipe"] });
  const port = await freePort();
  const server = spawn(join(bin, "postgres"), ["-D", join(dir, "data"), "-p", String(port), "-k", join(dir, "data"), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"], { ...as, stdio: "ignore" });
  const url = (db, password = true) => `postgres://waymark${password ? `:${PASSWORD}` : ""}@127.0.0.1:${port}/${db}`;
  const start = Date.now();
  for (;;) {
    try {
      execFileSync("psql", [url("postgres"), "-c", "SELECT 1"], { stdio: "ignore" });
      break;
    } catch {
      if (Date.now() - start > 30000) throw new Error(`the test server did not start on port ${port}`);
      await sleep(200);
    }
  }
  const stop = () =>
    new Promise((resolve) => {
      server.once("exit", () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      });
      server.kill("SIGINT");
    });
  return { url, stop };
}
