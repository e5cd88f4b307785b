// The seam for the roster rules (first 6 anchors by entry time, IsReserve; a later issue). Today a room event is
// only recorded in the per-room event log (by the /trtc-events handler); this hook is where the rules will react
// to 103/104 and call ModifyCloudRecording.
import type { RecordingEngine } from "../engine/port";
import type { TrtcEvent } from "../events/trtc-callback";
import type { Logger } from "../log/logger";
import type { RosterReport, StatusRecord } from "../state/status-record";
import type { StateStore } from "../state/store";

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
}

export type RoomEventHook = (ctx: RoomEventContext) => Promise<void>;

/** Current behaviour: nothing beyond the event log. */
export const recordOnly: RoomEventHook = async () => {};

/** What the status record says about the roster, given how many room events arrived while it ran. */
export function rosterReport(roomEvents: number): RosterReport {
  if (roomEvents === 0) {
    return {
      roomEvents,
      rulesApplied: false,
      note: "no TRTC room events arrived (is the TRTC console's callback URL set to /trtc-events?): roster rules were not applied; TRTC's nine-grid layout chose the tiles",
    };
  }
  return {
    roomEvents,
    rulesApplied: false,
    note: "room events were recorded, but roster rules are not implemented yet: TRTC's nine-grid layout chose the tiles",
  };
}
