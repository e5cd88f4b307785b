// How often the watchdog looks at a recording and how much one tick may do. Defaults are sized for 10,000
// concurrent recordings inside TRTC's 20 requests/s per action (bench/scale measures them): a RUNNING recording is
// described about once per `checkIntervalMs` as a safety net for lost TRTC callbacks (events stay the primary path), a
// recording that needs a close follow-up (ended, waiting for TRTC's upload, delivery restarted) every `followUpMs`.
import { DEFAULT_PACE, type PaceTuning } from "./api-pacer";
import type { Kit } from "./kit";
import type { StatusRecord } from "../state/status-record";

export interface WatchdogTuning {
  /**
   * A RUNNING recording with no news is described this often (lost-callback safety net). 45 min keeps 10,000
   * recordings at ~220 periodic Describes per tick; with the deliveries the watchdog starts (~170 per tick at
   * 10,000 one-hour recordings) that fits one tick's 25 s at the paced 15/s. @default 45 min
   */
  checkIntervalMs: number;
  /** A recording that ended, waits for TRTC's upload or had its delivery restarted is looked at again after this. @default 60 s */
  followUpMs: number;
  /** A DELIVERING recording whose lease is held is looked at again after this. @default 5 min */
  leaseRecheckMs: number;
  /** A tick starts no new look after this much of its time (the next tick takes over what is left). @default 25 s */
  tickBudgetMs: number;
  /** Looks in flight at once (each is mostly waiting on COS and TRTC). @default 4 */
  concurrency: number;
  /** Due minutes listed per tick at most (catching up after an outage). @default 180 */
  maxMinutesPerTick: number;
  /** How often the active/ markers are compared with the attention index. @default 60 min */
  sweepIntervalMs: number;
  /** TRTC pacing per action (Describe, Modify). @default 15/s, burst 2, backoff 1 s doubling to 8 s */
  pace: PaceTuning;
}

export const DEFAULT_WATCHDOG: WatchdogTuning = {
  checkIntervalMs: 45 * 60_000,
  followUpMs: 60_000,
  leaseRecheckMs: 5 * 60_000,
  tickBudgetMs: 25_000,
  concurrency: 4,
  maxMinutesPerTick: 180,
  sweepIntervalMs: 60 * 60_000,
  pace: DEFAULT_PACE,
};

/**
 * The check interval for one recording, spread ±15 % by its id: recordings started together (classes on the hour)
 * do not all come due in the same minute again and again.
 */
export function periodFor(recordingId: string, intervalMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < recordingId.length; i++) h = Math.imul(h ^ recordingId.charCodeAt(i), 16777619);
  return Math.round(intervalMs * (0.85 + 0.3 * ((h >>> 0) / 0xffffffff)));
}

export function watchdogTuning(kit: Kit): WatchdogTuning {
  const over = kit.deps.config.watchdog ?? {};
  return { ...DEFAULT_WATCHDOG, ...over, pace: { ...DEFAULT_WATCHDOG.pace, ...over.pace } };
}

/**
 * The first look at a new recording: when a stale start must be failed, or the first periodic check, whichever
 * comes first. Called by start when the recording is recorded STARTING (idempotent for a re-run: same key).
 */
export async function scheduleFirstLook(kit: Kit, record: StatusRecord): Promise<void> {
  const tuning = watchdogTuning(kit);
  const created = Date.parse(record.createdAt);
  await kit.attention.schedule(record.recordingId, created + Math.min(kit.deps.config.startStaleMs, tuning.checkIntervalMs));
}

/** An event or an operation says this recording needs a look soon (stop events, explicit stop, delivery leases). */
export async function nudgeWatchdog(kit: Kit, recordingId: string, afterMs?: number): Promise<void> {
  await kit.attention.nudge(recordingId, kit.deps.clock.now() + (afterMs ?? watchdogTuning(kit).followUpMs));
}
