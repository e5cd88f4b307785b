// One delivery invocation: check the task really ended, take the delivery lease, run the delivery stage
// (function/delivery/) within this invocation's time, then finish — or save its checkpoint and hand the lease to
// a fresh invocation, so no invocation comes near the 900 s timeout however long the class was.
import type COS from "cos-nodejs-sdk-v5";
import { cosObjectUrl } from "../contract/result";
import { realClock } from "../delivery/clock";
import type { DeliveryCheckpoint, DeliveryOutcome } from "../delivery/types";
import type { Logger } from "../log/logger";
import { isFinal, moveTo, type RecordingStatus, type StatusRecord } from "../state/status-record";
import { assessTask, completeByEvents, listSources, type DeliveryHint } from "./assess";
import { deliveryCos, type DeliveryCos } from "./cos-clients";
import type { InvocationContext } from "./deps";
import { fileUploads, type FileUploads } from "./file-uploads";
import { finishRecording, owesCallback, settleOwedCallback } from "./finish";
import type { Kit } from "./kit";
import { nudgeWatchdog } from "./watchdog-tuning";
import { chooseWorkDir } from "./work-dir";

export interface DeliverReport {
  recordingId: string;
  outcome: "not-found" | "nothing-to-do" | "callback-posted" | "not-ended" | "waiting" | "unknown" | "busy" | "delivered" | "failed" | "continued" | "error";
  status?: RecordingStatus;
  detail?: string;
}

/** If the continuation never starts, the watchdog may take the lease over after this long. */
const HANDOFF_TTL_MS = 15 * 60_000;
const LEASE_SLACK_MS = 60_000;

export function safetyMargin(remainingMs: number, configured: number | undefined): number {
  if (configured !== undefined) return configured;
  return Math.min(120_000, Math.max(15_000, Math.round(remainingMs * 0.2)));
}

function hintOf(reason: string | undefined): DeliveryHint {
  switch (reason) {
    case "upload-finished":
    case "recording-stopped":
    case "explicit-stop":
    case "watchdog":
    case "continue":
      return reason;
    default:
      return undefined;
  }
}

async function runDelivery(kit: Kit, record: StatusRecord, cos: DeliveryCos, ctx: InvocationContext, log: Logger): Promise<{ outcome: DeliveryOutcome; workDir: string }> {
  const { config, clock } = kit.deps;
  const delivery = record.delivery;
  if (!delivery?.sources || !record.target || !record.spec) throw new Error("record is not ready for delivery (no sources/target)");
  const work = await chooseWorkDir(config.workRoots, config.minFreeBytes, record.recordingId);
  const remaining = ctx.remainingMs();
  const deadlineMs = clock.now() + remaining - safetyMargin(remaining, config.safetyMarginMs);
  log.info("delivery running", { sources: delivery.sources.length, workDir: work.dir, freeBytes: work.freeBytes, deadlineMs, resumed: delivery.checkpoint !== undefined });
  const outcome = await kit.deps.deliver(
    {
      recordingId: record.recordingId,
      mode: record.spec.mode,
      sources: delivery.sources,
      target: record.target,
      checkpoint: delivery.checkpoint,
      deleteSourcesAfter: true,
    },
    {
      sourceCos: cos.source,
      targetCos: cos.target,
      ffmpegPath: config.ffmpegPath,
      workDir: work.dir,
      log,
      deadlineMs,
      clock: realClock(() => clock.now()),
      async saveCheckpoint(cp: DeliveryCheckpoint) {
        delivery.checkpoint = cp;
        await kit.records.save(record);
      },
    },
  );
  return { outcome, workDir: work.dir };
}

