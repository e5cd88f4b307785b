// One TRTC room event (group 1) reduced to what the roster rules read, and the order the rules read them in.
// TRTC retries a callback for a minute and may deliver events out of order, so the roster is never built from
// arrival order: the log is de-duplicated and sorted by event time first.

/** Room event types the roster reacts to (trtc.md §2.5). Other types in group 1 are kept in the log but ignored. */
export const ROOM_EVENT = { create: 101, dismiss: 102, enter: 103, exit: 104, changeRole: 105 } as const;

export const ANCHOR_ROLE = 20;
export const AUDIENCE_ROLE = 21;

export interface RoomFact {
  /** EventType: 101 create, 102 dismiss, 103 enter, 104 exit, 105 role change; anything else is ignored. */
  type: number;
  /** Absent for 101/102. */
  userId?: string;
  /** EventMsTs (TRTC's clock). */
  atMs: number;
  /** 20 anchor, 21 audience (103/104/105). */
  role?: number;
  /** EventInfo.UniqueId: breaks ties between events of the same millisecond. */
  uniqueId?: string | number;
}

/** Two deliveries of the same event (a TRTC retry or a duplicate) have the same identity. */
export function factIdentity(f: RoomFact): string {
  return [f.type, f.userId ?? "", f.atMs, f.uniqueId ?? "", f.role ?? ""].join("|");
}

// UniqueId is numeric in TRTC's examples (a millisecond stamp); compare numerically when it is, as text otherwise.
function uniqueRank(u: string | number | undefined): [number, number, string] {
  if (u === undefined) return [0, 0, ""];
  const n = typeof u === "number" ? u : /^\d+$/.test(u) ? Number(u) : NaN;
  return Number.isFinite(n) ? [1, n, ""] : [2, 0, String(u)];
}

// Within one millisecond and without a UniqueId to go by: an exit before an entry (a user replacing their own
// session exits, then enters), the room's dismissal after the last exit, its creation before the first entry.
const TYPE_RANK: Record<number, number> = { 104: 0, 102: 1, 101: 2, 103: 3, 105: 4 };

function compareFacts(a: RoomFact, b: RoomFact): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  const [ua, ub] = [uniqueRank(a.uniqueId), uniqueRank(b.uniqueId)];
  if (ua[0] !== ub[0]) return ua[0] - ub[0];
  if (ua[1] !== ub[1]) return ua[1] - ub[1];
  if (ua[2] !== ub[2]) return ua[2] < ub[2] ? -1 : 1;
  const [ra, rb] = [TYPE_RANK[a.type] ?? 9, TYPE_RANK[b.type] ?? 9];
  if (ra !== rb) return ra - rb;
  if (a.type !== b.type) return a.type - b.type;
  const [ida, idb] = [a.userId ?? "", b.userId ?? ""];
  if (ida !== idb) return ida < idb ? -1 : 1;
  return (a.role ?? 0) - (b.role ?? 0);
}

/**
 * The log as the rules read it: each event once, in event-time order with a total tie-break, so any arrival
 * order and any number of duplicates give the same sequence.
 */
export function orderedFacts(facts: readonly RoomFact[]): RoomFact[] {
  const unique = new Map<string, RoomFact>();
  for (const f of facts) if (!unique.has(factIdentity(f))) unique.set(factIdentity(f), f);
  return [...unique.values()].sort(compareFacts);
}
