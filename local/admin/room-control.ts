// Room control for the admin API, the console and `npm run room`: join an anchor with its colour and tone, leave,
// rejoin, change role, dismiss — the same Room methods the scenario and TRTC's own server APIs use, so every action
// produces the room events (101-105) a real room would post to the stack. Input is checked here, once, with
// errors naming the field, what was expected and what was given.
import type { FieldError } from "../../function/contract/errors";
import { fieldError } from "../../function/contract/errors";
import { parseRecordRequest } from "../../function/contract/request";
import { ANCHOR, AUDIENCE, type Role, type Room } from "../../emulator/trtc";
import type { LocalCloud } from "../cloud";

/** A room as the seed's request names it: RoomId (integer) or StrRoomId (string); separate namespaces in TRTC. */
export type RoomAddress = { kind: "int"; id: number } | { kind: "str"; id: string };

/** "1234" for an integer room, "str:math 101" for a string room: one text form for URLs, the CLI and the page. */
export function roomLabelOf(room: RoomAddress): string {
  return room.kind === "int" ? String(room.id) : `str:${room.id}`;
}

/** Thrown for input the caller must fix (HTTP 400) or a state that refuses the action (HTTP 409). */
export class AdminError extends Error {
  override name = "AdminError";
  constructor(
    readonly status: 400 | 404 | 409,
    readonly error: FieldError | { field: string; message: string },
  ) {
    super("message" in error ? `${error.field}: ${error.message}` : `${error.field}: expected ${error.expected}, got ${error.got}`);
  }
}

/**
 * Parses a room label. Room ids are checked by the recorder's own contract (function/contract/request.ts), so the
 * console accepts exactly the rooms POST /record accepts.
 */
export function parseRoomLabel(label: unknown): RoomAddress {
  if (typeof label !== "string" || label === "") throw new AdminError(400, fieldError("room", 'an integer room id like 1234, or "str:<StrRoomId>"', label));
  const str = label.startsWith("str:");
  const probe = str ? { StrRoomId: label.slice(4) } : { RoomId: /^\d+$/.test(label) ? Number(label) : label };
  const verdict = parseRecordRequest(probe);
  const roomError = verdict.ok ? undefined : verdict.errors.find((e) => e.field === "RoomId" || e.field === "StrRoomId");
  if (roomError) throw new AdminError(400, { field: "room", expected: roomError.expected, got: roomError.got });
  return str ? { kind: "str", id: label.slice(4) } : { kind: "int", id: Number(label) };
}

// Names both ffmpeg (which draws the tile) and CSS (which draws the console's tile) know with the same RGB value.
const COLOR_NAMES = [
  "red", "lime", "blue", "yellow", "cyan", "magenta", "white", "orange", "green", "purple", "pink", "gray", "grey",
  "black", "navy", "teal", "maroon", "olive", "silver", "brown", "gold", "violet", "indigo", "coral", "salmon", "khaki",
  "orchid", "turquoise", "tomato", "chocolate", "crimson", "aqua", "fuchsia",
];
const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;
export const TONE_RANGE = { min: 20, max: 8000 } as const;

export const ROOM_EXPECTED = {
  userId: "a TRTC UserId of 1..32 characters: letters, digits, _ or -",
  color: `a colour name (${COLOR_NAMES.slice(0, 8).join(", ")}, …) or #RRGGBB`,
  tone: `a tone in Hz, an integer ${TONE_RANGE.min}..${TONE_RANGE.max}`,
  role: '"anchor" (20, publishes) or "audience" (21)',
} as const;

export function checkUserId(value: unknown): string {
  if (typeof value !== "string" || !USER_ID.test(value)) throw new AdminError(400, fieldError("userId", ROOM_EXPECTED.userId, value));
  return value;
}

export function checkColor(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string" && (/^#[0-9a-fA-F]{6}$/.test(value) || COLOR_NAMES.includes(value.toLowerCase()))) return value.toLowerCase();
  throw new AdminError(400, fieldError("color", ROOM_EXPECTED.color, value));
}

export function checkTone(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === "number" && Number.isInteger(n) && n >= TONE_RANGE.min && n <= TONE_RANGE.max) return n;
  throw new AdminError(400, fieldError("tone", ROOM_EXPECTED.tone, value));
}

export function checkRole(value: unknown, fallback?: Role): Role {
  if ((value === undefined || value === "") && fallback !== undefined) return fallback;
  if (value === "anchor" || value === 20 || value === "20") return ANCHOR;
  if (value === "audience" || value === 21 || value === "21") return AUDIENCE;
  throw new AdminError(400, fieldError("role", ROOM_EXPECTED.role, value));
}

export const roleName = (role: Role): "anchor" | "audience" => (role === ANCHOR ? "anchor" : "audience");

export interface MemberView {
  userId: string;
  role: "anchor" | "audience";
  color: string;
  toneHz: number;
  /** A recording robot (TRTC cloud recording's user): shown, never controlled. */
  robot: boolean;
  /** Epoch ms of entering the room in its current role. */
  since: number;
}

export interface RoomView {
  label: string;
  kind: "int" | "str";
  roomId: number | string;
  /** True while anyone (a recording robot included) is in the room. */
  exists: boolean;
  /** Present users in entry order. */
  members: MemberView[];
  /** Users seen before who are not in the room now (they can rejoin with their colour and tone). */
  departed: Array<{ userId: string; color: string; toneHz: number; leftAt: number }>;
}

