// The end of every recording, delivered or not: the seed's result is built, stored next to the recording and in
// the status record, the record goes final, the Callback is posted (signed, retried), and what the recording held
// (claim, lease, active marker, sealed keys, work dir) is released. Storing before posting means a dead callback
// loses nothing.
import { promises as fs } from "node:fs";
import { securityOf } from "../auth/policy";
import { checkCallbackTarget } from "../callback/callback-target";
import { postResult } from "../callback/post-result";
import { deliveredResult, failedResult, resultKey, type RecordingResult } from "../contract/result";
import type { Logger } from "../log/logger";
import { rosterReport } from "../roster/on-room-event";
import { loadRosterState } from "../roster/reconcile";
import { eventTimeOfKey, stateKeys } from "../state/keys";
import { isFinal, moveTo, type StatusRecord, type StopReason } from "../state/status-record";
import { deliveryCos } from "./cos-clients";
import { claimIdentity, type Kit } from "./kit";

export type Ending =
  | { kind: "delivered"; etag: string; size: number; url: string; copied: boolean }
  | { kind: "failed"; message: string; detail: string; reason?: StopReason; retryAfterSeconds?: number };

async function countRoomEvents(kit: Kit, record: StatusRecord): Promise<number> {
  if (!record.spec) return 0;
  const from = Date.parse(record.createdAt);
  const keys = await kit.deps.state.list(stateKeys.roomEventsPrefix(record.spec.sdkAppId, record.spec.room));
  return keys.filter((k) => (eventTimeOfKey(k) ?? 0) >= from).length;
}

async function storeResultObject(kit: Kit, record: StatusRecord, result: RecordingResult, log: Logger): Promise<void> {
  if (!record.target) return;
  const key = resultKey(record.target.key);
  try {
    const { target } = await deliveryCos(kit, record);
    await target.putObject({
      Bucket: record.target.bucket,
      Region: record.target.region,
      Key: key,
      Body: Buffer.from(JSON.stringify(result, null, 1)),
      ContentType: "application/json",
    });
    record.resultObject = { bucket: record.target.bucket, region: record.target.region, key };
  } catch (err) {
    // The status record still has the result; a refused write must not stop the callback.
    log.warn("result not stored next to the recording", { key, error: err });
  }
}

/** Posts `result` to the record's Callback (if any) and notes the outcome in the record (not saved here). */
export async function postCallback(kit: Kit, record: StatusRecord, callbackUrl: string | undefined, result: RecordingResult, log: Logger): Promise<void> {
  if (callbackUrl === undefined) return;
  // Checked again at send time: the policy may have changed since the start (the fetch re-checks the address too).
  const target = checkCallbackTarget(callbackUrl, securityOf(kit.deps.config).callbackHosts);
  if (!target.ok) {
    log.warn("callback not sent: the URL is not allowed", { reason: target.reason });
    record.callback = { url: callbackUrl, delivered: false, attempts: 0, signed: false, lastError: `not sent: ${target.reason}`, at: kit.nowIso() };
    return;
  }
  const signingKey = await kit.deps.secrets.get("callback-signing-key");
  if (signingKey === undefined) log.warn("callback-signing-key is not provisioned: the callback goes out unsigned");
  const report = await postResult(
    { url: callbackUrl, body: JSON.stringify(result), recordingId: record.recordingId, signingKey },
    { fetch: kit.deps.callback.fetch, sleep: (ms) => kit.deps.clock.sleep(ms), log, policy: kit.deps.callback.policy },
  );
  record.callback = { url: callbackUrl, ...report, at: kit.nowIso() };
}

/**
 * Releases everything a recording held; each step is best effort and idempotent. The delivery lease is not here:
 * only its holder may release it (by token), which deliver-step does after finishing.
 */
export async function releaseRecording(kit: Kit, record: StatusRecord, log: Logger, workDir?: string): Promise<void> {
  const steps: Array<[string, () => Promise<void>]> = [
    ["active marker", () => kit.deps.state.delete(stateKeys.active(record.recordingId))],
    ["sealed keys", () => kit.deps.state.delete(stateKeys.sealedCosKeys(record.recordingId))],
  ];
  if (record.spec) {
    const spec = record.spec;
    steps.push(["claim", () => kit.claims.release(claimIdentity(spec), record.recordingId)]);
    steps.push(["room marker", () => kit.deps.state.delete(stateKeys.roomRecording(spec.sdkAppId, spec.room, record.recordingId))]);
  }
  if (workDir) steps.push(["work dir", () => fs.rm(workDir, { recursive: true, force: true })]);
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      log.warn(`could not release ${what}`, { error: err });
    }
  }
}

/**
 * A final record whose result never reached its Callback: the invocation that finished it died between saving the
 * final status and posting (finishRecording saves first, so nothing is lost but the post).
 */
export function owesCallback(record: StatusRecord): boolean {
  return isFinal(record.status) && record.result !== undefined && record.spec?.callback !== undefined && record.callback === undefined;
}

/**
 * Posts the callback an earlier invocation owed and releases what the recording held (both steps idempotent). At
 * least once: an invocation that died after its post but before saving `record.callback` makes the receiver see the
 * result twice (same body, same recording id), never not at all.
 */
export async function settleOwedCallback(kit: Kit, record: StatusRecord, log: Logger): Promise<void> {
  if (!owesCallback(record)) return;
  log.warn("posting the callback an earlier invocation did not get to", { status: record.status });
  await postCallback(kit, record, record.spec!.callback, record.result!, log);
  if (record.callback) await kit.records.save(record);
  await releaseRecording(kit, record, log);
}

export async function finishRecording(kit: Kit, record: StatusRecord, ending: Ending, log: Logger, workDir?: string): Promise<StatusRecord> {
  if (isFinal(record.status)) return record;
  const spec = record.spec;
  let result: RecordingResult | undefined;
  if (spec) result = ending.kind === "delivered" ? deliveredResult(spec, ending.url) : failedResult(spec, ending.message);
  if (ending.kind === "failed") {
    record.failure = { message: ending.message, detail: ending.detail };
    // Only a failure that started nothing says when to try again (start-throttle.ts).
    if (ending.retryAfterSeconds !== undefined) Object.assign(record.failure, { retryable: true, retryAfterSeconds: ending.retryAfterSeconds });
    if (ending.reason && !record.stop) record.stop = { reason: ending.reason, at: kit.nowIso() };
  }
  if (result) {
    record.result = result;
    await storeResultObject(kit, record, result, log);
  }
  try {
    record.roster = rosterReport(await countRoomEvents(kit, record), await loadRosterState(kit.deps.state, record.recordingId));
  } catch (err) {
    log.warn("could not count room events", { error: err });
  }
  const to = ending.kind === "delivered" ? "FINISHED" : "FAILED";
  moveTo(record, to, kit.nowIso(), ending.kind === "failed" ? ending.message : undefined);
  await kit.records.save(record);
  log.info(`recording ${to.toLowerCase()}`, { status: to, url: ending.kind === "delivered" ? ending.url : undefined, failure: record.failure });
  if (result && spec) {
    await postCallback(kit, record, spec.callback, result, log);
    if (record.callback) await kit.records.save(record);
  }
  await releaseRecording(kit, record, log, workDir);
  return record;
}

