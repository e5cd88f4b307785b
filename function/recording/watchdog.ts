// The watchdog (timer, every minute): the safety net under the event-driven paths; nothing depends on a callback
// arriving. It looks only at the recordings the attention index (state/attention.ts) says are due — a periodic
// check of a RUNNING task (lost callbacks), a recording that ended and waits for TRTC's upload, a delivery whose
// lease ran out, a start that never finished — so its work follows the recordings needing attention, not every
// live one. Its TRTC calls are paced inside TRTC's per-action limits and back off on RequestLimitExceeded; it
// starts no new look after `tickBudgetMs`, and what is left stays due for the next tick.
import type { Logger } from "../log/logger";
import { reconcileRecording } from "../roster/room-recordings";
import { minuteOf, reconcileAttention, type AttentionEntry } from "../state/attention";
import { stateKeys } from "../state/keys";
import { isFinal, type StatusRecord } from "../state/status-record";
import { createJson, getJson, putJson } from "../state/store";
import { isThrottled, pacedEngine } from "./api-pacer";
import { assessTask } from "./assess";
import { deliveryCos } from "./cos-clients";
import type { InvocationContext } from "./deps";
import { finishRecording, owesCallback } from "./finish";
import type { Kit } from "./kit";
import { periodFor, watchdogTuning, type WatchdogTuning } from "./watchdog-tuning";

export interface WatchdogReport {
  /** Attention entries looked at (each one record read). */
  checked: number;
  /** DescribeCloudRecording calls made. */
  described: number;
  deliveriesStarted: string[];
  rekicked: string[];
  failed: string[];
  errors: number;
  /** Due entries left for the next tick because this tick ran out of time. */
  deferred: number;
  /** Entries of recordings that are final, aliases or gone: removed without a look. */
  dropped: number;
  /** RequestLimitExceeded answers from TRTC (each backed off; a look throttled twice stays due for the next tick). */
  throttled: number;
  /** Set when the hourly sweep ran: live recordings that had no check entry, and extra check entries removed. */
  swept?: { missing: number; duplicates: number };
  /** Set when another watchdog invocation was still running: this one did nothing. */
  skipped?: string;
}

/** Stop starting new looks when less than this is left of the invocation. */
const MIN_REMAINING_MS = 10_000;
const STATE_KEY = "watchdog/state.json";
const LOCK_KEY = "watchdog/lock.json";

interface WatchdogState {
  /** The first due minute the next tick lists. */
  cursorMinute: number;
  lastSweepAt: number;
}

/** What a look decided: when to look again (undefined: no need), or that TRTC throttled it (keep the entry). */
type LookOutcome = { kind: "next"; atMs: number | undefined } | { kind: "final" } | { kind: "throttled" };

interface Tick {
  kit: Kit;
  tuning: WatchdogTuning;
  report: WatchdogReport;
  /**
   * Takes a Describe slot for a delivery this tick starts (delivery's first act is one Describe): without it a
   * tick that hands over many ended recordings would fire their Describes all at once. False: no slot in budget.
   */
  dispatchSlot(): Promise<boolean>;
}

