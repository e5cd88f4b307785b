// The mix a recording starts with, so the roster rules hold from the file's first frame and first sample. Applying
// them with a Modify right after CreateCloudRecording is too late: TRTC mixes from creation, and until the Modify
// lands (one round trip, tens to hundreds of ms) it shows its grid of every anchor and plays all of them — a 7th
// anchor seen and heard at the start of every file. So CreateCloudRecording itself carries the plan:
// - anchors known from the room's event log → their tiles (MixLayoutMode 4) and allow lists of exactly them;
// - no anchor known, but this app's room events do reach us → subscribe nobody (the robot's own UserId, which never
//   publishes): TRTC's file begins with the first subscribed anchor, so the roster's first Modify starts the file
//   with the right people instead of with everyone who happened to join during creation;
// - this app's room events never reached us (callback URL not set, or not for a long time) → TRTC's grid and
//   everyone, as before: without events nobody would ever be subscribed.
import type { RoomRef } from "../contract/request";
import { stateKeys } from "../state/keys";
import { getJson, putJson, type StateStore } from "../state/store";
import type { Canvas } from "./layout";
import { planKey, planMix, type MixPlan } from "./plan";
import type { RosterState } from "./reconcile";
import { readRoomFacts } from "./room-log";
import { buildRoster, mixedOwners } from "./roster";

export type InitialMix =
  | { kind: "plan"; plan: MixPlan; eventsUsed: number }
  /** Subscribe nobody until the roster names the first anchor. */
  | { kind: "nobody" }
  /** TRTC's own grid of everyone (no room events to follow). */
  | { kind: "engine-default" };

/** Room events older than this do not prove that the app's callbacks still arrive. */
export const EVENTS_SEEN_VALID_MS = 7 * 24 * 3_600_000;
/** The "seen" marker is rewritten at most this often (one small write, not one per event). */
const SEEN_REFRESH_MS = 3_600_000;

interface Seen {
  at: number;
}

/** Called for every logged room event: notes that this app's callbacks arrive. */
export async function noteRoomEventsSeen(state: StateStore, sdkAppId: number, nowMs: number): Promise<void> {
  const key = stateKeys.appRoomEventsSeen(sdkAppId);
  const seen = await getJson<Seen>(state, key);
  if (seen && nowMs - seen.at < SEEN_REFRESH_MS) return;
  await putJson(state, key, { at: nowMs } satisfies Seen);
}

export async function initialMix(
  deps: { state: StateStore; canvas: Canvas; nowMs: number },
  spec: { sdkAppId: number; room: RoomRef; userId: string; isReserve: boolean },
  excludedUserIds: readonly string[],
): Promise<InitialMix> {
  const { facts } = await readRoomFacts(deps.state, spec.sdkAppId, spec.room, deps.nowMs);
  if (facts.length > 0) {
    const roster = buildRoster(facts, { isReserve: spec.isReserve, excludedUserIds: [...new Set([spec.userId, ...excludedUserIds])], startedAtMs: deps.nowMs });
    if (mixedOwners(roster).length > 0) return { kind: "plan", plan: planMix(roster, deps.canvas), eventsUsed: roster.eventsUsed };
  }
  const seen = await getJson<Seen>(deps.state, stateKeys.appRoomEventsSeen(spec.sdkAppId));
  if (seen && deps.nowMs - seen.at < EVENTS_SEEN_VALID_MS) return { kind: "nobody" };
  return { kind: "engine-default" };
}

/**
 * What the roster records as applied once the task exists. For "nobody" and the engine default it is the empty
 * plan's key: an empty roster then costs no call, and the first anchor's plan is sent as a change.
 */
export async function seedRosterState(state: StateStore, recordingId: string, canvas: Canvas, mix: InitialMix, nowIso: string): Promise<void> {
  const empty = planMix({ tiles: [], waiting: [], audience: [], eventsUsed: 0 }, canvas);
  const applied = mix.kind === "plan" ? mix.plan : empty;
  const seeded: RosterState = {
    appliedKey: planKey(applied),
    appliedAt: nowIso,
    calls: 0,
    unchanged: 0,
    failures: 0,
    roomEvents: mix.kind === "plan" ? mix.eventsUsed : 0,
    mixed: applied.tiles.map((t) => t.userId),
    away: [],
    waiting: [],
    updatedAt: nowIso,
  };
  await putJson(state, stateKeys.rosterState(recordingId), seeded);
}
