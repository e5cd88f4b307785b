// Peaks sampled every 100 ms while a case runs: bytes on disk under a directory (du-like, allocated blocks) and the
// resident memory of this process plus its ffmpeg children (read from /proc), or of one given process.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

function diskUsage(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const p = path.join(dir, name);
    try {
      const st = statSync(p);
      total += st.isDirectory() ? diskUsage(p) : st.blocks * 512;
    } catch {
      // deleted between readdir and stat
    }
  }
  return total;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Direct children of `parent` whose command name is `comm` (e.g. "ffmpeg"). */
function childrenNamed(parent: number, comm: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const command = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      if (ppid === parent && command === comm) out.push(Number(name));
    } catch {
      // process ended while we looked
    }
  }
  return out;
}

export interface Peaks {
  diskBytes: number;
  rssBytes: number;
}

export interface SamplerTarget {
  /** Directory whose disk use counts. */
  dir?: string;
  /** Count this process and its ffmpeg children ("ours"), or only this pid ("plain"). */
  rss: { kind: "self-and-ffmpeg-children" } | { kind: "pid"; pid: () => number | undefined };
  /** Files whose size counts towards disk (a plain ffmpeg's output). */
  files?: string[];
}

export function startSampler(target: SamplerTarget): () => Peaks {
  const peaks: Peaks = { diskBytes: 0, rssBytes: 0 };
  const sample = () => {
    let disk = target.dir ? diskUsage(target.dir) : 0;
    for (const f of target.files ?? []) {
      try {
        disk += statSync(f).blocks * 512;
      } catch {
        // not written yet
      }
    }
    let rss = 0;
    if (target.rss.kind === "pid") {
      const pid = target.rss.pid();
      rss = pid ? rssOf(pid) : 0;
    } else {
      rss = process.memoryUsage().rss + childrenNamed(process.pid, "ffmpeg").reduce((n, pid) => n + rssOf(pid), 0);
    }
    peaks.diskBytes = Math.max(peaks.diskBytes, disk);
    peaks.rssBytes = Math.max(peaks.rssBytes, rss);
  };
  sample();
  const timer = setInterval(sample, 100);
  return () => {
    clearInterval(timer);
    sample();
    return peaks;
  };
}
