// The watchdog (timer, every minute): nothing depends on a callback arriving. It walks the active recordings:
// RUNNING → DescribeCloudRecording, and delivery starts for tasks that ended (kicked, idle, stopped, lost events);
// DELIVERING without a live lease → the delivery invocation died, start it again (bounded); STARTING for too long
// → the start invocation died, fail it so the claim is freed.
import type { Logger } from "../log/logger";
import { reconcileRecording } from "../roster/room-recordings";
import { stateKeys } from "../state/keys";
import { isFinal, type StatusRecord } from "../state/status-record";
import { assessTask } from "./assess";
import { deliveryCos } from "./cos-clients";
import type { InvocationContext } from "./deps";
import { finishRecording } from "./finish";
import type { Kit } from "./kit";

export interface WatchdogReport {
  checked: number;
  deliveriesStarted: string[];
  rekicked: string[];
  failed: string[];
  errors: number;
  /** Recordings left for the next tick because this invocation ran out of time. */
  deferred: number;
}

/** Stop starting new checks when less than this is left of the invocation. */
const MIN_REMAINING_MS = 10_000;

async function checkRunning(kit: Kit, record: StatusRecord, report: WatchdogReport, log: Logger): Promise<void> {
  // Safety net for the roster: a ModifyCloudRecording that kept failing after TRTC stopped retrying its event.
  await reconcileRecording({ state: kit.deps.state, engine: kit.deps.engine, log, now: () => kit.deps.clock.now(), load: (id) => kit.records.load(id) }, record, "watchdog");
  const readiness = await assessTask(kit, record, async () => (await deliveryCos(kit, record)).source, "watchdog");
  if (readiness.kind === "no-media") {
    await finishRecording(kit, record, { kind: "failed", message: "record failed", detail: readiness.detail, reason: "task-exited" }, log);
    report.failed.push(record.recordingId);
    return;
  }
  await kit.records.save(record);
  if (readiness.kind === "ready") {
    await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: record.recordingId, reason: "watchdog" });
    report.deliveriesStarted.push(record.recordingId);
    log.info("task ended: delivery started by the watchdog", { taskState: record.task?.state });
  }
}

async function checkDelivering(kit: Kit, record: StatusRecord, report: WatchdogReport, log: Logger): Promise<void> {
  if (await kit.leases.isHeld(record.recordingId)) return;
  const delivery = (record.delivery ??= { invocations: 0, startedAt: kit.nowIso() });
  delivery.rekicks = (delivery.rekicks ?? 0) + 1;
  if (delivery.rekicks > kit.deps.config.maxDeliveryRekicks) {
    const detail = `delivery stopped making progress ${delivery.rekicks - 1} times${delivery.lastError ? `: ${delivery.lastError}` : ""}; staging sources are kept`;
    await finishRecording(kit, record, { kind: "failed", message: "transcode failed", detail }, log);
    report.failed.push(record.recordingId);
    return;
  }
  await kit.records.save(record);
  await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: record.recordingId, reason: "watchdog" });
  report.rekicked.push(record.recordingId);
  log.warn("delivery had no live invocation: restarted", { rekicks: delivery.rekicks });
}

async function checkStarting(kit: Kit, record: StatusRecord, report: WatchdogReport, log: Logger): Promise<void> {
  const age = kit.deps.clock.now() - Date.parse(record.createdAt);
  if (age < kit.deps.config.startStaleMs) return;
  const detail = `the start invocation did not finish within ${kit.deps.config.startStaleMs} ms`;
  await finishRecording(kit, record, { kind: "failed", message: "record failed", detail, reason: "start-incomplete" }, log);
  report.failed.push(record.recordingId);
}

export async function runWatchdog(kit: Kit, ctx: InvocationContext): Promise<WatchdogReport> {
  const report: WatchdogReport = { checked: 0, deliveriesStarted: [], rekicked: [], failed: [], errors: 0, deferred: 0 };
  const keys = await kit.deps.state.list(stateKeys.activePrefix);
  for (const [i, key] of keys.entries()) {
    if (ctx.remainingMs() < MIN_REMAINING_MS) {
      report.deferred = keys.length - i;
      break;
    }
    const id = key.slice(stateKeys.activePrefix.length);
    const log = kit.deps.log.child({ recordingId: id });
    try {
      const record = await kit.records.load(id);
      report.checked += 1;
      if (!record || isFinal(record.status) || record.sameAs !== undefined) {
        await kit.deps.state.delete(key);
        continue;
      }
      if (record.status === "RUNNING") await checkRunning(kit, record, report, log);
      else if (record.status === "DELIVERING") await checkDelivering(kit, record, report, log);
      else await checkStarting(kit, record, report, log);
    } catch (err) {
      report.errors += 1;
      log.error("watchdog check failed", { error: err });
    }
  }
  kit.deps.log.info("watchdog done", { ...report });
  return report;
}
