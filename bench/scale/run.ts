/**
 * `npx tsx bench/scale/run.ts [--sizes 100,1000,10000] [--ramp-minutes 60] [--scenarios spread,ends,starts] [--burst-size N] [--lose-every 50]`: N concurrent one-hour
 * recordings, simulated in compressed time (bench/scale/simulate.ts) through the real recorder code, with TRTC's
 * documented per-action limits enforced by the TRTC double's limiter. Prints per N: watchdog duration (median, p99),
 * TRTC calls per minute by action (mean over the run and the busiest minute; refusals), state-store operations per
 * minute, invocations and function-seconds per recording-hour, and the growth ratio 10k/1k of each. Latencies are
 * modelled (see LATENCIES in sim-cloud.ts), so durations are estimates; call counts are exact for the code as it is.
 * No pass/fail: targets are printed next to the numbers.
 *
 * Then the burst scenarios at the largest N (`--scenarios spread,ends,starts`, `--burst-size`), side by side:
 *   spread  — starts evenly over `--ramp-minutes` (default 60), one hour each: the table above at that N;
 *   ends    — classes ending together: starts over 10 min, one hour each, so all end within 10 min;
 *   starts  — classes starting together: all start requests within 1 min, lengths spread 60–90 min (so the ends do
 *             not pile up too and the start burst is measured on its own); the simulated caller starts again after
 *             a FAILED start only when the recorder says it may (`failure.retryable`, after `retryAfterSeconds`).
 */
import { DEFAULT_SCENARIO, simulate, type Scenario, type ScenarioResult } from "./simulate";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const quick = process.argv.includes("--quick");
const sizes = arg("sizes", quick ? "100,1000" : "100,1000,10000").split(",").map(Number);
const rampMinutes = Number(arg("ramp-minutes", "60"));
const scenarioNames = arg("scenarios", quick ? "" : "spread,ends,starts").split(",").filter((x) => x !== "");
const burstSize = Number(arg("burst-size", String(Math.max(...sizes))));
const loseEvery = Number(arg("lose-every", "50"));
const TRTC_LIMIT_PER_MIN = 20 * 60;

