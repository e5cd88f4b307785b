// The seam between /trtc-events and the roster rules. The handler has already logged the event (once per distinct
// event) when this runs; the hook rebuilds each running recording's roster from the room's log and applies it with
// ModifyCloudRecording (docs/roster.md). Throwing makes the handler answer 500, so TRTC retries the event (at once,
// then every 10 s for a minute): that is how a failed Modify gets another chance.
import type { RecordingEngine } from "../engine/port";
import type { TrtcEvent } from "../events/trtc-callback";
import type { Logger } from "../log/logger";
import type { RosterReport, StatusRecord } from "../state/status-record";
import type { StateStore } from "../state/store";
import { reconcileRoster, type RosterState } from "./reconcile";
import { AUDIENCE_ROLE, ROOM_EVENT } from "./room-fact";

export interface RoomEventContext {
  event: TrtcEvent;
  /** True when the event log already had this event (a TRTC retry). */
  duplicate: boolean;
  log: Logger;
  /** The state store; the room's event log is under `stateKeys.roomEventsPrefix(sdkAppId, room)`. */
  state: StateStore;
  engine: RecordingEngine;
  /** The RUNNING recordings of the event's room (none when the event names no room). */
  recordings(): Promise<StatusRecord[]>;
  now(): number;
}

export type RoomEventHook = (ctx: RoomEventContext) => Promise<void>;

/** Only the event log, no rules (tests of the handler alone). */
export const recordOnly: RoomEventHook = async () => {};

/** A retryable ModifyCloudRecording failure: the handler answers 500 and TRTC sends the event again. */
export class RosterNotAppliedError extends Error {
  override name = "RosterNotAppliedError";
}

const ROSTER_EVENTS: ReadonlySet<number> = new Set(Object.values(ROOM_EVENT));

// An audience member entering or leaving never moves a tile, and big classes have hundreds of them: no rebuild.
// The event stays in the log, so the next rebuild reads it anyway.
function audienceOnly(e: TrtcEvent): boolean {
  if (e.type !== ROOM_EVENT.enter && e.type !== ROOM_EVENT.exit) return false;
  const info = e.raw.EventInfo;
  return typeof info === "object" && info !== null && Number((info as Record<string, unknown>).Role) === AUDIENCE_ROLE;
}

export const applyRosterRules: RoomEventHook = async (ctx) => {
  const e = ctx.event;
  if (!ROSTER_EVENTS.has(e.type) || audienceOnly(e)) return;
  const running = await ctx.recordings();
  if (running.length === 0) return;
  const robots = running.flatMap((r) => (r.spec ? [r.spec.userId] : []));
  if (e.userId !== undefined && robots.includes(e.userId)) return;
  const deps = { state: ctx.state, engine: ctx.engine, log: ctx.log, now: ctx.now };
  const retry: string[] = [];
  for (const record of running) {
    const out = await reconcileRoster(deps, record, robots, `room event ${e.type}`);
    if (out.kind === "failed" && out.retryable) retry.push(`${record.recordingId}: ${out.code}`);
  }
  if (retry.length > 0) throw new RosterNotAppliedError(`ModifyCloudRecording failed (${retry.join("; ")}); TRTC will retry the event`);
};

/**
 * What the status record says about the roster at the end: whether the rules were applied, from the room events
 * that arrived while it ran and what the roster last did (`state`, absent if it never ran for this recording).
 */
export function rosterReport(roomEvents: number, state?: RosterState): RosterReport {
  const seen = Math.max(roomEvents, state?.roomEvents ?? 0);
  if (seen === 0) {
    return {
      roomEvents,
      rulesApplied: false,
      note: "not-applied: no room events received (is the TRTC console's room callback URL set to /trtc-events? see docs/trtc-console.md); TRTC's nine-grid layout chose the tiles",
    };
  }
  const detail = state ? { modifyCalls: state.calls, mixed: state.mixed, away: state.away, waiting: state.waiting } : { modifyCalls: 0 };
  if (state?.lastError !== undefined) {
    return {
      roomEvents,
      rulesApplied: false,
      note: `partially-applied: the last ModifyCloudRecording failed (${state.lastError}); from then on TRTC's mix may not follow the roster`,
      ...detail,
    };
  }
  return { roomEvents, rulesApplied: true, note: "applied: first 6 anchors by entry time, IsReserve as requested (docs/roster.md)", ...detail };
}
