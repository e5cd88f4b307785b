// Function-URL ingress: no platform "async run" reply exists there, so recorder-api validates synchronously
// (400 with the field errors, nothing started), answers a duplicate with the running recording's id, and otherwise
// records STARTING and invokes `recorder` asynchronously with the id it chose.
import type { FieldError } from "../contract/errors";
import { parseRecordRequest } from "../contract/request";
import { stateKeys } from "../state/keys";
import { newRecord } from "../state/status-record";
import { finishRecording } from "./finish";
import { claimIdentity, type Kit } from "./kit";
import { registerRequestSecrets, specOf } from "./start";

export type AcceptResult =
  | { outcome: "invalid"; errors: FieldError[] }
  | { outcome: "accepted"; recordingId: string }
  | { outcome: "duplicate"; recordingId: string }
  | { outcome: "failed"; recordingId: string; detail: string };

export async function acceptStart(kit: Kit, raw: unknown, recordingId: string): Promise<AcceptResult> {
  const log = kit.deps.log.child({ recordingId });
  registerRequestSecrets(log, raw);
  const parsed = parseRecordRequest(raw);
  if (!parsed.ok) {
    log.warn("request refused", { errors: parsed.errors });
    return { outcome: "invalid", errors: parsed.errors };
  }
  const spec = specOf(parsed.request);
  // A read-only look: the binding claim is taken by `recorder`, which also settles a race between two accepts.
  const holder = await kit.claims.holder(claimIdentity(spec));
  if (holder !== undefined) {
    const held = await kit.records.load(holder);
    if (held && held.sameAs === undefined && (held.status === "STARTING" || held.status === "RUNNING")) {
      log.info("duplicate start: already recording", { sameAs: holder });
      return { outcome: "duplicate", recordingId: holder };
    }
  }
  const record = newRecord(recordingId, kit.nowIso());
  record.spec = spec;
  await kit.records.save(record);
  await kit.deps.state.put(stateKeys.active(recordingId), recordingId);
  try {
    await kit.deps.invoker.invokeRecorder({ action: "start", recordingId, request: raw });
  } catch (err) {
    const detail = `could not invoke the recorder: ${err instanceof Error ? err.message : String(err)}`;
    await finishRecording(kit, record, { kind: "failed", message: "record failed", detail, reason: "start-failed" }, log);
    return { outcome: "failed", recordingId, detail };
  }
  log.info("start accepted", { mode: spec.mode });
  return { outcome: "accepted", recordingId };
}
