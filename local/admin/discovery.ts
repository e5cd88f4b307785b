// How `npm run room` finds a running `npm start -- --keep`: the local cloud writes a small JSON file (no secrets:
// URLs and its pid) and removes it when it stops. A stale file (its process gone) is reported as such.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../../infra/app";

/** `.tmp/local-cloud.json` at the repository root (.tmp/ is gitignored). */
export const DEFAULT_DISCOVERY_FILE = join(REPO_ROOT, ".tmp", "local-cloud.json");

export interface DiscoveryInfo {
  pid: number;
  /** The console page; the admin API is under `${consoleUrl}api/`. */
  consoleUrl: string;
  adminUrl: string;
  ingressUrl?: string;
  stackName: string;
  startedAt: string;
}

export function writeDiscovery(file: string, info: DiscoveryInfo): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the file if it is still ours (another local cloud may have started since). */
export function removeDiscovery(file: string, pid = process.pid): void {
  try {
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as DiscoveryInfo).pid === pid) rmSync(file, { force: true });
  } catch {
    // An unreadable file is not ours to judge; leave it.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The admin URL of the running local cloud, or a sentence saying why there is none. */
export function readDiscovery(file: string): { ok: true; info: DiscoveryInfo } | { ok: false; reason: string } {
  if (!existsSync(file)) return { ok: false, reason: `no running local cloud found (${file} does not exist): start one with \`npm start -- --keep\`, or pass --url http://127.0.0.1:<port>` };
  let info: DiscoveryInfo;
  try {
    info = JSON.parse(readFileSync(file, "utf8")) as DiscoveryInfo;
  } catch {
    return { ok: false, reason: `${file} is not valid JSON; delete it and start the local cloud again` };
  }
  if (typeof info.adminUrl !== "string" || typeof info.pid !== "number") return { ok: false, reason: `${file} has no adminUrl/pid; delete it and start the local cloud again` };
  if (!alive(info.pid)) return { ok: false, reason: `the local cloud that wrote ${file} (pid ${info.pid}) is no longer running: start one with \`npm start -- --keep\`` };
  return { ok: true, info };
}
