// Function-URL ingress: no platform "async run" reply exists there, so recorder-api validates synchronously
// (400 with the field errors, nothing started), answers a duplicate with the running recording's id, and otherwise
// records STARTING and invokes `recorder` asynchronously with the id it chose.
import type { FieldError } from "../contract/errors";
import { stateKeys } from "../state/keys";
import { newRecord } from "../state/status-record";
import { finishRecording } from "./finish";
import { holdsRecorder } from "./liveness";
import { claimIdentity, type Kit } from "./kit";
import { authenticate, joinRefusal, ownerRecordOf, parseForStart, registerRequestSecrets, specOf } from "./start";
import { createThrottleRetryAfter } from "./start-throttle";

export type AcceptResult =
  | { outcome: "invalid"; errors: FieldError[] }
  /** The UserSig did not verify (`forged`), or the deployment holds no key to verify it with (`unverifiable`). */
  | { outcome: "unauthenticated"; kind: "forged" | "unverifiable"; errors: FieldError[] }
  /** A live recording of this identity exists that this caller may not join. */
  | { outcome: "conflict"; message: string }
  | { outcome: "accepted"; recordingId: string }
  | { outcome: "duplicate"; recordingId: string }
  /** TRTC's CreateCloudRecording limit is turning starts away right now: nothing was created; try again later. */
  | { outcome: "throttled"; retryAfterSeconds: number }
  | { outcome: "failed"; recordingId: string; detail: string };

/** `client`: the fingerprint of the client credential that called (function/auth/authenticate.ts), if any. */
export async function acceptStart(kit: Kit, raw: unknown, recordingId: string, client?: string): Promise<AcceptResult> {
  const log = kit.deps.log.child({ recordingId });
  registerRequestSecrets(log, raw);
  const parsed = parseForStart(kit, raw);
  if (!parsed.ok) {
    log.warn("request refused", { errors: parsed.errors });
    return { outcome: "invalid", errors: parsed.errors };
  }
  const auth = await authenticate(kit, parsed.request, client);
  if (!auth.ok) {
    log.warn("start refused: caller not authenticated", { kind: auth.kind, reason: auth.error.got });
    return { outcome: "unauthenticated", kind: auth.kind, errors: [auth.error] };
  }
  const spec = specOf(parsed.request);
  // A read-only look: the binding claim is taken by `recorder`, which also settles a race between two accepts.
  const holder = await kit.claims.holder(claimIdentity(spec));
  if (holder !== undefined) {
    const held = await kit.records.load(holder);
    if (held && holdsRecorder(held)) {
      const refusal = joinRefusal(kit, held, auth.identity);
      if (refusal !== undefined) return { outcome: "conflict", message: refusal };
      log.info("duplicate start: already recording", { sameAs: holder });
      return { outcome: "duplicate", recordingId: holder };
    }
  }
  // A burst of starts is over TRTC's 20/s and a start already gave up: refuse at the door, retryable, not 202 + FAILED.
  const retryAfterSeconds = await createThrottleRetryAfter(kit);
  if (retryAfterSeconds !== undefined) {
    log.warn("start refused: TRTC's CreateCloudRecording limit is turning starts away", { retryAfterSeconds });
    return { outcome: "throttled", retryAfterSeconds };
  }
  const record = newRecord(recordingId, kit.nowIso());
  record.spec = spec;
  record.owner = ownerRecordOf(auth.identity);
  await kit.records.save(record);
  await kit.deps.state.put(stateKeys.active(recordingId), recordingId);
  try {
    await kit.deps.invoker.invokeRecorder(client === undefined ? { action: "start", recordingId, request: raw } : { action: "start", recordingId, request: raw, client });
  } catch (err) {
    const detail = `could not invoke the recorder: ${err instanceof Error ? err.message : String(err)}`;
    await finishRecording(kit, record, { kind: "failed", message: "record failed", detail, reason: "start-failed" }, log);
    return { outcome: "failed", recordingId, detail };
  }
  log.info("start accepted", { mode: spec.mode });
  return { outcome: "accepted", recordingId };
}