export async function deliverStep(kit: Kit, msg: { recordingId: string; lease?: string; reason?: string }, ctx: InvocationContext): Promise<DeliverReport> {
  const id = msg.recordingId;
  const log = kit.deps.log.child({ recordingId: id });
  const first = await kit.records.load(id);
  if (!first) return { recordingId: id, outcome: "not-found" };
  if (nothingToDo(first) && !owesCallback(first)) return { recordingId: id, outcome: "nothing-to-do", status: first.status };
  // Everything below reads and writes the record under the lease: 302, 305, 310 and the watchdog may all ask at
  // once, and a chain that finished meanwhile must be seen (re-read below) instead of being delivered twice.
  // Keyed by the invocation's request id when no lease was handed over: SCF's retry of an invocation that died
  // holding the lease (killed, timed out) re-enters instead of waiting for it to expire.
  const lease = await kit.leases.acquire(id, ctx.remainingMs() + LEASE_SLACK_MS, msg.lease ?? `invocation:${ctx.requestId}`);
  if (lease === undefined) return { recordingId: id, outcome: "busy", status: first.status };
  const record = await kit.records.load(id);
  if (record && owesCallback(record)) {
    // The invocation that finished it died before the callback (SCF's retry of it, or the watchdog, brings us here).
    try {
      await settleOwedCallback(kit, record, log);
    } finally {
      await kit.leases.release(id, lease);
    }
    return { recordingId: id, outcome: "callback-posted", status: record.status };
  }
  if (!record || nothingToDo(record)) {
    await kit.leases.release(id, lease);
    return { recordingId: id, outcome: "nothing-to-do", status: record?.status };
  }
  let cos: DeliveryCos | undefined;
  const getCos = async () => (cos ??= await deliveryCos(kit, record));
  const sourceCos = async (): Promise<COS> => (await getCos()).source;

  // Callbacks can come out of order: if the 310 is already logged and the events prove the output complete, this
  // stop event is the last piece and delivery goes ahead (assessTask is handed the log it proved it from, and makes
  // no Describe then).
  const stopEvent = record.status === "RUNNING" && msg.reason === "recording-stopped";
  let proven = false;
  let logged: FileUploads | undefined;
  if (stopEvent && record.engine) {
    try {
      logged = await fileUploads(kit.deps.state, record.engine.taskId);
      proven = completeByEvents(record, logged);
    } catch (err) {
      await kit.leases.release(id, lease);
      throw err;
    }
  }
  if (stopEvent && !proven) {
    // Asked by 302/305: TRTC uploads the MP4/AAC after 305 and reports it with 310, so a Describe now can only say
    // "Exited" (readiness "waiting"). Not asking keeps TRTC's 20/s Describe budget for looks that can end a
    // recording — at 10,000 recordings these were most of the RequestLimitExceeded (bench/scale). The event itself
    // says the task exited (the exit grace starts now); 310 or the watchdog's nudge takes it from here.
    const at = kit.nowIso();
    record.task = { state: "exited", observedAt: at, exitedAt: record.task?.exitedAt ?? at };
    await kit.records.save(record);
    await kit.leases.release(id, lease);
    const detail = "TRTC is still uploading (302/305); 310 or the watchdog follows";
    log.info("not delivering yet", { readiness: "waiting", detail });
    return { recordingId: id, outcome: "waiting", status: record.status, detail };
  }
  if (record.status === "RUNNING") {
    let readiness: Awaited<ReturnType<typeof assessTask>>;
    try {
      readiness = await assessTask(kit, record, sourceCos, hintOf(msg.reason), logged);
    } catch (err) {
      await kit.leases.release(id, lease);
      throw err;
    }
    if (readiness.kind === "no-media" || readiness.kind === "failed") {
      const done = await finishRecording(kit, record, { kind: "failed", message: "record failed", detail: readiness.detail, reason: "task-exited" }, log);
      await kit.leases.release(id, lease);
      return { recordingId: id, outcome: "failed", status: done.status, detail: readiness.detail };
    }
    if (readiness.kind !== "ready") {
      await kit.records.save(record);
      await kit.leases.release(id, lease);
      const detail = readiness.kind === "waiting" || readiness.kind === "unknown" ? (readiness.kind === "waiting" ? readiness.why : readiness.detail) : undefined;
      log.info("not delivering yet", { readiness: readiness.kind, detail });
      return { recordingId: id, outcome: readiness.kind, status: record.status, detail };
    }
    record.stop ??= { reason: "task-exited", at: kit.nowIso() };
    record.delivery = { invocations: 0, startedAt: kit.nowIso(), sources: readiness.sources };
    moveTo(record, "DELIVERING", kit.nowIso());
  }
  return deliverWithLease(kit, record, lease, getCos, ctx, log);
}

function nothingToDo(record: StatusRecord): boolean {
  return isFinal(record.status) || record.sameAs !== undefined || record.status === "STARTING";
}

async function deliverWithLease(
  kit: Kit,
  record: StatusRecord,
  lease: string,
  getCos: () => Promise<DeliveryCos>,
  ctx: InvocationContext,
  log: Logger,
): Promise<DeliverReport> {
  const id = record.recordingId;
  record.delivery ??= { invocations: 0, startedAt: kit.nowIso() };
  record.delivery.invocations += 1;
  await kit.records.save(record);
  // If this invocation dies holding the lease, the watchdog looks again once the lease can have run out.
  await nudgeWatchdog(kit, id, ctx.remainingMs() + LEASE_SLACK_MS);
  let outcome: DeliveryOutcome;
  let workDir: string | undefined;
  let cos: DeliveryCos;
  try {
    cos = await getCos();
    if (!record.delivery.sources) record.delivery.sources = await listSources(cos.source, record);
    ({ outcome, workDir } = await runDelivery(kit, record, cos, ctx, log));
  } catch (err) {
    // Unexpected (a bug, KMS/COS outage): keep everything and let the watchdog re-kick after the lease expires.
    const detail = err instanceof Error ? err.message : String(err);
    record.delivery.lastError = detail;
    await kit.records.save(record);
    await kit.leases.release(id, lease);
    await nudgeWatchdog(kit, id, 0);
    log.error("delivery invocation failed; the watchdog will retry", { error: err });
    return { recordingId: id, outcome: "error", status: record.status, detail };
  }
  const delivery = record.delivery;
  switch (outcome.kind) {
    case "delivered": {
      const url = outcome.url || (record.target ? cosObjectUrl(record.target) : "");
      Object.assign(delivery, { etag: outcome.etag, size: outcome.size, url, copied: outcome.copied });
      delete delivery.checkpoint;
      try {
        delivery.sourcesDeleted = (await listSources(cos.source, record)).length === 0;
      } catch (err) {
        log.warn("could not check staging after delivery", { error: err });
      }
      const done = await finishRecording(kit, record, { kind: "delivered", etag: outcome.etag, size: outcome.size, url, copied: outcome.copied }, log, workDir);
      await kit.leases.release(id, lease);
      return { recordingId: id, outcome: "delivered", status: done.status };
    }
    case "failed": {
      const done = await finishRecording(kit, record, { kind: "failed", message: outcome.message, detail: outcome.detail }, log, workDir);
      await kit.leases.release(id, lease);
      return { recordingId: id, outcome: "failed", status: done.status, detail: outcome.detail };
    }
    case "continue": {
      delivery.checkpoint = outcome.checkpoint;
      await kit.records.save(record);
      await kit.leases.extend(id, lease, HANDOFF_TTL_MS);
      await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: id, lease, reason: "continue" });
      log.info("delivery continues in a fresh invocation", { invocations: delivery.invocations });
      return { recordingId: id, outcome: "continued", status: record.status };
    }
  }
}
