// The attention index: which recordings the watchdog must look at, and from when. Entries are keyed by the minute
// they fall due, so a watchdog tick lists only the minutes that came due since the last tick (usually two LIST
// calls) and reads only the recordings in them — its work follows the recordings needing attention, not every
// live one.
//
// Two kinds of entry, both `attention/<due minute>/<recordingId>[.nudge]`:
// - the *check* entry: exactly one per live recording, created at start and moved by the watchdog after each look
//   (to when the recording next needs one: a periodic task check, the end of a delivery lease, …). It is the
//   guarantee that no live recording is ever forgotten.
// - *nudges*: "look at this one at T" from the event paths (a stop event, a delivery that took its lease). A nudge
//   is looked at once and removed; it may add another nudge while the recording still needs a close follow-up.
// The active/ markers stay the list of every live recording; an hourly sweep compares them with the index and
// re-adds a missing check entry (a crash between two writes, recordings started before this index existed).
import { stateKeys } from "./keys";
import type { StateStore } from "./store";

export const ATTENTION_PREFIX = "attention/";
const MINUTE_MS = 60_000;
const NUDGE_SUFFIX = ".nudge";

export type AttentionKind = "check" | "nudge";

export interface AttentionEntry {
  key: string;
  recordingId: string;
  kind: AttentionKind;
  /** The due minute (minutes since the epoch). */
  minute: number;
}

export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS);
}

function bucketPrefix(minute: number): string {
  return `${ATTENTION_PREFIX}${String(minute).padStart(10, "0")}/`;
}

export function attentionKey(recordingId: string, kind: AttentionKind, dueMs: number): string {
  return `${bucketPrefix(minuteOf(dueMs))}${recordingId}${kind === "nudge" ? NUDGE_SUFFIX : ""}`;
}

/** The entry a key names, or undefined for anything else under the prefix. */
export function parseAttentionKey(key: string): AttentionEntry | undefined {
  const m = /^attention\/(\d{10})\/([A-Za-z0-9_-]{1,64})(\.nudge)?$/.exec(key);
  if (!m) return undefined;
  return { key, recordingId: m[2]!, kind: m[3] ? "nudge" : "check", minute: Number(m[1]) };
}

export interface Attention {
  /**
   * Puts the recording's check entry at `dueMs` (never earlier than now: a past due time means "next tick") and
   * removes `replaces` (the entry just handled). Written before the old one is removed, so a crash in between
   * leaves two entries (the sweep merges them), never none.
   */
  schedule(recordingId: string, dueMs: number, replaces?: AttentionEntry): Promise<string>;
  /** Asks for one look at `dueMs` or within the minute after it, never before (idempotent within a minute). */
  nudge(recordingId: string, dueMs: number): Promise<string>;
  remove(entry: AttentionEntry): Promise<void>;
  /**
   * Entries of the minutes `fromMinute` … now (at most `maxMinutes` of them), oldest minute first; `listedTo` is
   * the last minute listed.
   */
  due(fromMinute: number, maxMinutes: number): Promise<{ entries: AttentionEntry[]; listedTo: number }>;
  /** Every entry (for the sweep: one LIST of the whole prefix, 1,000 keys a page on COS). */
  all(): Promise<AttentionEntry[]>;
}

export function createAttention(store: StateStore, now: () => number): Attention {
  const put = async (recordingId: string, kind: AttentionKind, dueMs: number) => {
    const t = now();
    const at = Math.max(dueMs, t);
    // A nudge for later goes into the minute that starts at or after its time, so it is never looked at early (a
    // lease that has not run out yet); a nudge for now is due now; a check may be looked at up to a minute early.
    const key = attentionKey(recordingId, kind, kind === "nudge" && at > t ? Math.ceil(at / MINUTE_MS) * MINUTE_MS : at);
    await store.put(key, new Date(at).toISOString());
    return key;
  };
  const parseAll = (keys: string[]) => keys.map(parseAttentionKey).filter((e): e is AttentionEntry => e !== undefined);
  return {
    async schedule(recordingId, dueMs, replaces) {
      const key = await put(recordingId, "check", dueMs);
      if (replaces && replaces.key !== key) await store.delete(replaces.key);
      return key;
    },
    nudge: (recordingId, dueMs) => put(recordingId, "nudge", dueMs),
    remove: (entry) => store.delete(entry.key),
    async due(fromMinute, maxMinutes) {
      const last = Math.min(minuteOf(now()), fromMinute + Math.max(1, maxMinutes) - 1);
      const entries: AttentionEntry[] = [];
      for (let m = fromMinute; m <= last; m++) entries.push(...parseAll(await store.list(bucketPrefix(m))));
      return { entries, listedTo: last };
    },
    all: async () => parseAll(await store.list(ATTENTION_PREFIX)),
  };
}

/** Live recordings (active/ markers) that have no check entry, and check entries beyond the first per recording. */
export async function reconcileAttention(store: StateStore, attention: Attention): Promise<{ missing: string[]; duplicates: AttentionEntry[] }> {
  const active = (await store.list(stateKeys.activePrefix)).map((k) => k.slice(stateKeys.activePrefix.length));
  const checks = new Map<string, AttentionEntry[]>();
  for (const e of await attention.all()) {
    if (e.kind !== "check") continue;
    const list = checks.get(e.recordingId) ?? [];
    list.push(e);
    checks.set(e.recordingId, list);
  }
  const missing = active.filter((id) => !checks.has(id));
  const duplicates = [...checks.values()].flatMap((list) => list.sort((a, b) => a.minute - b.minute).slice(1));
  return { missing, duplicates };
}
