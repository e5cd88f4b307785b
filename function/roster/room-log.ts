// Reads a room's event log (written once per distinct event by /trtc-events) back as roster facts. Only the room
// session the recording belongs to is read: the log of a room reused class after class keeps growing, and key names
// carry each event's time and type, so the last 101/102 before the recording's start is found without reading.
import type { RoomRef } from "../contract/request";
import { EVENT_GROUP, parseTrtcEvent } from "../events/trtc-callback";
import { stateKeys } from "../state/keys";
import type { StateStore } from "../state/store";
import { ROOM_EVENT, type RoomFact } from "./room-fact";

export interface RoomLogRead {
  facts: RoomFact[];
  /** The keys read, in order: a later listing that differs means events arrived meanwhile. */
  keys: string[];
}

// Reads in parallel, but not all at once: a busy class has hundreds of events.
const READ_CONCURRENCY = 16;

function keyTimeAndType(key: string): { atMs: number; type: number } | undefined {
  const m = /\/(\d{15})-(\d+)-[0-9a-f]+\.json$/.exec(key);
  return m ? { atMs: Number(m[1]), type: Number(m[2]) } : undefined;
}

/** The keys of the session the recording started in: from the last create/dismiss before `startedAtMs` on. */
export function sessionKeys(keys: readonly string[], startedAtMs: number): string[] {
  let from = 0;
  keys.forEach((k, i) => {
    const t = keyTimeAndType(k);
    if (t && t.atMs < startedAtMs && (t.type === ROOM_EVENT.create || t.type === ROOM_EVENT.dismiss)) from = i;
  });
  return keys.slice(from);
}

function scalarId(v: unknown): string | number | undefined {
  return typeof v === "string" || typeof v === "number" ? v : undefined;
}

/** A logged body as a roster fact; undefined for anything that is not a room event. */
export function factOf(body: Buffer): RoomFact | undefined {
  const e = parseTrtcEvent(body, undefined);
  if (!e || e.groupId !== EVENT_GROUP.room) return undefined;
  const info = typeof e.raw.EventInfo === "object" && e.raw.EventInfo !== null ? (e.raw.EventInfo as Record<string, unknown>) : {};
  const fact: RoomFact = { type: e.type, atMs: e.eventMsTs };
  if (e.userId !== undefined) fact.userId = e.userId;
  const role = typeof info.Role === "number" ? info.Role : typeof info.Role === "string" && /^\d+$/.test(info.Role) ? Number(info.Role) : undefined;
  if (role !== undefined) fact.role = role;
  const unique = scalarId(info.UniqueId);
  if (unique !== undefined) fact.uniqueId = unique;
  return fact;
}

export async function listSessionKeys(state: StateStore, sdkAppId: number, room: RoomRef, startedAtMs: number): Promise<string[]> {
  return sessionKeys(await state.list(stateKeys.roomEventsPrefix(sdkAppId, room)), startedAtMs);
}

export async function readRoomFacts(state: StateStore, sdkAppId: number, room: RoomRef, startedAtMs: number): Promise<RoomLogRead> {
  const keys = await listSessionKeys(state, sdkAppId, room, startedAtMs);
  const facts: Array<RoomFact | undefined> = new Array(keys.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < keys.length; i = next++) {
      const body = await state.get(keys[i]);
      facts[i] = body ? factOf(body) : undefined;
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, keys.length) }, worker));
  return { facts: facts.filter((f): f is RoomFact => f !== undefined), keys };
}
