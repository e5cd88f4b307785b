// Which room a room event is about. Room events type RoomId like the room — a number for an integer room, a string
// for a string room — except that Tencent's own callback examples show an integer room's 102 (dismiss room) with a
// string RoomId (101 has a number). A digits-only string RoomId is therefore ambiguous: it is read as the integer
// room when that room has a running recording and the string room of the same text has none, so a dismissal is
// never filed under a room nobody records. A string room named like a number keeps its events when it is the one
// being recorded. (An integer room and a string room with the same digits are different TRTC rooms.)
import type { RoomRef } from "../contract/request";
import { EVENT_GROUP, type TrtcEvent } from "../events/trtc-callback";
import { stateKeys } from "../state/keys";
import type { StateStore } from "../state/store";

/** TRTC integer room ids: 1 .. 4294967294. */
const INT_ROOM = /^[1-9]\d{0,9}$/;

export async function roomAsTyped(state: StateStore, e: TrtcEvent): Promise<RoomRef | undefined> {
  const room = e.room;
  if (e.groupId !== EVENT_GROUP.room || e.sdkAppId === undefined || room?.kind !== "str" || !INT_ROOM.test(room.strRoomId)) return room;
  const n = Number(room.strRoomId);
  if (n > 4_294_967_294) return room;
  const asInt: RoomRef = { kind: "int", roomId: n };
  const recorded = async (r: RoomRef) => (await state.list(stateKeys.roomRecordingsPrefix(e.sdkAppId as number, r))).length > 0;
  if ((await recorded(asInt)) && !(await recorded(room))) return asInt;
  return room;
}
