/**
 * End-to-end benchmark: the time from `npm start` (local/cli.ts in a fresh process, as `npm start` runs it) to the
 * callback of the default scenario (3 anchors, ~10 s, Mode 12), split into startup, synth, cold start, recording
 * and delivery, against the 30 s target. Two runs in this process: one that must synthesize (`--resynth`) and one on
 * the then up-to-date stack; the class itself (recording) is the baseline every other figure is a ratio of.
 * `--quick` does the synthesizing run only. Excludes `npm install`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchSplit } from "../../local/scenario/timings";

const root = join(__dirname, "..", "..");
const TARGET_MS = 30_000;
const quick = process.argv.includes("--quick");

interface Run {
  label: string;
  split: BenchSplit;
  /** Spawn of the process → callback received, measured from outside. */
  wallToCallbackMs: number;
  exitMs: number;
}

function run(label: string, extra: string[]): Run {
  const dir = mkdtempSync(join(tmpdir(), "bench-e2e-"));
  try {
    const timings = join(dir, "timings.json");
    const started = Date.now();
    const r = spawnSync(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), join(root, "local", "cli.ts"), "--out", dir, "--timings-json", timings, ...extra], {
      cwd: root,
      encoding: "utf8",
    });
    const exitMs = Date.now() - started;
    if (r.status !== 0) throw new Error(`${label}: local/cli.ts exited ${r.status}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    const split = JSON.parse(readFileSync(timings, "utf8")) as BenchSplit & { callbackAt: number };
    return { label, split, wallToCallbackMs: split.callbackAt - started, exitMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
const runs = [run("synthesizing", ["--resynth"]), ...(quick ? [] : [run("up to date", [])])];

console.log("npm start → callback, default scenario (3 anchors, ~10 s, Mode 12)\n");
console.log(`${"".padEnd(22)}${runs.map((r) => r.label.padStart(16)).join("")}`);
const rows: Array<[string, (r: Run) => number]> = [
  ["startup (node, tsx)", (r) => r.split.startupMs],
  ["synth", (r) => r.split.synthMs],
  ["cold start", (r) => r.split.coldStartMs],
  ["recording (baseline)", (r) => r.split.recordingMs],
  ["delivery", (r) => r.split.deliveryMs],
  ["total to callback", (r) => r.wallToCallbackMs],
  ["process exit", (r) => r.exitMs],
];
for (const [name, get] of rows) console.log(`${name.padEnd(22)}${runs.map((r) => `${s(get(r))} ${`(${(get(r) / r.split.recordingMs).toFixed(2)}×)`.padStart(7)}`).join("")}`);
console.log("");
for (const r of runs) {
  const overhead = r.wallToCallbackMs - r.split.recordingMs;
  console.log(
    `${r.label}: ${s(r.wallToCallbackMs).trim()} to the callback vs target ${s(TARGET_MS).trim()} → ${r.wallToCallbackMs <= TARGET_MS ? "within" : "OVER"} ` +
      `(${((r.wallToCallbackMs / TARGET_MS) * 100).toFixed(0)} % of the target; ${s(overhead).trim()} on top of the class itself)`,
  );
}