async function lookRunning(t: Tick, record: StatusRecord, entry: AttentionEntry, log: Logger): Promise<LookOutcome> {
  const { kit, tuning, report } = t;
  const now = kit.deps.clock.now();
  const started = record.engine ? Date.parse(record.engine.startedAt) : Date.parse(record.createdAt);
  // A young recording with no sign of an end needs no Describe yet: its first periodic check is one interval in.
  const endHinted = record.stop !== undefined || record.task?.exitedAt !== undefined;
  const firstCheck = started + periodFor(record.recordingId, tuning.checkIntervalMs);
  if (entry.kind === "check" && !endHinted && now < firstCheck) return { kind: "next", atMs: firstCheck };
  if (record.stop !== undefined) {
    // TRTC told us the task stopped (302, or an explicit stop): no Describe here. Delivery checks readiness itself
    // with one Describe; describing here first would double the end-of-recording Describes, which is what meets
    // TRTC's 20/s limit first when classes end together (bench/scale). Look again in a minute.
    if (!(await t.dispatchSlot())) return { kind: "throttled" };
    await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: record.recordingId, reason: "watchdog" });
    report.deliveriesStarted.push(record.recordingId);
    return { kind: "next", atMs: now + tuning.followUpMs };
  }

  // Safety net for the roster: a ModifyCloudRecording that kept failing after TRTC stopped retrying its event.
  await reconcileRecording({ state: kit.deps.state, engine: kit.deps.engine, log, now: () => kit.deps.clock.now(), load: (id) => kit.records.load(id) }, record, "watchdog");
  report.described++;
  const readiness = await assessTask(kit, record, async () => (await deliveryCos(kit, record)).source, "watchdog");
  if (readiness.kind === "unknown" && isThrottled(readiness.detail.replace(/^DescribeCloudRecording: /, ""))) return { kind: "throttled" };
  if (readiness.kind === "no-media" || readiness.kind === "failed") {
    await finishRecording(kit, record, { kind: "failed", message: "record failed", detail: readiness.detail, reason: "task-exited" }, log);
    report.failed.push(record.recordingId);
    return { kind: "final" };
  }
  await kit.records.save(record);
  const later = kit.deps.clock.now();
  switch (readiness.kind) {
    case "ready":
      if (!(await t.dispatchSlot())) return { kind: "next", atMs: later };
      await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: record.recordingId, reason: "watchdog" });
      report.deliveriesStarted.push(record.recordingId);
      log.info("task ended: delivery started by the watchdog", { taskState: record.task?.state });
      // Look again soon: by then delivery holds its lease (or its invocation was lost and is started again).
      return { kind: "next", atMs: later + tuning.followUpMs };
    case "not-ended":
      return { kind: "next", atMs: entry.kind === "check" ? later + periodFor(record.recordingId, tuning.checkIntervalMs) : undefined };
    default:
      // waiting (TRTC still uploading, no media yet) or unknown (TRTC answered an error): look again soon.
      return { kind: "next", atMs: later + tuning.followUpMs };
  }
}

async function lookDelivering(t: Tick, record: StatusRecord, log: Logger): Promise<LookOutcome> {
  const { kit, tuning, report } = t;
  const now = kit.deps.clock.now();
  if (await kit.leases.isHeld(record.recordingId)) {
    // Delivery is working on it: look again later (a lease outlives its invocation by at most ~16 min).
    return { kind: "next", atMs: now + tuning.leaseRecheckMs };
  }
  const delivery = (record.delivery ??= { invocations: 0, startedAt: kit.nowIso() });
  delivery.rekicks = (delivery.rekicks ?? 0) + 1;
  if (delivery.rekicks > kit.deps.config.maxDeliveryRekicks) {
    const detail = `delivery stopped making progress ${delivery.rekicks - 1} times${delivery.lastError ? `: ${delivery.lastError}` : ""}; staging sources are kept`;
    await finishRecording(kit, record, { kind: "failed", message: "transcode failed", detail }, log);
    report.failed.push(record.recordingId);
    return { kind: "final" };
  }
  await kit.records.save(record);
  await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: record.recordingId, reason: "watchdog" });
  report.rekicked.push(record.recordingId);
  log.warn("delivery had no live invocation: restarted", { rekicks: delivery.rekicks });
  return { kind: "next", atMs: now + tuning.followUpMs };
}

async function lookStarting(t: Tick, record: StatusRecord, log: Logger): Promise<LookOutcome> {
  const { kit, report } = t;
  const staleAt = Date.parse(record.createdAt) + kit.deps.config.startStaleMs;
  if (kit.deps.clock.now() < staleAt) return { kind: "next", atMs: staleAt };
  const detail = `the start invocation did not finish within ${kit.deps.config.startStaleMs} ms`;
  await finishRecording(kit, record, { kind: "failed", message: "record failed", detail, reason: "start-incomplete" }, log);
  report.failed.push(record.recordingId);
  return { kind: "final" };
}

