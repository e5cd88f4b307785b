// Start: validate (errors go to the status record and the callback) → idempotency claim per (SdkAppId, room,
// UserId) → CreateCloudRecording as the caller's UserId/UserSig → status RUNNING. Done in seconds; nothing of
// this invocation stays alive while the room is live.
import { authenticateCaller, type AuthOutcome, type CallerIdentity } from "../auth/authenticate";
import { securityOf } from "../auth/policy";
import { checkStorageReach } from "../auth/storage-reach";
import { echoRequest, parseRecordRequest, type ParseResult, type RecordRequest } from "../contract/request";
import { collectRequestSecrets } from "../contract/request-secrets";
import { invalidRequestResult, targetKey } from "../contract/result";
import type { FieldError } from "../contract/errors";
import type { StagingStorage } from "../engine/port";
import type { Logger } from "../log/logger";
import { initialMix, seedRosterState, type InitialMix } from "../roster/initial-plan";
import { reconcileRecording, robotIds, runningRecordingsOfRoom } from "../roster/room-recordings";
import type { ClaimIdentity, ClaimOutcome } from "../state/claims";
import { ExclusiveCreateUnavailable } from "../state/cos-store";
import { stateKeys } from "../state/keys";
import { moveTo, newRecord, type RecordingSpec, type RecordingStatus, type StatusRecord } from "../state/status-record";
import { finishRecording, postCallback } from "./finish";
import { claimIdentity, type Kit } from "./kit";
import { holdsRecorder } from "./liveness";
import { preflightStorage, stagingProbe } from "./preflight";
import { decideStaging, sealCallerKeys } from "./staging";
import { createWithRetries, noteCreateThrottled } from "./start-throttle";
import { scheduleFirstLook } from "./watchdog-tuning";

export interface StartReport {
  recordingId: string;
  status: RecordingStatus;
  /** For a duplicate: the recording already running for the same (SdkAppId, room, UserId). */
  sameAs?: string;
  taskId?: string;
  errors?: FieldError[];
}

/** Registers every secret-looking value of a raw request with the masker, valid or not, in whatever shape it came. */
export function registerRequestSecrets(log: Logger, raw: unknown): void {
  const found = collectRequestSecrets(raw);
  for (const s of found.secrets) log.masker.register(s);
  for (const id of found.ids) log.masker.register(id, "id");
}

/**
 * Parses, then applies the deployment's policy: callback hosts, storage reach. Pure checks, nothing written; shared by
 * the start and the function-URL accept so both refuse the same requests with the same words.
 */
export function parseForStart(kit: Kit, raw: unknown): ParseResult {
  const security = securityOf(kit.deps.config);
  const parsed = parseRecordRequest(raw, { callbackHosts: security.callbackHosts });
  if (!parsed.ok) return parsed;
  const reach = checkStorageReach(parsed.request.cos, security);
  return reach ? { ok: false, errors: [reach] } : parsed;
}

/** UserSig (and client) → the caller's identity, before anything is written. */
export function authenticate(kit: Kit, request: RecordRequest, client: string | undefined): Promise<AuthOutcome> {
  return authenticateCaller(request, client, { secrets: kit.deps.secrets, policy: securityOf(kit.deps.config), nowMs: kit.deps.clock.now() });
}

export function ownerRecordOf(identity: CallerIdentity): NonNullable<StatusRecord["owner"]> {
  return identity.client === undefined ? { id: identity.owner, proof: identity.proof } : { id: identity.owner, proof: identity.proof, client: identity.client };
}

