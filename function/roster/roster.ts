// The roster rules (the seed's, architecture §1): which anchors own the ≤ 6 tiles of the mix, who waits, and what
// a departure does. Pure: a room's event log in, the roster out. Rebuilding from the whole log on every event
// (instead of patching a stored roster) is what makes retries, duplicates and late events harmless.
import { ANCHOR_ROLE, AUDIENCE_ROLE, ROOM_EVENT, orderedFacts, type RoomFact } from "./room-fact";

/** The seed mixes at most six streams. */
export const MAX_TILES = 6;

export interface RosterOptions {
  /** The request's IsReserve: true keeps a departed anchor's tile (last frame, silence) theirs; false frees it. */
  isReserve: boolean;
  /** UserIds that never take a tile whatever their role: the recording robot (the caller's own UserId). */
  excludedUserIds: readonly string[];
  /**
   * When the recording started (ms, compared with EventMsTs). Room sessions that ended before it are forgotten
   * (a 101/102 before it starts the roster afresh), and IsReserve applies from it on: nothing of an anchor who left
   * before the recording began was ever recorded, so there is no last frame to keep.
   * @default no start known: IsReserve applies to every event and no session is forgotten
   */
  startedAtMs?: number;
}

export interface TileOwner {
  userId: string;
  /** False while the owner is away (IsReserve true): the tile shows their last frame, silent. */
  present: boolean;
}

export interface Roster {
  /** Index = tile slot (0..5); null = free. A newcomer takes the lowest free slot. */
  tiles: Array<TileOwner | null>;
  /** Anchors in the room without a tile, earliest entry first (they take the next freed tile). */
  waiting: string[];
  /** Audience members in the room (never mixed). */
  audience: string[];
  /** Distinct room events the roster was built from. */
  eventsUsed: number;
}

interface State {
  roles: Map<string, number>;
  tiles: Array<TileOwner | null>;
  waiting: string[];
}

function fresh(): State {
  return { roles: new Map(), tiles: Array.from({ length: MAX_TILES }, () => null), waiting: [] };
}

function slotOf(s: State, userId: string): number {
  return s.tiles.findIndex((t) => t?.userId === userId);
}

/** The user became an anchor (entered as one, or switched to 20): resume their tile, take a free one, or wait. */
function anchorArrives(s: State, userId: string): void {
  const own = slotOf(s, userId);
  if (own >= 0) {
    s.tiles[own] = { userId, present: true };
    return;
  }
  if (s.waiting.includes(userId)) return;
  const free = s.tiles.indexOf(null);
  if (free >= 0) s.tiles[free] = { userId, present: true };
  else s.waiting.push(userId);
}

/** The user stopped being an anchor (left, or switched to audience). */
function anchorDeparts(s: State, userId: string, reserve: boolean): void {
  s.waiting = s.waiting.filter((u) => u !== userId);
  const slot = slotOf(s, userId);
  if (slot < 0) return;
  if (reserve) {
    s.tiles[slot] = { userId, present: false };
    return;
  }
  // The freed tile goes to whoever has waited longest, in the same place.
  const next = s.waiting.shift();
  s.tiles[slot] = next === undefined ? null : { userId: next, present: true };
}

function setRole(s: State, userId: string, role: number, reserve: boolean): void {
  const before = s.roles.get(userId);
  s.roles.set(userId, role);
  if (before === role) return;
  if (role === ANCHOR_ROLE) anchorArrives(s, userId);
  else if (before === ANCHOR_ROLE) anchorDeparts(s, userId, reserve);
}

function leave(s: State, userId: string, reserve: boolean): void {
  const before = s.roles.get(userId);
  if (before === undefined) return;
  s.roles.delete(userId);
  if (before === ANCHOR_ROLE) anchorDeparts(s, userId, reserve);
}

// TRTC's video-call scenes have no roles: everyone publishes. An entry without Role is therefore an anchor.
function roleOf(f: RoomFact): number {
  return f.role === AUDIENCE_ROLE ? AUDIENCE_ROLE : ANCHOR_ROLE;
}

export function buildRoster(facts: readonly RoomFact[], opts: RosterOptions): Roster {
  const excluded = new Set(opts.excludedUserIds);
  const startedAt = opts.startedAtMs ?? -Infinity;
  const ordered = orderedFacts(facts);
  let s = fresh();
  for (const f of ordered) {
    const reserve = opts.isReserve && f.atMs >= startedAt;
    if (f.type === ROOM_EVENT.create || f.type === ROOM_EVENT.dismiss) {
      if (f.atMs < startedAt) {
        s = fresh();
      } else if (f.type === ROOM_EVENT.dismiss) {
        // Everyone is gone, even those whose 104 never reached us.
        for (const userId of [...s.roles.keys()]) leave(s, userId, reserve);
      }
      continue;
    }
    const userId = f.userId;
    if (userId === undefined || userId === "" || excluded.has(userId)) continue;
    if (f.type === ROOM_EVENT.enter) setRole(s, userId, roleOf(f), reserve);
    else if (f.type === ROOM_EVENT.exit) leave(s, userId, reserve);
    // A role change for someone whose entry we never saw still tells us they are in the room, in that role.
    else if (f.type === ROOM_EVENT.changeRole && (f.role === ANCHOR_ROLE || f.role === AUDIENCE_ROLE)) setRole(s, userId, f.role, reserve);
  }
  const audience = [...s.roles.entries()].filter(([, role]) => role === AUDIENCE_ROLE).map(([u]) => u);
  return { tiles: s.tiles, waiting: s.waiting, audience, eventsUsed: ordered.length };
}

/** The tile owners in slot order (present or holding a reserved tile): exactly who is mixed. */
export function mixedOwners(r: Roster): TileOwner[] {
  return r.tiles.filter((t): t is TileOwner => t !== null);
}