/** One entry: read the record, look, and move the entry (check) or drop it (nudge). False when it stays due. */
async function handle(t: Tick, entry: AttentionEntry): Promise<boolean> {
  const { kit, report } = t;
  const id = entry.recordingId;
  const log = kit.deps.log.child({ recordingId: id });
  const record = await kit.records.load(id);
  report.checked++;
  let outcome: LookOutcome;
  if (!record || isFinal(record.status) || record.sameAs !== undefined) {
    report.dropped++;
    outcome = { kind: "final" };
    // Finished by an invocation that died before posting the callback: a delivery invocation posts it, under the lease.
    if (record && owesCallback(record)) await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: id, reason: "callback-owed" });
    if (entry.kind === "check") await kit.deps.state.delete(stateKeys.active(id));
  } else if (record.status === "RUNNING") outcome = await lookRunning(t, record, entry, log);
  else if (record.status === "DELIVERING") outcome = await lookDelivering(t, record, log);
  else outcome = await lookStarting(t, record, log);

  if (outcome.kind === "throttled") return false;
  if (outcome.kind === "final") {
    await kit.attention.remove(entry);
    return true;
  }
  if (entry.kind === "check") {
    // The one check entry of a live recording always moves on; it is never just removed.
    await kit.attention.schedule(id, outcome.atMs ?? kit.deps.clock.now() + t.tuning.checkIntervalMs, entry);
    return true;
  }
  const again = outcome.atMs === undefined ? undefined : await kit.attention.nudge(id, outcome.atMs);
  if (again !== entry.key) await kit.attention.remove(entry);
  return true;
}

/** At most one watchdog at a time: a tick that overlaps a slow previous one would double its TRTC calls. */
async function lock(kit: Kit, ttlMs: number): Promise<boolean> {
  const body = { expiresAt: kit.deps.clock.now() + ttlMs };
  if (await createJson(kit.deps.state, LOCK_KEY, body)) return true;
  const held = await getJson<{ expiresAt?: number }>(kit.deps.state, LOCK_KEY);
  if (held && typeof held.expiresAt === "number" && held.expiresAt > kit.deps.clock.now()) return false;
  await kit.deps.state.delete(LOCK_KEY);
  return createJson(kit.deps.state, LOCK_KEY, body);
}

async function sweep(t: Tick): Promise<void> {
  const { kit } = t;
  const { missing, duplicates } = await reconcileAttention(kit.deps.state, kit.attention);
  for (const id of missing) await kit.attention.schedule(id, kit.deps.clock.now());
  for (const e of duplicates) await kit.attention.remove(e);
  t.report.swept = { missing: missing.length, duplicates: duplicates.length };
  if (missing.length + duplicates.length > 0) kit.deps.log.warn("attention index repaired", { missing: missing.length, duplicates: duplicates.length });
}

/** No saved state (first tick, or it was lost): start at the oldest entry in the index, so nothing due is skipped. */
async function firstState(t: Tick, nowMinute: number): Promise<WatchdogState> {
  const oldest = (await t.kit.attention.all()).reduce((m, e) => Math.min(m, e.minute), nowMinute - 1);
  return { cursorMinute: oldest, lastSweepAt: 0 };
}

/**
 * Due entries in the order they are looked at: oldest minute first, one look per recording per tick. A recording's
 * check entry is the one looked at when it is due (it carries the recording on); its other due entries (nudges,
 * a duplicate check left by a crash) are covered by that look and removed.
 */
