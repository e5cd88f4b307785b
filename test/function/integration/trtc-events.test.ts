// POST /trtc-events: Sign verification, the idempotent event log, and recording events that start delivery at once.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { recordOnly, type RoomEventHook } from "../../../function/roster/on-room-event";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

const roomEvent = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ EventGroupId: 1, EventType: 103, CallbackTs: Date.now(), EventInfo: { RoomId: 1234, EventTs: 1, EventMsTs: Date.now(), UserId: "alice", UniqueId: 7, Role: 20, Reason: 1, ...over } });

function signed(body: string, key: string = HARNESS.secrets.trtcEventKey) {
  return createHmac("sha256", key).update(body).digest("base64");
}

async function post(body: string, headers: Record<string, string>) {
  return h.recorderApi(h.apigwRequest("POST", "/trtc-events", body, { sdkappid: String(HARNESS.sdkAppId), ...headers }));
}

describe("TRTC event callbacks", () => {
  it("refuses a missing or wrong Sign with 401 and keeps nothing", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    const body = roomEvent();
    expect((await post(body, {})).statusCode).toBe(401);
    expect((await post(body, { sign: signed(body, "WrongKey") })).statusCode).toBe(401);
    expect((await post(body, { sign: signed(`${body} `) })).statusCode).toBe(401);
    expect(await h.stateKeys("events/")).toEqual([]);
  });

  it("accepts a signed event with 200 {code:0} and logs it once per event, however often TRTC retries", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    const body = roomEvent();
    const res = await post(body, { sign: signed(body) });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ code: 0 });
    // A retry with a later CallbackTs is the same event.
    const retry = body.replace(/"CallbackTs":\d+/, `"CallbackTs":${Date.now() + 10_000}`);
    expect((await post(retry, { sign: signed(retry) })).statusCode).toBe(200);
    const keys = await h.stateKeys("events/");
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^events/${HARNESS.sdkAppId}/i-1234/\\d{15}-103-[0-9a-f]{16}\\.json$`));
    // A different event in the same room is another entry.
    const leave = roomEvent({ UserId: "alice", UniqueId: 8 }).replace('"EventType":103', '"EventType":104');
    await post(leave, { sign: signed(leave) });
    expect(await h.stateKeys("events/")).toHaveLength(2);
  });

  it("hands room events to the roster seam, with the room's running recordings", async () => {
    const seen: Array<[number, string[]]> = [];
    const hook: RoomEventHook = async (ctx) => {
      seen.push([ctx.event.type, (await ctx.recordings()).map((r) => r.recordingId)]);
      await recordOnly(ctx);
    };
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, onRoomEvent: hook });
    const body = roomEvent();
    await post(body, { sign: signed(body) });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "rec-room" });
    const later = roomEvent({ UserId: "bob", UniqueId: 9 });
    await post(later, { sign: signed(later) });
    expect(seen).toEqual([
      [103, []],
      [103, ["rec-room"]],
    ]);
  });

  it("answers 503 (and refuses) when the event key was never provisioned", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, provision: { trtcEventKey: false } });
    const body = roomEvent();
    const res = await post(body, { sign: signed(body) });
    expect(res.statusCode).toBe(503);
  });

  it("with TRTC's callbacks configured: a kick's 302 names the reason, 310 starts delivery, and room events are counted", async () => {
    const d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver, trtcEvents: true });
    const room = h.trtc.room(HARNESS.sdkAppId, 1234);
    room.join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "rec-ev" });
    await h.trtc.advance(5_000);
    room.join("student");
    await h.trtc.advance(15_000);
    room.remove("recorder_1");
    await h.settleTrtc();

    const delivered = h.trtc.events.deliveries.filter((x) => x.outcome === 200).map((x) => x.eventType);
    expect(delivered).toEqual(expect.arrayContaining([103, 301, 302, 310]));
    expect(h.trtc.events.deliveries.every((x) => x.outcome === 200)).toBe(true);
    const reasons = h.scf.accepted.map((i) => (i.event as { reason?: string }).reason);
    expect(reasons).toEqual(expect.arrayContaining(["recording-stopped", "upload-finished"]));

    await h.runQueued();
    const record = await h.record("rec-ev");
    expect(record).toMatchObject({ status: "FINISHED", stop: { reason: "recorder-kicked", detail: "LeaveCode 1" } });
    expect(record?.files.map((f) => f.fileName)).toEqual([expect.stringMatching(/\.m4a$/)]);
    expect(record?.roster).toMatchObject({ rulesApplied: true, note: expect.stringMatching(/^applied/) });
    expect(record?.roster?.roomEvents).toBeGreaterThanOrEqual(1);
    expect(d.calls).toHaveLength(1);
  });
});
