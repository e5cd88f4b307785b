// Callback bodies in TRTC's wire shape. Room events (group 1) carry RoomId typed like the room (number for
// integer rooms; the 102 of an integer room carries it as a string, as in TRTC's example); cloud-recording events (group 3) carry it as a string, as captured from the real service.
// EventTs is a string in 301/302/307 and a number elsewhere: the documentation's examples and real captures both
// show that mix, so receivers must accept either.
import type { RoomEvent } from "./room";

export interface CallbackBody {
  EventGroupId: number;
  EventType: number;
  CallbackTs: number;
  EventInfo: Record<string, unknown>;
}

export const ROOM_EVENT_GROUP = 1;
export const RECORDING_EVENT_GROUP = 3;

export function roomEventBody(roomId: number | string, event: RoomEvent, uniqueId: number, callbackMs: number): CallbackBody {
  const info: Record<string, unknown> = {
    // As in TRTC's callback examples: an integer room's RoomId is a number, except in 102 (dismiss room), whose
    // example carries it as a string.
    RoomId: event.type === 102 ? String(roomId) : roomId,
    EventTs: Math.floor(event.atMs / 1000),
    EventMsTs: event.atMs,
  };
  if (event.userId) info.UserId = event.userId;
  info.UniqueId = uniqueId;
  if (event.type === 103 || event.type === 104 || event.type === 105) info.Role = event.role;
  if (event.type === 103) {
    info.TerminalType = event.terminalType;
    info.UserType = 3;
  }
  if (event.type === 103 || event.type === 104) info.Reason = event.reason;
  return { EventGroupId: ROOM_EVENT_GROUP, EventType: event.type, CallbackTs: callbackMs, EventInfo: info };
}

export type RecordingEventType = 301 | 302 | 303 | 304 | 305 | 307 | 308 | 310;

const STRING_TS: ReadonlySet<number> = new Set([301, 302, 307]);

export function recordingEventBody(
  type: RecordingEventType,
  fields: { roomId: number | string; robotUserId: string; taskId: string; atMs: number; payload: Record<string, unknown> },
  callbackMs: number,
): CallbackBody {
  const seconds = Math.floor(fields.atMs / 1000);
  return {
    EventGroupId: RECORDING_EVENT_GROUP,
    EventType: type,
    CallbackTs: callbackMs,
    EventInfo: {
      RoomId: String(fields.roomId),
      EventTs: STRING_TS.has(type) ? String(seconds) : seconds,
      EventMsTs: fields.atMs,
      UserId: fields.robotUserId,
      TaskId: fields.taskId,
      Payload: fields.payload,
    },
  };
}
