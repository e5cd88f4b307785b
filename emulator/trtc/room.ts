// One TRTC room as the double sees it: who is in it, in which role, publishing which (synthetic) media, and the
// complete presence history a mixed recording is later rendered from. Tests script it directly
// (join/leave/setRole); the server APIs (RemoveUser, DismissRoom) and recording robots go through the same methods.
import type { Clock } from "./clock";

export const ANCHOR = 20;
export const AUDIENCE = 21;
export type Role = typeof ANCHOR | typeof AUDIENCE;

/** Integer rooms and string rooms are separate namespaces in TRTC: room 1234 and room "1234" differ. */
export type RoomRef = { kind: "int"; id: number } | { kind: "str"; id: string };

export function roomRef(roomId: number | string): RoomRef {
  return typeof roomId === "number" ? { kind: "int", id: roomId } : { kind: "str", id: roomId };
}

export function roomKey(sdkAppId: number, ref: RoomRef): string {
  return `${sdkAppId}/${ref.kind}/${ref.id}`;
}

/** What an anchor publishes: a solid colour (ffmpeg colour name or #RRGGBB) and a sine tone. */
export interface MemberMedia {
  color: string;
  toneHz: number;
}

export interface JoinOptions {
  /** 20 anchor (publishes), 21 audience (does not). @default 20 */
  role?: Role;
  /** @default a distinct colour per user, in order of first entry */
  color?: string;
  /** @default a distinct tone per user, in order of first entry */
  toneHz?: number;
  /** Reported in the 103 event. @default 2 */
  terminalType?: number;
}

/** One stretch of one user's presence in one role; `toMs` null while it lasts. */
export interface PresenceInterval {
  userId: string;
  role: Role;
  media: MemberMedia;
  fromMs: number;
  toMs: number | null;
  robot: boolean;
}

/** Why a user is no longer in the room; the exit event's Reason and a robot's LeaveCode derive from it. */
export type ExitCause = "left" | "timeout" | "removed" | "dismissed" | "replaced";

export type RoomEventType = 101 | 102 | 103 | 104 | 105;

export interface RoomEvent {
  type: RoomEventType;
  atMs: number;
  /** Empty for 101/102. */
  userId: string;
  role?: Role;
  reason?: number;
  terminalType?: number;
  /** True when the user is a recording robot (the simulator decides whether such events are published). */
  robot: boolean;
}

export interface RoomObserver {
  onRoomEvent(room: Room, event: RoomEvent): void;
  /** A user entered, left or changed role; recording tasks re-check their idle timers. */
  onMembershipChange(room: Room): void;
  /** A user's presence ended; a recording robot's task stops when it is its own UserId. */
  onMemberGone(room: Room, userId: string, cause: ExitCause): void;
}

// Distinct, well-separated colours and tones (≥ 200 Hz apart, no harmonics of one another below 2 kHz) so
// tests can tell every default anchor apart by tile colour and by band-pass level.
const DEFAULT_COLORS = ["red", "lime", "blue", "yellow", "cyan", "magenta", "white", "orange"];
const DEFAULT_TONES = [300, 500, 700, 1100, 1300, 1700, 1900, 2300];

// TRTC exit reasons (room event 104): 1 normal exit, 2 timed out, 3 removed from the room.
const EXIT_REASON: Record<ExitCause, number> = { left: 1, timeout: 2, removed: 3, dismissed: 3, replaced: 3 };

interface Member {
  userId: string;
  role: Role;
  media: MemberMedia;
  robot: boolean;
  interval: PresenceInterval;
}

export class Room {
  private readonly members = new Map<string, Member>();
  private readonly intervals: PresenceInterval[] = [];
  private readonly mediaByUser = new Map<string, MemberMedia>();

  constructor(
    readonly sdkAppId: number,
    readonly ref: RoomRef,
    private readonly clock: Clock,
    private readonly observer: RoomObserver,
  ) {}

  /** RoomId as TRTC reports it in callbacks: a number for integer rooms, a string for string rooms. */
  get roomId(): number | string {
    return this.ref.id;
  }

  /** True while anyone (a recording robot included) is in the room. */
  get exists(): boolean {
    return this.members.size > 0;
  }

  has(userId: string): boolean {
    return this.members.has(userId);
  }

  isRobot(userId: string): boolean {
    return this.members.get(userId)?.robot ?? false;
  }

