// `npm run room -- <command>`: drive a simulated TRTC room of a running `npm start -- --keep` from scripts, through
// its admin API (found via .tmp/local-cloud.json, or --url). Prints the room after each action.
import { parseArgs } from "node:util";
import { DEFAULT_DISCOVERY_FILE, readDiscovery } from "./admin/discovery";

export const ROOM_USAGE = `npm run room -- <command> [flags]      (or: npx tsx local/room-cli.ts …)

Drives a simulated TRTC room of a running \`npm start -- --keep\` (its admin API).

  join USER [--color C] [--tone HZ] [--role anchor|audience]   USER enters (a colour name or #RRGGBB, a tone in Hz)
  leave USER                                                 USER leaves (exit reason 1)
  rejoin USER                                                USER enters again with its colour and tone
  role USER anchor|audience                                  change USER's role (room event 105)
  dismiss                                                    DismissRoom: everyone leaves, recordings stop
  show                                                       print the room

  --room R         the room: an integer id, or str:<StrRoomId>       [the console's default room, 1234]
  --str-room S     a string room (same as --room str:S)
  --url URL        the admin API (http://127.0.0.1:<port>/api)        [read from --cloud-file]
  --cloud-file F   the file a running local cloud writes             [.tmp/local-cloud.json]
  --json           print the admin API's JSON answer
  -h, --help       this text

Examples:
  npm run room -- join anchor_4 --color cyan --tone 1300
  npm run room -- role anchor_4 audience
  npm run room -- leave anchor_4
  npm run room -- dismiss --room 1234`;

interface Member {
  userId: string;
  role: string;
  color: string;
  toneHz: number;
  robot: boolean;
}
interface RoomView {
  label: string;
  exists: boolean;
  members: Member[];
  departed: Array<{ userId: string }>;
}
type ApiError = { field: string; message?: string; expected?: string; got?: string };

export type Command = { action: "join" | "leave" | "rejoin" | "role" | "dismiss" | "show"; body: Record<string, unknown> };

export interface RoomCliArgs {
  command: Command;
  room?: string;
  url?: string;
  cloudFile: string;
  json: boolean;
}

/** Parses argv; errors name the flag or argument and what was expected. */
export function parseRoomArgs(argv: string[]): { ok: true; args: RoomCliArgs } | { ok: false; errors: string[] } | { ok: "help" } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        color: { type: "string" },
        tone: { type: "string" },
        role: { type: "string" },
        room: { type: "string" },
        "str-room": { type: "string" },
        url: { type: "string" },
        "cloud-file": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    return { ok: false, errors: [e instanceof Error ? e.message : String(e)] };
  }
  const v = parsed.values;
  if (v.help) return { ok: "help" };
  const [action, user, extra, ...rest] = parsed.positionals;
  const errors: string[] = [];
  const needUser = (a: string) => {
    if (!user) errors.push(`${a}: expected a UserId, e.g. \`${a} anchor_4\``);
  };
  let command: Command | undefined;
  switch (action) {
    case "join":
      needUser("join");
      command = { action, body: { userId: user, color: v.color, tone: v.tone === undefined ? undefined : /^\d+$/.test(v.tone) ? Number(v.tone) : v.tone, role: v.role } };
      break;
    case "leave":
    case "rejoin":
      needUser(action);
      command = { action, body: { userId: user, ...(action === "rejoin" && v.role ? { role: v.role } : {}) } };
      break;
    case "role": {
      needUser("role");
      const role = extra ?? v.role;
      if (!role) errors.push("role: expected the new role after the UserId: anchor or audience");
      command = { action, body: { userId: user, role } };
      break;
    }
    case "dismiss":
    case "show":
      command = { action, body: {} };
      if (user) errors.push(`${action}: takes no UserId (got ${JSON.stringify(user)}); use --room to name the room`);
      break;
    case undefined:
      errors.push("expected a command: join, leave, rejoin, role, dismiss or show");
      break;
    default:
      errors.push(`unknown command ${JSON.stringify(action)}: expected join, leave, rejoin, role, dismiss or show`);
  }
  if (action !== "role" && extra !== undefined) errors.push(`unexpected argument ${JSON.stringify(extra)}`);
  if (rest.length) errors.push(`unexpected arguments ${rest.map((r) => JSON.stringify(r)).join(" ")}`);
  if (v.room !== undefined && v["str-room"] !== undefined) errors.push("give --room or --str-room, not both");
  if (errors.length || !command) return { ok: false, errors };
  const room = v["str-room"] !== undefined ? `str:${v["str-room"]}` : v.room;
  return { ok: true, args: { command, room, url: v.url, cloudFile: v["cloud-file"] ?? DEFAULT_DISCOVERY_FILE, json: Boolean(v.json) } };
}

export function describeRoom(view: RoomView): string {
  const lines = [`room ${view.label}: ${view.exists ? `${view.members.length} user(s)` : "empty"}`];
  for (const m of view.members) lines.push(`  ${m.userId.padEnd(14)} ${m.robot ? "recording robot" : `${m.role.padEnd(8)} ${m.color} ${m.toneHz} Hz`}`);
  if (view.departed.length) lines.push(`  left: ${view.departed.map((d) => d.userId).join(", ")}`);
  return lines.join("\n");
}

function errorText(e: ApiError): string {
  return e.message !== undefined ? `${e.field}: ${e.message}` : `${e.field}: expected ${e.expected}, got ${e.got}`;
}

/** Runs one command; returns the exit code and what to print. */
export async function runRoomCommand(args: RoomCliArgs): Promise<{ code: number; out: string }> {
  let base = args.url;
  if (!base) {
    const found = readDiscovery(args.cloudFile);
    if (!found.ok) return { code: 1, out: found.reason };
    base = found.info.adminUrl;
  }
  base = base.replace(/\/+$/, "");
  let room = args.room;
  if (room === undefined) {
    const defaults = await fetch(`${base}/form-defaults`).then((r) => r.json() as Promise<{ RoomId?: string; StrRoomId?: string }>).catch(() => undefined);
    if (!defaults) return { code: 1, out: `cannot reach the admin API at ${base}: is \`npm start -- --keep\` still running?` };
    room = defaults.StrRoomId ? `str:${defaults.StrRoomId}` : String(defaults.RoomId ?? "1234");
  }
  const path = `${base}/rooms/${encodeURIComponent(room)}${args.command.action === "show" ? "" : `/${args.command.action}`}`;
  let res: Response;
  try {
    res = await fetch(path, args.command.action === "show" ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(args.command.body) });
  } catch {
    return { code: 1, out: `cannot reach the admin API at ${base}: is \`npm start -- --keep\` still running?` };
  }
  const json = (await res.json()) as RoomView & { error?: ApiError };
  if (args.json) return { code: res.ok ? 0 : 1, out: JSON.stringify(json, null, 2) };
  if (!res.ok) return { code: 1, out: json.error ? errorText(json.error) : `HTTP ${res.status}` };
  return { code: 0, out: describeRoom(json) };
}

async function main(): Promise<number> {
  const parsed = parseRoomArgs(process.argv.slice(2));
  if (parsed.ok === "help") {
    console.log(ROOM_USAGE);
    return 0;
  }
  if (!parsed.ok) {
    console.error(`${parsed.errors.join("\n")}\n\n${ROOM_USAGE}`);
    return 2;
  }
  const { code, out } = await runRoomCommand(parsed.args);
  (code === 0 ? console.log : console.error)(out);
  return code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
