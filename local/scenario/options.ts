// The scenario `npm start` plays, and its flags. Defaults: a 3-anchor room, about 10 seconds, Mode 12 (audio+video
// → MP4), IsReserve true, the class ended by dismissing the room.
import { parseArgs } from "node:util";

export type StopHow = "dismiss" | "delete" | "idle";

export interface RoomEventSpec {
  action: "join" | "leave";
  userId: string;
  /** Seconds after the recording is RUNNING. */
  atSeconds: number;
}

export interface ScenarioOptions {
  anchors: number;
  seconds: number;
  mode: "10" | "11" | "12";
  /** Integer room (ignored when strRoomId is set). */
  roomId: number;
  strRoomId?: string;
  isReserve: boolean;
  events: RoomEventSpec[];
  /** How the class ends: DismissRoom, DELETE /recordings/{id}, or everyone leaves and MaxIdleTime (300 s) runs out. */
  stop: StopHow;
  /** Where the recording, the contact sheet and result.json are written. */
  outDir?: string;
  /** Seconds to wait for the callback after the class ended. */
  callbackTimeoutSeconds: number;
}

export interface CliOptions {
  scenario: ScenarioOptions;
  /** Leave the local cloud running and print curl examples. */
  keep: boolean;
  /** Synthesize even when the stack is fresh. */
  resynth: boolean;
  /** Timer speed-up. */
  speed: number;
  /** Print every function log line. */
  verbose: boolean;
  /** Write the benchmark split here (JSON). */
  timingsJson?: string;
  help: boolean;
}

export const DEFAULT_SCENARIO: ScenarioOptions = {
  anchors: 3,
  seconds: 10,
  mode: "12",
  roomId: 1234,
  isReserve: true,
  events: [],
  stop: "dismiss",
  callbackTimeoutSeconds: 120,
};

export const USAGE = `npm start -- [flags]       (or: npx tsx local/cli.ts [flags])

Runs the synthesized recorder-local stack in an embedded local cloud and records a simulated TRTC room.

  --anchors N          anchors in the room (1-8)                              [3]
  --seconds S          seconds recorded before the class ends                 [10]
  --mode 10|11|12      10 audio → MP3, 11 video → MP4, 12 audio+video → MP4    [12]
  --room-id N          integer room id                                        [1234]
  --str-room-id S      a string room id instead
  --no-reserve         IsReserve false: a departed anchor's tile is freed
  --leave USER@SEC     USER leaves SEC seconds into the recording (repeatable), e.g. --leave anchor_2@4
  --join USER@SEC      USER joins SEC seconds into the recording (repeatable), e.g. --join anchor_4@6
  --stop HOW           dismiss (DismissRoom) | delete (DELETE /recordings/{id}) | idle (MaxIdleTime 300 s)  [dismiss]
  --out DIR            where the recording, contact sheet and result go       [a temp folder]
  --keep               leave the local cloud running and print curl examples for every route
  --resynth            synthesize even when cdktf.out is up to date
  --speed X            run timer triggers X times faster than the clock       [1]
  --verbose            print every function log line
  --timings-json FILE  write the benchmark split (synth, cold start, recording, delivery) as JSON
  -h, --help           this text`;

function eventSpec(action: "join" | "leave", text: string): RoomEventSpec | string {
  const m = /^([A-Za-z0-9_-]{1,32})@(\d+(?:\.\d+)?)$/.exec(text);
  if (!m) return `--${action} ${JSON.stringify(text)}: expected USER@SECONDS like anchor_2@4`;
  return { action, userId: m[1], atSeconds: Number(m[2]) };
}

function intIn(name: string, text: string | undefined, fallback: number, min: number, max: number, errors: string[]): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) errors.push(`--${name}: expected an integer ${min}..${max}, got ${JSON.stringify(text)}`);
  return n;
}

export function parseCliArgs(argv: string[]): { ok: true; options: CliOptions } | { ok: false; errors: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        anchors: { type: "string" },
        seconds: { type: "string" },
        mode: { type: "string" },
        "room-id": { type: "string" },
        "str-room-id": { type: "string" },
        "no-reserve": { type: "boolean" },
        leave: { type: "string", multiple: true },
        join: { type: "string", multiple: true },
        stop: { type: "string" },
        out: { type: "string" },
        keep: { type: "boolean" },
        resynth: { type: "boolean" },
        speed: { type: "string" },
        verbose: { type: "boolean" },
        "timings-json": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    return { ok: false, errors: [e instanceof Error ? e.message : String(e)] };
  }
  const v = parsed.values;
  const errors: string[] = [];
  const seconds = v.seconds === undefined ? DEFAULT_SCENARIO.seconds : Number(v.seconds);
  if (!(seconds > 0 && seconds <= 3600)) errors.push(`--seconds: expected a number of seconds in (0, 3600], got ${JSON.stringify(v.seconds)}`);
  const mode = v.mode ?? DEFAULT_SCENARIO.mode;
  if (mode !== "10" && mode !== "11" && mode !== "12") errors.push(`--mode: expected 10, 11 or 12, got ${JSON.stringify(mode)}`);
  const stop = v.stop ?? DEFAULT_SCENARIO.stop;
  if (stop !== "dismiss" && stop !== "delete" && stop !== "idle") errors.push(`--stop: expected dismiss, delete or idle, got ${JSON.stringify(stop)}`);
  const speed = v.speed === undefined ? 1 : Number(v.speed);
  if (!(speed > 0)) errors.push(`--speed: expected a number > 0, got ${JSON.stringify(v.speed)}`);
  const events: RoomEventSpec[] = [];
  for (const [action, list] of [["join", v.join ?? []], ["leave", v.leave ?? []]] as const) {
    for (const text of list) {
      const e = eventSpec(action, text);
      if (typeof e === "string") errors.push(e);
      else events.push(e);
    }
  }
  const scenario: ScenarioOptions = {
    ...DEFAULT_SCENARIO,
    anchors: intIn("anchors", v.anchors, DEFAULT_SCENARIO.anchors, 1, 8, errors),
    seconds,
    mode: mode as ScenarioOptions["mode"],
    roomId: intIn("room-id", v["room-id"], DEFAULT_SCENARIO.roomId, 1, 4294967294, errors),
    strRoomId: v["str-room-id"],
    isReserve: !v["no-reserve"],
    events: events.sort((a, b) => a.atSeconds - b.atSeconds),
    stop: stop as StopHow,
    outDir: v.out,
  };
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    options: { scenario, keep: Boolean(v.keep), resynth: Boolean(v.resynth), speed, verbose: Boolean(v.verbose), timingsJson: v["timings-json"], help: Boolean(v.help) },
  };
}