interface Summary {
  n: number;
  wdMedianMs: number;
  wdP99Ms: number;
  wdMaxMs: number;
  trtc: Map<string, { mean: number; peak: number; refused: number }>;
  stateMean: number;
  statePeak: number;
  stateByOp: Map<string, number>;
  invPerRecHour: Map<string, number>;
  fnSecPerRecHour: Map<string, number>;
  result: ScenarioResult;
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function summarize(r: ScenarioResult): Summary {
  const n = r.scenario.recordings;
  const recHours = r.recordingHours > 0 ? r.recordingHours : (n * r.scenario.durationMs) / 3_600_000;
  const wd = r.invocations.filter((i) => i.kind === "watchdog").map((i) => (i.endedAt ?? i.startedAt) - i.startedAt);
  const c = r.counter;
  const trtc = new Map<string, { mean: number; peak: number; refused: number }>();
  for (const name of c.names()) {
    const m = /^TRTC (\w+)$/.exec(name);
    if (!m) continue;
    trtc.set(m[1]!, { mean: c.total(name) / r.minutes, peak: c.peak(name), refused: c.total(`${name} (RequestLimitExceeded)`) });
  }
  const stateOps = c.names().filter((x) => x.startsWith("state "));
  const perMinute = new Map<number, number>();
  for (const name of stateOps) for (const [minute, v] of c.perMinute.get(name) ?? []) perMinute.set(minute, (perMinute.get(minute) ?? 0) + v);
  const stateTotal = stateOps.reduce((t, x) => t + c.total(x), 0);
  const invPerRecHour = new Map<string, number>();
  const fnSecPerRecHour = new Map<string, number>();
  for (const inv of r.invocations) {
    invPerRecHour.set(inv.kind, (invPerRecHour.get(inv.kind) ?? 0) + 1 / recHours);
    fnSecPerRecHour.set(inv.kind, (fnSecPerRecHour.get(inv.kind) ?? 0) + ((inv.endedAt ?? inv.startedAt) - inv.startedAt) / 1000 / recHours);
  }
  return {
    n,
    wdMedianMs: pct(wd, 50),
    wdP99Ms: pct(wd, 99),
    wdMaxMs: Math.max(...wd),
    trtc,
    stateMean: stateTotal / r.minutes,
    statePeak: Math.max(0, ...perMinute.values()),
    stateByOp: new Map(stateOps.map((x) => [x.slice("state ".length), c.total(x) / r.minutes])),
    invPerRecHour,
    fnSecPerRecHour,
    result: r,
  };
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-");
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "-");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

function print(all: Summary[]): void {
  const cols = all.map((s) => `N=${s.n}`);
  const row = (label: string, cells: string[]) => console.log(`| ${label} | ${cells.join(" | ")} |`);
  console.log(`\n| measure | ${cols.join(" | ")} |${all.length >= 2 ? " growth last/prev |" : ""}`);
  console.log(`|---|${cols.map(() => "---").join("|")}|${all.length >= 2 ? "---|" : ""}`);
  const growth = (xs: number[]) => (xs.length >= 2 ? [f2(xs[xs.length - 1]! / xs[xs.length - 2]!)] : []);
  const line = (label: string, get: (s: Summary) => number, fmt = f1) => {
    const xs = all.map(get);
    row(label, [...xs.map(fmt), ...growth(xs)]);
  };
  line("watchdog duration median (s)", (s) => s.wdMedianMs / 1000, f2);
  line("watchdog duration p99 (s) — target ≤ 30", (s) => s.wdP99Ms / 1000, f2);
  line("watchdog duration max (s)", (s) => s.wdMaxMs / 1000, f2);
  const actions = [...new Set(all.flatMap((s) => [...s.trtc.keys()]))].sort();
  for (const a of actions) {
    line(`TRTC ${a} / min, mean`, (s) => s.trtc.get(a)?.mean ?? 0);
    line(`TRTC ${a} / min, busiest minute (limit ${TRTC_LIMIT_PER_MIN})`, (s) => s.trtc.get(a)?.peak ?? 0, f0);
    line(`TRTC ${a} answered RequestLimitExceeded (total)`, (s) => s.trtc.get(a)?.refused ?? 0, f0);
  }
  line("state-store ops / min, mean", (s) => s.stateMean, f0);
  line("state-store ops / min, busiest minute", (s) => s.statePeak, f0);
  for (const op of ["GET", "PUT", "DELETE", "LIST"]) line(`  state ${op} / min, mean`, (s) => s.stateByOp.get(op) ?? 0, f0);
  line("invocations / recording-hour", (s) => sum(s.invPerRecHour), f2);
  for (const k of ["start", "event", "deliver", "watchdog"]) line(`  ${k} invocations / recording-hour`, (s) => s.invPerRecHour.get(k) ?? 0, f2);
  line("function-seconds / recording-hour (target ≤ 5)", (s) => sum(s.fnSecPerRecHour), f2);
  for (const k of ["start", "event", "deliver", "watchdog"]) line(`  ${k} function-seconds / recording-hour`, (s) => s.fnSecPerRecHour.get(k) ?? 0, f2);
  line("recordings FINISHED (%)", (s) => (100 * s.result.finished) / s.n, f1);
  line("lost-callback recordings: upload done → FINISHED, median (s)", (s) => pct(s.result.safetyNetLatencyMs, 50) / 1000, f0);
  line("lost-callback recordings: upload done → FINISHED, max (s)", (s) => pct(s.result.safetyNetLatencyMs, 100) / 1000, f0);
  line("with callbacks: upload done → FINISHED, median (s)", (s) => pct(s.result.eventLatencyMs, 50) / 1000, f0);
  line("with callbacks: upload done → FINISHED, p99 (s)", (s) => pct(s.result.eventLatencyMs, 99) / 1000, f0);
  line("TRTC Describe calls by the watchdog / recording", (s) => s.result.counter.total("by watchdog: TRTC DescribeCloudRecording") / s.n, f2);
  line("TRTC Describe calls by delivery / recording", (s) => s.result.counter.total("by deliver: TRTC DescribeCloudRecording") / s.n, f2);
  line("simulation wall time (s)", (s) => s.result.wallMs / 1000, f1);
}

/** The burst scenarios (see the header), at `n` recordings. */
function burstScenario(name: string, n: number): Scenario {
  const base = { ...DEFAULT_SCENARIO, recordings: n, loseEndEventsEvery: loseEvery };
  switch (name) {
    case "spread":
      return { ...base, rampMs: rampMinutes * 60_000 };
    case "ends":
      return { ...base, rampMs: 10 * 60_000 };
    case "starts":
      return { ...base, rampMs: 60_000, durationSpreadMs: 30 * 60_000 };
    default:
      throw new Error(`unknown scenario ${JSON.stringify(name)} (spread, ends, starts)`);
  }
}

const SCENARIO_LABEL: Record<string, string> = {
  spread: "spread (starts over the ramp)",
  ends: "ends together (10 min)",
  starts: "starts together (1 min)",
};

function printScenarios(named: Array<[string, Summary]>): void {
  const cols = named.map(([name, s]) => `${SCENARIO_LABEL[name] ?? name}, N=${s.n}`);
  console.log(`\n| measure | ${cols.join(" | ")} |`);
  console.log(`|---|${cols.map(() => "---").join("|")}|`);
  const line = (label: string, get: (s: Summary) => number, fmt = f1) => console.log(`| ${label} | ${named.map(([, s]) => fmt(get(s))).join(" | ")} |`);
  const lag = (s: Summary) => [...s.result.eventLatencyMs, ...s.result.safetyNetLatencyMs];
  line("delivery lag (upload done → FINISHED), median (s)", (s) => pct(lag(s), 50) / 1000, f0);
  line("delivery lag, p99 (s)", (s) => pct(lag(s), 99) / 1000, f0);
  line("  with callbacks: median (s)", (s) => pct(s.result.eventLatencyMs, 50) / 1000, f0);
  line("  with callbacks: p99 (s)", (s) => pct(s.result.eventLatencyMs, 99) / 1000, f0);
  line("  lost callbacks: median (s)", (s) => pct(s.result.safetyNetLatencyMs, 50) / 1000, f0);
  line("  lost callbacks: max (s)", (s) => pct(s.result.safetyNetLatencyMs, 100) / 1000, f0);
  for (const a of ["DescribeCloudRecording", "CreateCloudRecording"]) {
    line(`TRTC ${a} / min, mean`, (s) => s.trtc.get(a)?.mean ?? 0);
    line(`TRTC ${a} / min, busiest minute (limit ${TRTC_LIMIT_PER_MIN})`, (s) => s.trtc.get(a)?.peak ?? 0, f0);
    line(`TRTC ${a} answered RequestLimitExceeded (total)`, (s) => s.trtc.get(a)?.refused ?? 0, f0);
  }
  line("TRTC Describe calls by delivery / recording", (s) => s.result.counter.total("by deliver: TRTC DescribeCloudRecording") / s.n, f2);
  line("watchdog duration p99 (s) — target ≤ 30", (s) => s.wdP99Ms / 1000, f2);
  line("function-seconds / recording-hour (target ≤ 5)", (s) => sum(s.fnSecPerRecHour), f2);
  line("  start function-seconds / recording-hour", (s) => s.fnSecPerRecHour.get("start") ?? 0, f2);
  line("start requests sent by the caller (retries included) / room", (s) => s.result.startRequests / s.n, f2);
  line("starts FAILED as retryable (total)", (s) => s.result.startsRetryable, f0);
  line("rooms never recorded", (s) => s.result.roomsNeverStarted, f0);
  line("first request → RUNNING, median (s)", (s) => pct(s.result.startLatencyMs, 50) / 1000, f1);
  line("first request → RUNNING, p99 (s)", (s) => pct(s.result.startLatencyMs, 99) / 1000, f1);
  line("first request → RUNNING, max (s)", (s) => pct(s.result.startLatencyMs, 100) / 1000, f1);
  line("recordings FINISHED (% of rooms)", (s) => (100 * s.result.finished) / s.n, f1);
  for (const [name, s] of named) {
    const left = s.n - s.result.finished;
    const e = s.result.unfinished[0];
    if (left > 0 && e) console.log(`\n${name}: ${left} not FINISHED when the simulation stopped, e.g. ${e.id} ${e.status} (${e.why})`);
  }
}

async function main(): Promise<void> {
  console.log(
    `scale bench: N one-hour mixed recordings started evenly over ${rampMinutes} min, every ${loseEvery}th loses all its end callbacks (302/305/310); ` +
      `watchdog every minute; TRTC limits 20/s per action (the TRTC double's limiter); delivery's media work excluded (bench/delivery).`,
  );
  const all: Summary[] = [];
  for (const n of sizes) {
    const r = await simulate(burstScenario("spread", n));
    if (r.errors > 0) console.log(`  N=${n}: ${r.errors} invocations threw`);
    all.push(summarize(r));
    console.log(`  N=${n} simulated ${r.minutes} min in ${(r.wallMs / 1000).toFixed(1)} s`);
  }
  print(all);
  if (scenarioNames.length === 0) return;
  const named: Array<[string, Summary]> = [];
  for (const name of scenarioNames) {
    const reuse = name === "spread" ? all.find((s) => s.n === burstSize) : undefined;
    const s = reuse ?? summarize(await simulate(burstScenario(name, burstSize)));
    if (s.result.errors > 0) console.log(`  ${name}: ${s.result.errors} invocations threw`);
    if (!reuse) console.log(`  ${name} N=${burstSize} simulated ${s.result.minutes} min in ${(s.result.wallMs / 1000).toFixed(1)} s`);
    named.push([name, s]);
  }
  printScenarios(named);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
