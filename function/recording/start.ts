// Start: validate (errors go to the status record and the callback) → idempotency claim per (SdkAppId, room,
// UserId) → CreateCloudRecording as the caller's UserId/UserSig → status RUNNING. Done in seconds; nothing of
// this invocation stays alive while the room is live.
import { echoRequest, parseRecordRequest, type RecordRequest } from "../contract/request";
import { invalidRequestResult, targetKey } from "../contract/result";
import type { FieldError } from "../contract/errors";
import type { StartInput } from "../engine/port";
import type { Logger } from "../log/logger";
import { reconcileRecording } from "../roster/room-recordings";
import { stateKeys } from "../state/keys";
import { moveTo, newRecord, type RecordingSpec, type RecordingStatus, type StatusRecord } from "../state/status-record";
import { finishRecording, postCallback } from "./finish";
import { claimIdentity, type Kit } from "./kit";
import { decideStaging, sealCallerKeys } from "./staging";

export interface StartReport {
  recordingId: string;
  status: RecordingStatus;
  /** For a duplicate: the recording already running for the same (SdkAppId, room, UserId). */
  sameAs?: string;
  taskId?: string;
  errors?: FieldError[];
}

// CreateCloudRecording is retried in-line for network/5xx/rate-limit failures only; anything else is an answer.
const START_ATTEMPTS = 3;
const START_BACKOFF_MS = 1000;

/** Registers every secret-looking value of a raw request with the masker, valid or not. */
export function registerRequestSecrets(log: Logger, raw: unknown): void {
  if (typeof raw !== "object" || raw === null) return;
  const body = raw as Record<string, unknown>;
  if (typeof body.UserSig === "string") log.masker.register(body.UserSig);
  const cos = body.CosConfig;
  if (typeof cos === "object" && cos !== null) {
    const c = cos as Record<string, unknown>;
    if (typeof c.SecretKey === "string") log.masker.register(c.SecretKey);
    if (typeof c.SecretId === "string") log.masker.register(c.SecretId, "id");
  }
}

export function specOf(request: RecordRequest): RecordingSpec {
  const spec: RecordingSpec = {
    sdkAppId: request.sdkAppId,
    room: request.room,
    userId: request.userId,
    mode: request.mode,
    isReserve: request.isReserve,
    cos: { region: request.cos.region, bucket: request.cos.bucket, path: request.cos.path, keys: request.cos.secretId ? "caller" : "role" },
  };
  if (request.callback !== undefined) spec.callback = request.callback;
  return spec;
}

async function refuseInvalid(kit: Kit, recordingId: string, raw: unknown, errors: FieldError[], log: Logger): Promise<StartReport> {
  const record = (await kit.records.load(recordingId)) ?? newRecord(recordingId, kit.nowIso());
  record.errors = errors;
  record.stop = { reason: "invalid-request", at: kit.nowIso() };
  record.failure = { message: "invalid request", detail: errors.map((e) => `${e.field}: expected ${e.expected}, got ${e.got}`).join("; ") };
  const echo = echoRequest(raw);
  record.result = invalidRequestResult(echo, errors);
  moveTo(record, "FAILED", kit.nowIso(), "invalid request");
  await kit.records.save(record);
  log.warn("request refused", { errors });
  await postCallback(kit, record, echo.callback, record.result, log);
  if (record.callback) await kit.records.save(record);
  await kit.deps.state.delete(stateKeys.active(recordingId));
  return { recordingId, status: "FAILED", errors };
}

async function isLive(kit: Kit, holder: string): Promise<boolean> {
  const r = await kit.records.load(holder);
  return r !== undefined && r.sameAs === undefined && (r.status === "STARTING" || r.status === "RUNNING");
}

async function createTask(kit: Kit, input: StartInput, log: Logger) {
  for (let attempt = 1; ; attempt++) {
    const out = await kit.deps.engine.start(input);
    if (out.ok || !out.retryable || attempt >= START_ATTEMPTS) return out;
    log.warn("CreateCloudRecording failed, retrying", { attempt, code: out.code, message: out.message });
    await kit.deps.clock.sleep(START_BACKOFF_MS * 2 ** (attempt - 1));
  }
}

