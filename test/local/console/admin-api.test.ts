// The admin API of a running local cloud, with plain HTTP: room control produces TRTC's room events, bad input is
// refused naming the field, the recording form is validated exactly as POST /record validates, a recording driven
// through the API reaches FINISHED with its file (Range-served), contact sheet, callback and masked logs, and
// `npm run room` drives the same rooms from a separate process.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../infra/app";
import { startLocalCloud, type LocalCloud } from "../../../local/cloud";
import { startConsole, type LocalConsole } from "../../../local/console/server";
import { parseRoomArgs } from "../../../local/room-cli";
import { cloudSecrets, EventStreamReader, type RecordingState, type StateSnapshot } from "./support";

const run = promisify(execFile);
let cloud: LocalCloud;
let web: LocalConsole;
let dir: string;
let discovery: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "console-admin-test-"));
  discovery = join(dir, "local-cloud.json");
  cloud = await startLocalCloud({ retryDelaysMs: [300, 600] });
  web = await startConsole(cloud, { discoveryFile: discovery });
}, 600_000);

afterAll(async () => {
  await web?.close();
  await cloud?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${web.adminUrl}${path}`, { method, headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const roomEvents = (type: number, userId: string) => cloud.trtc.events.emitted.filter((e) => e.body.EventType === type && (e.body.EventInfo as { UserId?: string }).UserId === userId);

describe("room control", () => {
  it("joins an anchor with its colour and tone, changes its role, makes it leave and rejoin, and dismisses the room", async () => {
    const joined = await call("POST", "/rooms/4001/join", { userId: "anchor_a", color: "cyan", tone: 1300 });
    expect(joined.status).toBe(200);
    expect(joined.json).toMatchObject({ label: "4001", exists: true, members: [{ userId: "anchor_a", role: "anchor", color: "cyan", toneHz: 1300, robot: false }] });
    expect(roomEvents(103, "anchor_a")).toHaveLength(1);

    expect((await call("POST", "/rooms/4001/role", { userId: "anchor_a", role: "audience" })).json).toMatchObject({ members: [{ userId: "anchor_a", role: "audience" }] });
    expect(roomEvents(105, "anchor_a")).toHaveLength(1);
    await call("POST", "/rooms/4001/role", { userId: "anchor_a", role: "anchor" });

    const left = await call("POST", "/rooms/4001/leave", { userId: "anchor_a" });
    expect(left.json).toMatchObject({ exists: false, members: [], departed: [{ userId: "anchor_a", color: "cyan", toneHz: 1300 }] });
    expect((roomEvents(104, "anchor_a")[0].body.EventInfo as { Reason?: number }).Reason).toBe(1);

    const back = await call("POST", "/rooms/4001/rejoin", { userId: "anchor_a" });
    expect(back.json).toMatchObject({ members: [{ userId: "anchor_a", color: "cyan", toneHz: 1300, role: "anchor" }] });
    await call("POST", "/rooms/4001/join", { userId: "anchor_b" });

    const dismissed = await call("POST", "/rooms/4001/dismiss");
    expect(dismissed.json).toMatchObject({ exists: false, members: [] });
    expect(cloud.trtc.room(cloud.trtcApp.sdkAppId, 4001).memberIds()).toEqual([]);
  });

  it("addresses string rooms as str:<StrRoomId>, apart from the integer room of the same digits", async () => {
    await call("POST", `/rooms/${encodeURIComponent("str:math 101")}/join`, { userId: "t1", color: "#ff8800", tone: 440 });
    expect(cloud.trtc.room(cloud.trtcApp.sdkAppId, "math 101").memberIds()).toEqual(["t1"]);
    const view = await call("GET", `/rooms/${encodeURIComponent("str:math 101")}`);
    expect(view.json).toMatchObject({ kind: "str", roomId: "math 101", members: [{ userId: "t1", color: "#ff8800", toneHz: 440 }] });
    await call("POST", `/rooms/${encodeURIComponent("str:math 101")}/dismiss`);
  });

  it("refuses bad input naming the field, what was expected and what was given", async () => {
    const cases: Array<[string, unknown, number, Record<string, unknown>]> = [
      ["/rooms/4002/join", { userId: "anchor!" }, 400, { field: "userId", got: '"anchor!"' }],
      ["/rooms/4002/join", { userId: "a1", color: "sky" }, 400, { field: "color", got: '"sky"' }],
      ["/rooms/4002/join", { userId: "a1", tone: 5 }, 400, { field: "tone", expected: "a tone in Hz, an integer 20..8000", got: "5" }],
      ["/rooms/4002/join", { userId: "a1", role: "teacher" }, 400, { field: "role", got: '"teacher"' }],
      ["/rooms/abc/join", { userId: "a1" }, 400, { field: "room", expected: "an integer room id 1..4294967294 (use StrRoomId for string rooms)", got: '"abc"' }],
      ["/rooms/4002/leave", { userId: "ghost" }, 409, { field: "userId", message: '"ghost" is not in room 4002' }],
      ["/rooms/4002/rejoin", { userId: "never" }, 404, { field: "userId", message: '"never" was never in room 4002; use join' }],
      ["/rooms/4002/dismiss", {}, 409, { field: "room" }],
    ];
    for (const [path, body, status, error] of cases) {
      const res = await call("POST", path, body);
      expect({ path, status: res.status, error: res.json.error }).toMatchObject({ path, status, error });
    }
    const notJson = await fetch(`${web.adminUrl}/rooms/4002/join`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" });
    expect(await notJson.json()).toEqual({ error: { field: "(body)", message: "expected a JSON object, got text that is not JSON (1 bytes)" } });
  });

  it("answers only requests addressed to itself, and refuses cross-site writes", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: web.port, path: "/api/stack", headers: { Host: "evil.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(421);
    const cross = await call("POST", "/rooms/4003/join", { userId: "x1" }, { Origin: "http://evil.example" });
    expect(cross.status).toBe(403);
    expect(cloud.trtc.room(cloud.trtcApp.sdkAppId, 4003).has("x1")).toBe(false);
  });
});

describe("the recording form", () => {
  it("is validated by the recorder's contract: an invalid form is not sent, and sent anyway it fails with the same errors", async () => {
    const defaults = (await call("GET", "/form-defaults")).json;
    const form = { ...defaults, RoomId: "4010", Mode: "13", CosConfig: { ...(defaults.CosConfig as object), Bucket: "x" } };
    const checked = await call("POST", "/recordings/validate", form);
    const errors = checked.json.errors as Array<{ field: string }>;
    expect(errors.map((e) => e.field)).toEqual(["CosConfig.Bucket", "Mode"]);

    // Other invocations (timers, room events) may run meanwhile; POST /record must not be among them.
    const starts = () => cloud.runtime.log.records.filter((r) => r.trigger === "apigw" && /"path":"[^"]*\/record"/.test(r.event)).length;
    const before = starts();
    const refused = await call("POST", "/recordings", form);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ ok: false, errors });
    expect(starts()).toBe(before);

    const forced = await call("POST", "/recordings?force=1", form);
    expect(forced.status).toBe(202);
    const id = forced.json.recordingId as string;
    expect(starts()).toBe(before + 1);
    await cloud.runtime.idle();
    const view = (await call("GET", `/recordings/${id}`)).json as unknown as RecordingState;
    expect(view.state).toBe("FAILED");
    expect(view.status?.errors).toEqual(errors);
  });
});

describe("a recording driven through the admin API, and `npm run room`", () => {
  it("reaches FINISHED live (server-sent events) with its roster, file, contact sheet, callback and masked logs", async () => {
    const stream = new EventStreamReader(`${web.adminUrl}/events`);
    try {
      for (const [userId, color, tone] of [["anchor_1", "red", 300], ["anchor_2", "lime", 500]] as const) await call("POST", "/rooms/4020/join", { userId, color, tone });
      const defaults = (await call("GET", "/form-defaults")).json;
      const started = await call("POST", "/recordings", { ...defaults, RoomId: "4020" });
      expect(started.status).toBe(202);
      const id = started.json.recordingId as string;
      const running = await stream.waitFor<StateSnapshot>("state", (s) => s.recordings.some((r) => r.id === id && r.state === "RUNNING" && (r.task?.tiles.length ?? 0) === 2), 90_000);
      expect(running.recordings.find((r) => r.id === id)?.task?.tiles.map((t) => [t.userId, t.color, t.live])).toEqual([
        ["anchor_1", "red", true],
        ["anchor_2", "lime", true],
      ]);

      // The CLI, as a script would run it: the running cloud is found through the discovery file.
      const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", join(REPO_ROOT, "local/room-cli.ts"), ...args, "--room", "4020", "--cloud-file", discovery], { cwd: REPO_ROOT });
      const joined = await cli("join", "anchor_4", "--color", "cyan", "--tone", "1300");
      expect(joined.stdout).toContain("anchor_4       anchor   cyan 1300 Hz");
      await stream.waitFor<StateSnapshot>("state", (s) => s.recordings.some((r) => r.id === id && r.task?.tiles.some((t) => t.userId === "anchor_4" && t.color === "cyan")), 60_000);
      expect((await cli("role", "anchor_4", "audience")).stdout).toContain("anchor_4       audience cyan 1300 Hz");
      expect((await cli("leave", "anchor_4")).stdout).toContain("left: anchor_4");
      expect((await cli("dismiss")).stdout).toContain("room 4020: empty");

      const finished = await stream.waitFor<StateSnapshot>("state", (s) => s.recordings.some((r) => r.id === id && (r.state === "FINISHED" || r.state === "FAILED")), 120_000);
      const rec = finished.recordings.find((r) => r.id === id) as RecordingState;
      expect(rec.state).toBe("FINISHED");
      expect(rec.files).toHaveLength(1);
      const stored = cloud.cos.getObjectDirect(rec.files[0].bucket, rec.files[0].key) as Buffer;
      const ranged = await fetch(`${web.url}${rec.files[0].href.slice(1)}`, { headers: { Range: "bytes=0-99" } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get("content-range")).toBe(`bytes 0-99/${stored.length}`);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(stored.subarray(0, 100))).toBe(true);
      const sheet = await fetch(`${web.adminUrl}/recordings/${id}/contact-sheet.png`);
      expect(sheet.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await sheet.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
      const accepted = cloud.callbackSink.received.filter((c) => c.status === 200 && JSON.stringify(c.json).includes(rec.files[0].url));
      expect(rec.callback?.body).toEqual(accepted[0].json);

      const logs = await call("GET", `/logs?recordingId=${id}`);
      const lines = logs.json.lines as Array<{ requestId: string; text: string }>;
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.some((l) => l.requestId === id)).toBe(true);
      const everything = JSON.stringify([logs.json, await call("GET", "/state"), await call("GET", "/logs?consoleReads=1&limit=5000")]);
      for (const secret of cloudSecrets(cloud)) expect(everything.includes(secret)).toBe(false);
    } finally {
      await stream.close();
    }
  });

  it("says plainly when no local cloud is running, and refuses malformed commands with usage", async () => {
    const cliFile = join(REPO_ROOT, "local/room-cli.ts");
    const missing = await run(process.execPath, ["--import", "tsx", cliFile, "show", "--cloud-file", join(dir, "none.json")], { cwd: REPO_ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("no running local cloud found") });
    const stale = join(dir, "stale.json");
    writeFileSync(stale, JSON.stringify({ ...JSON.parse(readFileSync(discovery, "utf8")), pid: 2 ** 22 + 7 }));
    const dead = await run(process.execPath, ["--import", "tsx", cliFile, "show", "--cloud-file", stale], { cwd: REPO_ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect(dead).toMatchObject({ code: 1, stderr: expect.stringContaining("is no longer running") });

    expect(parseRoomArgs(["join"])).toEqual({ ok: false, errors: ["join: expected a UserId, e.g. `join anchor_4`"] });
    expect(parseRoomArgs(["role", "anchor_4"])).toEqual({ ok: false, errors: ["role: expected the new role after the UserId: anchor or audience"] });
    expect(parseRoomArgs(["kick", "x"])).toEqual({ ok: false, errors: ['unknown command "kick": expected join, leave, rejoin, role, dismiss or show'] });
    expect(parseRoomArgs(["dismiss", "--room", "1", "--str-room", "a"])).toEqual({ ok: false, errors: ["give --room or --str-room, not both"] });
    expect(parseRoomArgs(["join", "anchor_4", "--color", "cyan", "--tone", "1300"])).toMatchObject({ ok: true, args: { command: { action: "join", body: { userId: "anchor_4", color: "cyan", tone: 1300 } } } });
  });
});
