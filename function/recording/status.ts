// GET /recordings/{id}: the status record as stored (it never holds secrets). A duplicate start's id answers with
// the recording it joined, marked with the id that was asked for.
import { isRecordingId } from "../state/keys";
import type { StatusRecord } from "../state/status-record";
import type { Kit } from "./kit";

export type StatusView = StatusRecord & { requestedId?: string };

export async function readStatus(kit: Kit, requestedId: string): Promise<StatusView | undefined> {
  if (!isRecordingId(requestedId)) return undefined;
  const record = await kit.records.load(requestedId);
  if (record?.sameAs === undefined) return record;
  const joined = await kit.records.load(record.sameAs);
  return joined ? { ...joined, requestedId } : record;
}