/**
 * Starts recording `recordingId` from a raw (unvalidated) request body. Safe to re-run for the same id.
 * `bodyErrors` carries errors found before parsing (a body that is not JSON).
 */
export async function startRecording(kit: Kit, recordingId: string, raw: unknown, bodyErrors?: FieldError[]): Promise<StartReport> {
  const log = kit.deps.log.child({ recordingId });
  registerRequestSecrets(log, raw);
  const existing = await kit.records.load(recordingId);
  if (existing && existing.status !== "STARTING") {
    // SCF re-ran the same invocation: report, never start twice.
    return { recordingId, status: existing.status, sameAs: existing.sameAs, taskId: existing.engine?.taskId };
  }
  const parsed = bodyErrors && bodyErrors.length > 0 ? { ok: false as const, errors: bodyErrors } : parseRecordRequest(raw);
  if (!parsed.ok) return refuseInvalid(kit, recordingId, raw, parsed.errors, log);
  const request = parsed.request;
  const spec = specOf(request);

  const record: StatusRecord = existing ?? newRecord(recordingId, kit.nowIso());
  record.spec = spec;
  await kit.records.save(record);
  await kit.deps.state.put(stateKeys.active(recordingId), recordingId);

  const claim = await kit.claims.claim(claimIdentity(spec), recordingId, (holder) => isLive(kit, holder));
  if (!claim.won) {
    record.sameAs = claim.holder;
    record.history.push({ at: kit.nowIso(), status: record.status, note: `duplicate of ${claim.holder}` });
    await kit.records.save(record);
    await kit.deps.state.delete(stateKeys.active(recordingId));
    log.info("duplicate start: already recording", { sameAs: claim.holder });
    return { recordingId, status: "STARTING", sameAs: claim.holder };
  }

  const staging = await decideStaging(request, recordingId, { secrets: kit.deps.secrets, staging: kit.deps.config.staging });
  if (!staging.ok) {
    const done = await finishRecording(kit, record, { kind: "failed", message: "record failed", detail: staging.detail, reason: "start-failed" }, log);
    return { recordingId, status: done.status };
  }
  if (request.cos.secretId !== undefined && request.cos.secretKey !== undefined) {
    await sealCallerKeys(kit.deps.state, kit.deps.kms, kit.deps.config.kmsKeyId, recordingId, request.cos.secretId, request.cos.secretKey);
  }
  const { storage } = staging.plan;
  const started = await createTask(kit, { sdkAppId: request.sdkAppId, room: request.room, userId: request.userId, userSig: request.userSig, mode: request.mode, storage }, log);
  if (!started.ok) {
    const detail = `CreateCloudRecording: ${started.code}: ${started.message}`;
    const done = await finishRecording(kit, record, { kind: "failed", message: "record failed", detail, reason: "start-failed" }, log);
    return { recordingId, status: done.status };
  }

  const startMs = kit.deps.clock.now();
  await kit.deps.state.put(stateKeys.task(started.taskId), JSON.stringify({ recordingId, taskId: started.taskId }));
  record.engine = { name: kit.deps.engine.name, taskId: started.taskId, startedAt: new Date(startMs).toISOString() };
  record.staging = {
    owner: staging.plan.owner,
    bucket: storage.bucket,
    region: storage.region,
    prefix: kit.deps.engine.outputPrefix(storage, started.taskId),
  };
  record.target = { bucket: request.cos.bucket, region: request.cos.region, key: targetKey(request, startMs) };
  moveTo(record, "RUNNING", kit.nowIso());
  await kit.records.save(record);
  await kit.deps.state.put(stateKeys.roomRecording(spec.sdkAppId, spec.room, recordingId), recordingId);
  log.info("recording started", { taskId: started.taskId, mode: request.mode, staging: record.staging, target: record.target });
  // Anchors already in the room: TRTC starts with its own grid of all of them until the roster names the tiles.
  await reconcileRecording({ state: kit.deps.state, engine: kit.deps.engine, log, now: () => kit.deps.clock.now(), load: (id) => kit.records.load(id) }, record, "recording started");
  return { recordingId, status: "RUNNING", taskId: started.taskId };
}