function plan(entries: AttentionEntry[]): { looks: AttentionEntry[]; extra: AttentionEntry[] } {
  const byId = new Map<string, AttentionEntry[]>();
  for (const e of entries) {
    const list = byId.get(e.recordingId) ?? [];
    list.push(e);
    byId.set(e.recordingId, list);
  }
  const looks: AttentionEntry[] = [];
  const extra: AttentionEntry[] = [];
  for (const list of byId.values()) {
    list.sort((a, b) => (a.kind === b.kind ? a.minute - b.minute : a.kind === "check" ? -1 : 1));
    looks.push(list[0]!);
    extra.push(...list.slice(1));
  }
  // Nudges first (an event said this recording is ending: delivery waits on this look), then the periodic checks
  // (the lost-callback safety net), each oldest minute first. When classes end together the checks yield to the
  // recordings that are known to be done, and are deferred to later ticks.
  looks.sort((a, b) => (a.kind === b.kind ? a.minute - b.minute || a.key.localeCompare(b.key) : a.kind === "nudge" ? -1 : 1));
  return { looks, extra };
}

export async function runWatchdog(kit: Kit, ctx: InvocationContext): Promise<WatchdogReport> {
  const report: WatchdogReport = { checked: 0, described: 0, deliveriesStarted: [], rekicked: [], failed: [], errors: 0, deferred: 0, dropped: 0, throttled: 0 };
  const tuning = watchdogTuning(kit);
  const clock = kit.deps.clock;
  const startedAt = clock.now();
  if (!(await lock(kit, Math.max(ctx.remainingMs(), tuning.tickBudgetMs)))) {
    report.skipped = "another watchdog invocation is still running";
    kit.deps.log.info("watchdog skipped", { ...report });
    return report;
  }
  try {
    // A look that would wait for TRTC past the tick's budget is left for the next tick instead.
    const deadline = () => startedAt + tuning.tickBudgetMs;
    const paced = pacedEngine(kit.deps.engine, clock, tuning.pace, deadline);
    const t: Tick = { kit: { ...kit, deps: { ...kit.deps, engine: paced.engine } }, tuning, report, dispatchSlot: () => paced.pacers.describe.take(deadline()) };
    const nowMinute = minuteOf(startedAt);
    const state = (await getJson<WatchdogState>(kit.deps.state, STATE_KEY)) ?? (await firstState(t, nowMinute));
    if (startedAt - state.lastSweepAt >= tuning.sweepIntervalMs) {
      await sweep(t);
      state.lastSweepAt = startedAt;
    }
    const { entries, listedTo } = await kit.attention.due(state.cursorMinute, tuning.maxMinutesPerTick);
    const { looks, extra } = plan(entries);
    for (const e of extra) await kit.attention.remove(e);

    let next = 0;
    let keptMinute = Number.POSITIVE_INFINITY;
    const outOfTime = () => clock.now() - startedAt >= tuning.tickBudgetMs || ctx.remainingMs() < MIN_REMAINING_MS;
    const worker = async () => {
      while (next < looks.length && !outOfTime()) {
        const entry = looks[next++]!;
        try {
          if (!(await handle(t, entry))) keptMinute = Math.min(keptMinute, entry.minute);
        } catch (err) {
          report.errors++;
          keptMinute = Math.min(keptMinute, entry.minute);
          kit.deps.log.child({ recordingId: entry.recordingId }).error("watchdog look failed", { error: err });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, tuning.concurrency) }, worker));
    report.deferred = looks.length - next;
    const firstLeft = next < looks.length ? Math.min(...looks.slice(next).map((e) => e.minute)) : listedTo + 1;
    // Never past the previous minute: a writer whose clock is a little behind may still add to it.
    state.cursorMinute = Math.min(firstLeft, keptMinute, minuteOf(clock.now()) - 1);
    await putJson(kit.deps.state, STATE_KEY, state);
    report.throttled = paced.pacers.describe.throttles + paced.pacers.modify.throttles;
  } finally {
    await kit.deps.state.delete(LOCK_KEY);
  }
  kit.deps.log.info("watchdog done", { ...report, ms: clock.now() - startedAt });
  return report;
}