export function roomView(room: Room, label: string): RoomView {
  const history = room.history();
  const present = new Set(room.memberIds());
  const members: MemberView[] = [];
  for (const userId of room.memberIds()) {
    const open = history.filter((i) => i.userId === userId && i.toMs === null).pop();
    if (!open) continue;
    members.push({ userId, role: roleName(open.role), color: open.media.color, toneHz: open.media.toneHz, robot: open.robot, since: open.fromMs });
  }
  const departed = new Map<string, RoomView["departed"][number]>();
  for (const i of history) {
    if (i.robot || present.has(i.userId) || i.toMs === null) continue;
    departed.set(i.userId, { userId: i.userId, color: i.media.color, toneHz: i.media.toneHz, leftAt: i.toMs });
  }
  return { label, kind: room.ref.kind, roomId: room.roomId, exists: room.exists, members, departed: [...departed.values()] };
}

export interface JoinInput {
  userId: unknown;
  color?: unknown;
  tone?: unknown;
  role?: unknown;
}

/** The room control of one local cloud, remembering which rooms it touched so the console can list them. */
export class RoomControl {
  private readonly touched = new Map<string, RoomAddress>();
  /** Bumped on every action, so live views know something changed. */
  actions = 0;
  /** The room pages show first and the recording form starts with. */
  defaultRoom: RoomAddress = { kind: "int", id: 1234 };

  constructor(private readonly cloud: LocalCloud) {}

  room(address: RoomAddress): Room {
    return this.cloud.trtc.room(this.cloud.trtcApp.sdkAppId, address.id);
  }

  /** Rooms this control acted on, plus every room a recording task was created for, in first-seen order. */
  knownRooms(): RoomAddress[] {
    const rooms = new Map(this.touched);
    for (const t of this.cloud.trtc.tasks()) {
      const ref = t.request.room;
      const address: RoomAddress = ref.kind === "int" ? { kind: "int", id: ref.id } : { kind: "str", id: ref.id };
      if (!rooms.has(roomLabelOf(address))) rooms.set(roomLabelOf(address), address);
    }
    return [...rooms.values()];
  }

  remember(address: RoomAddress): void {
    if (!this.touched.has(roomLabelOf(address))) this.touched.set(roomLabelOf(address), address);
  }

  view(address: RoomAddress): RoomView {
    return roomView(this.room(address), roomLabelOf(address));
  }

  /** Enters the room (a user already in it is replaced, as TRTC replaces a second login). Colour/tone default per user. */
  join(address: RoomAddress, input: JoinInput): RoomView {
    const userId = checkUserId(input.userId);
    const color = checkColor(input.color);
    const toneHz = checkTone(input.tone);
    const role = checkRole(input.role, ANCHOR);
    const room = this.room(address);
    if (room.isRobot(userId)) throw new AdminError(409, { field: "userId", message: `"${userId}" is a recording robot in room ${roomLabelOf(address)}; pick another UserId` });
    this.act(address, () => room.join(userId, { role, ...(color ? { color } : {}), ...(toneHz ? { toneHz } : {}) }));
    return this.view(address);
  }

  /** A user seen before enters again with the colour and tone it had. */
  rejoin(address: RoomAddress, input: { userId: unknown; role?: unknown }): RoomView {
    const userId = checkUserId(input.userId);
    const room = this.room(address);
    if (room.has(userId)) throw new AdminError(409, { field: "userId", message: `"${userId}" is already in room ${roomLabelOf(address)}` });
    const seen = room.history().some((i) => i.userId === userId && !i.robot);
    if (!seen) throw new AdminError(404, { field: "userId", message: `"${userId}" was never in room ${roomLabelOf(address)}; use join` });
    const role = checkRole(input.role, ANCHOR);
    this.act(address, () => room.join(userId, { role }));
    return this.view(address);
  }

  leave(address: RoomAddress, input: { userId: unknown }): RoomView {
    const userId = this.present(address, input.userId);
    this.act(address, () => this.room(address).leave(userId));
    return this.view(address);
  }

  setRole(address: RoomAddress, input: { userId: unknown; role: unknown }): RoomView {
    const userId = this.present(address, input.userId);
    const role = checkRole(input.role);
    this.act(address, () => this.room(address).setRole(userId, role));
    return this.view(address);
  }

  /** DismissRoom: everyone, recording robots included, leaves; their recordings stop (LeaveCode 2). */
  dismiss(address: RoomAddress): RoomView {
    const room = this.room(address);
    if (!room.exists) throw new AdminError(409, { field: "room", message: `room ${roomLabelOf(address)} is empty: there is nobody to dismiss (TRTC answers FailedOperation.RoomNotExist)` });
    this.act(address, () => room.dismiss());
    return this.view(address);
  }

  private present(address: RoomAddress, value: unknown): string {
    const userId = checkUserId(value);
    const room = this.room(address);
    if (!room.has(userId)) throw new AdminError(409, { field: "userId", message: `"${userId}" is not in room ${roomLabelOf(address)}` });
    if (room.isRobot(userId)) throw new AdminError(409, { field: "userId", message: `"${userId}" is a recording robot; stop its recording instead (DELETE /recordings/{id}, or dismiss the room)` });
    return userId;
  }

  private act(address: RoomAddress, action: () => void): void {
    this.remember(address);
    action();
    this.actions += 1;
  }
}
