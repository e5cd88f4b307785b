// The benchmark split of one `npm start`: synth (load, synthesizing when stale), cold start (deploying the code and
// layer, starting the servers, and the first request until TRTC's robot records), recording (the class itself),
// delivery (class over → callback received), and the total from process start.
import type { LocalCloud } from "../cloud";
import type { ScenarioResult } from "./run";

export interface BenchSplit {
  synthMs: number;
  coldStartMs: number;
  recordingMs: number;
  deliveryMs: number;
  /** Process start → callback. */
  totalMs: number;
  /** Process start up to the local cloud starting to load (Node, tsx, imports). */
  startupMs: number;
  /** Whether the synth figure includes an actual synthesis. */
  synthesized: boolean;
}

export function benchSplit(cloud: LocalCloud, result: ScenarioResult, processStartMs: number, cloudStartedAt: number): BenchSplit {
  const coldStartMs = cloud.timings.deployMs + cloud.timings.startMs + (result.marks.running - result.marks.posted);
  return {
    synthMs: cloud.timings.loadMs,
    coldStartMs,
    recordingMs: result.marks.classEnded - result.marks.running,
    deliveryMs: result.marks.callback - result.marks.classEnded,
    totalMs: result.marks.callback - processStartMs,
    startupMs: cloudStartedAt - processStartMs,
    synthesized: cloud.synth.synthesized,
  };
}

export function renderSplit(s: BenchSplit, targetMs = 30_000): string {
  const f = (ms: number) => `${(ms / 1000).toFixed(1).padStart(5)} s`;
  return [
    `  startup    ${f(s.startupMs)}  (node, tsx, imports)`,
    `  synth      ${f(s.synthMs)}  ${s.synthesized ? "(synthesized)" : "(up to date: loaded only)"}`,
    `  cold start ${f(s.coldStartMs)}  (unzip code + layer, servers, first request until RUNNING)`,
    `  recording  ${f(s.recordingMs)}`,
    `  delivery   ${f(s.deliveryMs)}  (class over → callback)`,
    `  total      ${f(s.totalMs)}  vs target ${f(targetMs)}: ${s.totalMs <= targetMs ? "within" : "OVER"} (${((s.totalMs / targetMs) * 100).toFixed(0)} %)`,
  ].join("\n");
}
