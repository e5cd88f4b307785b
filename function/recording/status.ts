// GET /recordings/{id}: the status record as stored (it never holds secrets). A duplicate start's id answers with
// the recording it joined, marked with the id that was asked for — only when both were started by the same owner
// (function/auth/authenticate.ts); a client identified by client auth never sees another client's recording. Callback
// URLs are shown without their query (receivers put tokens there).
import { isRecordingId } from "../state/keys";
import type { StatusRecord } from "../state/status-record";
import type { Kit } from "./kit";

export type StatusView = StatusRecord & { requestedId?: string };

/** Who is asking, as far as client auth can tell. */
export interface Viewer {
  /** Fingerprint of the client credential (function-URL API key, gateway key pair); undefined without client auth. */
  client?: string;
}

/** A client identified by client auth may only reach recordings its own credential started. */
function visibleTo(record: StatusRecord, viewer: Viewer | undefined): boolean {
  const owner = record.owner?.client;
  return viewer?.client === undefined || owner === undefined || owner === viewer.client;
}

/**
 * The record an id stands for: its own, or — for a duplicate — the recording it joined when the same owner started
 * both. undefined when unknown or not the viewer's.
 */
export async function resolveRecording(kit: Kit, requestedId: string, viewer?: Viewer): Promise<StatusView | undefined> {
  if (!isRecordingId(requestedId)) return undefined;
  const record = await kit.records.load(requestedId);
  if (!record || !visibleTo(record, viewer)) return undefined;
  if (record.sameAs === undefined) return record;
  const joined = await kit.records.load(record.sameAs);
  const sameOwner = joined?.owner !== undefined && joined.owner.id === record.owner?.id;
  return joined && sameOwner && visibleTo(joined, viewer) ? { ...joined, requestedId } : record;
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/s, "?…");
}

/** What a status read shows: callback URLs without their query or fragment. */
export function viewOf(record: StatusView): StatusView {
  const view: StatusView = { ...record };
  if (view.spec?.callback !== undefined) view.spec = { ...view.spec, callback: withoutQuery(view.spec.callback) };
  if (view.callback) view.callback = { ...view.callback, url: withoutQuery(view.callback.url) };
  return view;
}

export async function readStatus(kit: Kit, requestedId: string, viewer?: Viewer): Promise<StatusView | undefined> {
  const record = await resolveRecording(kit, requestedId, viewer);
  return record ? viewOf(record) : undefined;
}
