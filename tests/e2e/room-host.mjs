// What the phone tests share: where the programs are, and a room hosted with
// no window (`waymark-room`) on a fresh copy of the licence sample.

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..", "..");
export const cli = process.env.WAYMARK_CLI ?? join(root, "target/debug/waymark");
const roomBin = process.env.WAYMARK_ROOM ?? join(root, "target/debug/waymark-room");
export const shots = join(here, "screenshots");
mkdirSync(shots, { recursive: true });
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A scratch folder named `prefix…`, and in it a room on a copy of the
 * licence sample, listening on 127.0.0.1: its file, process and URL. */
export async function hostRoom(prefix) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const file = join(work, "room.waymark");
  execFileSync(cli, ["import", join(root, "assets/samples/licence-renewal.json"), "-o", file]);
  const host = spawn(roomBin, [file, "--bind", "127.0.0.1"], { stdio: ["pipe", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: host.stdout }).on("line", (l) => l.startsWith("room: ") && resolve(l.slice(6).trim()));
    host.on("exit", (code) => reject(new Error(`waymark-room exited ${code}`)));
  });
  return { work, file, host, url };
}