  /** Users in the room now, in entry order. */
  memberIds(): string[] {
    return [...this.members.keys()];
  }

  /** Anchors (role 20, robots never) in the room now. */
  anchorIds(): string[] {
    return [...this.members.values()].filter((m) => m.role === ANCHOR && !m.robot).map((m) => m.userId);
  }

  /** Every presence interval since the room was first used, open ones included (a copy). */
  history(): PresenceInterval[] {
    return this.intervals.map((i) => ({ ...i }));
  }

  /**
   * A user enters. A second entry with a UserId already in the room replaces the first session, as TRTC does
   * ("kick" on the client): the old one exits, then the new one enters.
   */
  join(userId: string, opts: JoinOptions = {}): void {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(userId)) {
      throw new Error(`Room.join: userId must be 1-32 letters, digits, "_" or "-" (got "${userId}")`);
    }
    this.enter(userId, opts.role ?? ANCHOR, this.mediaFor(userId, opts), false, opts.terminalType ?? 2);
  }

  /** The recording robot enters as an invisible receiving user (never mixed, never an anchor). */
  joinRobot(userId: string): void {
    this.enter(userId, AUDIENCE, { color: "black", toneHz: 0 }, true, 1);
  }

  leave(userId: string): void {
    this.exit(userId, "left");
  }

  /** The user's connection is lost; TRTC reports exit reason 2 (timed out). */
  drop(userId: string): void {
    this.exit(userId, "timeout");
  }

  /** Used by RemoveUser: exits with reason 3, a robot's task stops with LeaveCode 1. */
  remove(userId: string): void {
    this.exit(userId, "removed");
  }

  /** Used by DismissRoom: everyone, robots included, exits. */
  dismiss(): void {
    for (const userId of [...this.members.keys()]) this.exit(userId, "dismissed");
  }

  setRole(userId: string, role: Role): void {
    const m = this.members.get(userId);
    if (!m) throw new Error(`Room.setRole: "${userId}" is not in room ${String(this.ref.id)}`);
    if (m.robot) throw new Error(`Room.setRole: "${userId}" is a recording robot`);
    if (m.role === role) return;
    const now = this.clock.now();
    m.interval.toMs = now;
    m.role = role;
    m.interval = { userId, role, media: m.media, fromMs: now, toMs: null, robot: false };
    this.intervals.push(m.interval);
    this.observer.onRoomEvent(this, { type: 105, atMs: now, userId, role, robot: false });
    this.observer.onMembershipChange(this);
  }

  private mediaFor(userId: string, opts: JoinOptions): MemberMedia {
    const known = this.mediaByUser.get(userId);
    const index = known ? 0 : this.mediaByUser.size;
    const media = {
      color: opts.color ?? known?.color ?? DEFAULT_COLORS[index % DEFAULT_COLORS.length],
      toneHz: opts.toneHz ?? known?.toneHz ?? DEFAULT_TONES[index % DEFAULT_TONES.length],
    };
    this.mediaByUser.set(userId, media);
    return media;
  }

  private enter(userId: string, role: Role, media: MemberMedia, robot: boolean, terminalType: number): void {
    if (this.members.has(userId)) this.exit(userId, "replaced");
    const now = this.clock.now();
    if (this.members.size === 0) this.observer.onRoomEvent(this, { type: 101, atMs: now, userId: "", robot: false });
    const interval: PresenceInterval = { userId, role, media, fromMs: now, toMs: null, robot };
    this.intervals.push(interval);
    this.members.set(userId, { userId, role, media, robot, interval });
    this.observer.onRoomEvent(this, { type: 103, atMs: now, userId, role, reason: 1, terminalType, robot });
    this.observer.onMembershipChange(this);
  }

  private exit(userId: string, cause: ExitCause): void {
    const m = this.members.get(userId);
    if (!m) return;
    const now = this.clock.now();
    m.interval.toMs = now;
    this.members.delete(userId);
    this.observer.onRoomEvent(this, { type: 104, atMs: now, userId, role: m.role, reason: EXIT_REASON[cause], robot: m.robot });
    if (this.members.size === 0) this.observer.onRoomEvent(this, { type: 102, atMs: now, userId: "", robot: false });
    this.observer.onMemberGone(this, userId, cause);
    this.observer.onMembershipChange(this);
  }
}
