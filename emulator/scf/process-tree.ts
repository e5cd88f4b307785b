// The memory of one function instance is the whole process tree (the handler and the ffmpeg it spawns), as in an
// SCF container. Read from /proc (Linux only; elsewhere the RSS watch reports 0 and only V8's heap limit applies).
import { readdirSync, readFileSync } from "node:fs";

const PAGE_BYTES = 4096;

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function rssOf(pid: number): number {
  try {
    const resident = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return Number.isFinite(resident) ? resident * PAGE_BYTES : 0;
  } catch {
    return 0;
  }
}

/** Resident bytes of `pid` and all its descendants. */
export function treeRssBytes(pid: number): number {
  let total = 0;
  const seen = new Set<number>();
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop() as number;
    if (seen.has(p)) continue;
    seen.add(p);
    total += rssOf(p);
    stack.push(...childrenOf(p));
  }
  return total;
}

/** Kills the instance's process group (it was spawned detached, so it leads its own group). */
export function killTree(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