/** Why a repeat that found a live holder does not join it; undefined when it may (same owner, verified). */
export function joinRefusal(kit: Kit, holder: StatusRecord | undefined, identity: CallerIdentity): string | undefined {
  if (securityOf(kit.deps.config).userSig === "off") {
    return "a recording is already running for this SdkAppId, room and UserId; with UserSig verification off this deployment cannot tell whether you started it, so a repeat is not joined to it";
  }
  if (holder?.owner?.id !== identity.owner) {
    return "a recording started by another caller is already running for this SdkAppId, room and UserId";
  }
  return undefined;
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

/**
 * FAILED at once, nothing started. `authenticated: false` (the UserSig did not verify, or could not be) posts no
 * callback: the recorder would otherwise send signed results to any URL for anyone.
 */
async function refuseInvalid(kit: Kit, recordingId: string, raw: unknown, errors: FieldError[], log: Logger, authenticated = true): Promise<StartReport> {
  const record = (await kit.records.load(recordingId)) ?? newRecord(recordingId, kit.nowIso());
  record.errors = errors;
  record.stop = { reason: "invalid-request", at: kit.nowIso() };
  const detail = errors.map((e) => `${e.field}: expected ${e.expected}, got ${e.got}`).join("; ");
  record.failure = { message: authenticated ? "invalid request" : "unauthenticated", detail: log.masker.scrubText(detail) };
  const echo = echoRequest(raw, { callbackHosts: securityOf(kit.deps.config).callbackHosts });
  record.result = invalidRequestResult(echo, errors);
  moveTo(record, "FAILED", kit.nowIso(), authenticated ? "invalid request" : "unauthenticated");
  await kit.records.save(record);
  log.warn("request refused", { errors });
  if (authenticated) await postCallback(kit, record, echo.callback, record.result, log);
  if (record.callback) await kit.records.save(record);
  await kit.deps.state.delete(stateKeys.active(recordingId));
  return { recordingId, status: "FAILED", errors };
}

async function claimOrRefuse(kit: Kit, who: ClaimIdentity, recordingId: string): Promise<ClaimOutcome & { kind: "claim" } | { kind: "unavailable"; detail: string }> {
  try {
    return { kind: "claim", ...(await kit.claims.claim(who, recordingId, (holder) => isLive(kit, holder))) };
  } catch (err) {
    if (err instanceof ExclusiveCreateUnavailable) return { kind: "unavailable", detail: `state store: ${err.message}` };
    throw err;
  }
}

/** Staging (TRTC's keys) and, when delivery writes elsewhere or with other keys, the target: see preflight.ts. */
async function preflightStart(kit: Kit, request: RecordRequest, storage: StagingStorage) {
  const forKeys = (id: string, key: string) => kit.deps.cosFactory.forKeys(id, key);
  const callerKeys = request.cos.secretId !== undefined && request.cos.secretKey !== undefined;
  const targets = [stagingProbe(storage, forKeys, callerKeys ? undefined : kit.deps.cosFactory.forRole())];
  if (!callerKeys || storage.bucket !== request.cos.bucket) {
    const cos = callerKeys ? forKeys(request.cos.secretId as string, request.cos.secretKey as string) : kit.deps.cosFactory.forRole();
    targets.push({ role: "target", cos, bucket: request.cos.bucket, region: request.cos.region, folder: request.cos.path, access: "read" });
  }
  return preflightStorage(targets);
}

async function startingMix(kit: Kit, spec: RecordingSpec, log: Logger): Promise<InitialMix> {
  try {
    const running = await runningRecordingsOfRoom(kit.deps.state, (id) => kit.records.load(id), spec.sdkAppId, spec.room);
    return await initialMix({ state: kit.deps.state, canvas: kit.deps.engine.mixCanvas, nowMs: kit.deps.clock.now() }, spec, robotIds(running));
  } catch (err) {
    log.warn("could not read the room's roster before the start: TRTC's own layout first", { error: err });
    return { kind: "engine-default" };
  }
}

async function isLive(kit: Kit, holder: string): Promise<boolean> {
  return holdsRecorder(await kit.records.load(holder));
}

/**
 * Starts recording `recordingId` from a raw (unvalidated) request body. Safe to re-run for the same id.
 * `bodyErrors` carries errors found before parsing (a body that is not JSON).
 */
export async function startRecording(kit: Kit, recordingId: string, raw: unknown, bodyErrors?: FieldError[], client?: string): Promise<StartReport> {
  const log = kit.deps.log.child({ recordingId });
  registerRequestSecrets(log, raw);
  const existing = await kit.records.load(recordingId);
  if (existing && existing.status !== "STARTING") {
    // SCF re-ran the same invocation: report, never start twice.
    return { recordingId, status: existing.status, sameAs: existing.sameAs, taskId: existing.engine?.taskId };
  }
  const parsed = bodyErrors && bodyErrors.length > 0 ? { ok: false as const, errors: bodyErrors } : parseForStart(kit, raw);
  if (!parsed.ok) return refuseInvalid(kit, recordingId, raw, parsed.errors, log);
  const request = parsed.request;
  const spec = specOf(request);
  // Authenticated before anything is written: a forged or expired UserSig claims nothing and calls no TRTC API.
  const auth = await authenticate(kit, request, client);
  if (!auth.ok) {
    log.warn("start refused: caller not authenticated", { kind: auth.kind, reason: auth.error.got });
    return refuseInvalid(kit, recordingId, raw, [auth.error], log, false);
  }

  const record: StatusRecord = existing ?? newRecord(recordingId, kit.nowIso());
  record.spec = spec;
  record.owner = ownerRecordOf(auth.identity);
  await kit.records.save(record);
  await kit.deps.state.put(stateKeys.active(recordingId), recordingId);
  await scheduleFirstLook(kit, record);

  const claim = await claimOrRefuse(kit, claimIdentity(spec), recordingId);
  if (claim.kind === "unavailable") {
    // No exclusive claim is possible (a versioned lock bucket): fail now rather than risk two tasks for one room.
    const done = await finishRecording(kit, record, { kind: "failed", message: "record failed", detail: claim.detail, reason: "start-failed" }, log);
    return { recordingId, status: done.status };
  }
  const refusal = claim.won ? undefined : joinRefusal(kit, await kit.records.load(claim.holder), auth.identity);
  if (refusal !== undefined) {
    // Never an alias of someone else's recording: that alias would read and stop it.
    const done = await finishRecording(kit, record, { kind: "failed", message: "record failed", detail: refusal, reason: "start-failed" }, log);
    return { recordingId, status: done.status };
  }
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
  const preflight = await preflightStart(kit, request, storage);
  if (!preflight.ok) {
    const done = await finishRecording(kit, record, { kind: "failed", message: "record failed", detail: log.masker.scrubText(preflight.detail), reason: "start-failed" }, log);
    return { recordingId, status: done.status };
  }
  // The roster from frame 0: CreateCloudRecording carries the mix the rules imply now (roster/initial-plan.ts).
  const mix = await startingMix(kit, spec, log);
  const initial = mix.kind === "plan" ? mix.plan : mix.kind === "nobody" ? ("nobody" as const) : undefined;
  // Retries CreateCloudRecording refused by TRTC's 20/s limit (a burst of starts) within a budget: start-throttle.ts.
  const input = { sdkAppId: request.sdkAppId, room: request.room, userId: request.userId, userSig: request.userSig, mode: request.mode, storage, initialMix: initial };
  const started = await createWithRetries(kit, recordingId, input, { createdAtMs: Date.parse(record.createdAt) }, log);
  if (!started.ok) {
    const throttled = "throttled" in started ? started.throttled : undefined;
    const detail = log.masker.scrubText(
      throttled
        ? `CreateCloudRecording: TRTC's frequency limit (20 requests/s) refused ${throttled.attempts} attempts over ${Math.round(throttled.waitedMs / 1000)} s ` +
            `(RequestLimitExceeded); no recording task was created; start again after ${throttled.retryAfterSeconds} s`
        : `CreateCloudRecording: ${started.code}: ${started.message}`,
    );
    if (throttled) await noteCreateThrottled(kit, kit.deps.clock.now() + throttled.retryAfterSeconds * 1000, log);
    const ending = { kind: "failed" as const, message: "record failed", detail, reason: "start-failed" as const, retryAfterSeconds: throttled?.retryAfterSeconds };
    const done = await finishRecording(kit, record, ending, log);
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
  // The task started with `mix`; anchors who joined while it was being created are sorted out now.
  await seedRosterState(kit.deps.state, recordingId, kit.deps.engine.mixCanvas, mix, kit.nowIso());
  await reconcileRecording({ state: kit.deps.state, engine: kit.deps.engine, log, now: () => kit.deps.clock.now(), load: (id) => kit.records.load(id) }, record, "recording started");
  return { recordingId, status: "RUNNING", taskId: started.taskId };
}
