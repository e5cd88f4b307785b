// A recording's life after the start, with the TRTC double ending tasks the ways the seed's stop conditions do
// (no anchor for 300 s, the recorder kicked, an explicit stop) and the watchdog finding them without any event.
import { trtc as trtcSdk } from "tencentcloud-sdk-nodejs/tencentcloud/services/trtc";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tc3AgentFor } from "../../../emulator/endpoints";
import { createClaims } from "../../../function/state/claims";
import { createLeases } from "../../../function/state/leases";
import { scriptedDeliver, type ScriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
let d: ScriptedDeliver;
const ROOM = 1234;
const CALLER_KEYS = { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey };

async function startClass(id: string, over: Record<string, unknown> = {}, cos: Record<string, unknown> = {}) {
  h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher");
  await h.recorder(h.apigwPost("/record", h.recordRequest(over, cos)), { requestId: id });
  await h.trtc.advance(20_000);
}

/** The anchors leave; after MaxIdleTime (300 s) TRTC ends the task and uploads. */
async function emptyRoomUntilIdle() {
  h.trtc.room(HARNESS.sdkAppId, ROOM).leave("teacher");
  await h.trtc.advance(300_000);
  await h.settleTrtc();
}

async function watchdog() {
  return (await h.recorder(h.timerEvent())) as { deliveriesStarted: string[]; rekicked: string[]; failed: string[] };
}

beforeEach(async () => {
  d = scriptedDeliver();
  h = await startRecorderHarness({ deliver: d.deliver });
});
afterEach(async () => {
  await h.close();
});

describe("stop conditions end in delivery", () => {
  it("no anchor for 300 s: TRTC ends the task, the watchdog finds it and delivery finishes the recording", async () => {
    await startClass("rec-idle");
    const task = h.trtc.tasks()[0];
    expect((await watchdog()).deliveriesStarted).toEqual([]);
    await emptyRoomUntilIdle();
    expect(task.leaveCode).toBe(99);

    expect((await watchdog()).deliveriesStarted).toEqual(["rec-idle"]);
    await h.runQueued();
    const record = await h.record("rec-idle");
    expect(record).toMatchObject({ status: "FINISHED", stop: { reason: "task-exited" }, delivery: { invocations: 1, sourcesDeleted: true } });
    expect(record?.history.map((s) => s.status)).toEqual(["STARTING", "RUNNING", "DELIVERING", "FINISHED"]);
    // The delivered object is where the contract says, and staging is empty.
    const target = record?.target;
    expect(target?.key).toMatch(/^classes\/1234_recorder_1_\d{8}T\d{6}Z\.mp3$/);
    expect(h.cos.getObjectDirect(HARNESS.buckets.caller, target?.key ?? "")?.length).toBeGreaterThan(0);
    expect(h.cos.listKeys(HARNESS.buckets.staging, "recorder-staging/rec-idle/")).toEqual([]);
    // Nothing is held any more, so the same recorder may start again.
    // (Claims and leases keep their generations: a release is a newer generation, never a delete.)
    const kit = h.wire().deps;
    expect(await createClaims(kit.state, () => "").holder({ sdkAppId: HARNESS.sdkAppId, room: { kind: "int", roomId: 1234 }, userId: "recorder_1" })).toBeUndefined();
    expect(await h.stateKeys("active/")).toEqual([]);
    expect(await createLeases(kit.state, () => Date.now()).isHeld("rec-idle")).toBe(false);
    expect(await h.stateKeys("rooms/")).toEqual([]);
  });

  it("the recorder kicked (RemoveUser): the task ends and delivery follows", async () => {
    await startClass("rec-kick");
    const client = new trtcSdk.v20190722.Client({
      credential: HARNESS.role,
      region: HARNESS.region,
      profile: { httpProfile: { endpoint: "trtc.tencentcloudapi.com", protocol: "http://", agent: tc3AgentFor(h.trtc.hostPort) } },
    });
    await client.RemoveUser({ SdkAppId: HARNESS.sdkAppId, RoomId: ROOM, UserIds: ["recorder_1"] });
    await h.settleTrtc();
    expect(h.trtc.tasks()[0].leaveCode).toBe(1);
    expect((await watchdog()).deliveriesStarted).toEqual(["rec-kick"]);
    await h.runQueued();
    expect((await h.record("rec-kick"))?.status).toBe("FINISHED");
  });

  it("explicit stop: DELETE /recordings/{id} calls DeleteCloudRecording, then delivery follows", async () => {
    await startClass("rec-stop");
    const res = await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-stop"));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toEqual({ recordingId: "rec-stop", status: "RUNNING", stopRequested: true });
    expect(h.trtc.calls.filter((c) => c.action === "DeleteCloudRecording").map((c) => c.params)).toEqual([{ SdkAppId: HARNESS.sdkAppId, TaskId: h.trtc.tasks()[0].taskId }]);
    expect(h.scf.accepted.map((i) => i.event)).toEqual([{ action: "deliver", recordingId: "rec-stop", reason: "explicit-stop" }]);
    await h.settleTrtc();
    await h.runQueued();
    const record = await h.record("rec-stop");
    expect(record).toMatchObject({ status: "FINISHED", stop: { reason: "explicit-stop" } });
    const again = await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-stop"));
    expect(again.statusCode).toBe(409);
    expect(JSON.parse(again.body)).toMatchObject({ error: "NotRunning", status: "FINISHED" });
  });

  it("waits while TRTC is still uploading (Exited) instead of delivering a partial recording", async () => {
    await startClass("rec-wait");
    // TRTC's uploads into staging are slow today: the task has stopped but is not done.
    h.cos.faults.add({ match: "PUT /recorder-staging/", times: Infinity, fault: { kind: "delay", ms: 1500 } });
    h.trtc.room(HARNESS.sdkAppId, ROOM).leave("teacher");
    await h.trtc.advance(300_000);
    const early = (await h.recorder({ action: "deliver", recordingId: "rec-wait", reason: "recording-stopped" })) as { outcome: string };
    expect(early.outcome).toBe("waiting");
    expect(d.calls).toEqual([]);
    expect(await h.record("rec-wait")).toMatchObject({ status: "RUNNING", task: { state: "exited", exitedAt: expect.any(String) } });
    await h.settleTrtc();
    h.cos.faults.clear();
    await h.recorder({ action: "deliver", recordingId: "rec-wait", reason: "watchdog" });
    expect((await h.record("rec-wait"))?.status).toBe("FINISHED");
    expect(d.calls).toHaveLength(1);
  });
});

describe("a recording with nothing in it", () => {
  it("fails 'record failed' once TRTC is gone and the no-media grace is over, instead of waiting forever", async () => {
    await h.close();
    h = await startRecorderHarness({ deliver: d.deliver, env: { RECORDER_NO_MEDIA_GRACE_SECONDS: "0" } });
    // Nobody ever publishes: TRTC stops the task after MaxIdleTime with no output.
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "rec-empty" });
    await h.trtc.advance(300_000);
    await h.settleTrtc();
    expect((await watchdog()).failed).toEqual(["rec-empty"]);
    expect(await h.record("rec-empty")).toMatchObject({ status: "FAILED", failure: { message: "record failed", detail: expect.stringContaining("TRTC wrote no media") } });
    expect(d.calls).toEqual([]);
    const [cb] = await h.sink.waitFor(1, 5000);
    expect(cb.json).toMatchObject({ Files: [{ Status: 0, Message: "record failed" }] });
  });

  it("keeps waiting within the no-media grace (uploads can lag)", async () => {
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "rec-lag" });
    await h.trtc.advance(300_000);
    await h.settleTrtc();
    expect((await watchdog()).failed).toEqual([]);
    expect((await h.record("rec-lag"))?.status).toBe("RUNNING");
  });
});

describe("delivery across invocations", () => {
  it("saves the checkpoint and continues in a fresh async invocation that holds the same lease", async () => {
    d.script.push("continue");
    await startClass("rec-cont", {}, CALLER_KEYS);
    await emptyRoomUntilIdle();
    await watchdog();
    await h.runQueued();
    expect(d.calls).toHaveLength(2);
    const handOver = h.scf.accepted.find((i) => (i.event as { reason?: string }).reason === "continue")?.event as { lease?: string };
    expect(handOver.lease).toEqual(expect.any(String));
    expect(d.calls[1].job.checkpoint).toMatchObject({ recordingId: "rec-cont", upload: { uploadId: "u-1" } });
    expect(await h.record("rec-cont")).toMatchObject({ status: "FINISHED", delivery: { invocations: 2 } });
    expect((await h.record("rec-cont"))?.delivery?.checkpoint).toBeUndefined();
  });

  it("gives delivery this invocation's remaining time minus a safety margin", async () => {
    await startClass("rec-deadline");
    await emptyRoomUntilIdle();
    await h.recorder({ action: "deliver", recordingId: "rec-deadline" }, { remainingMs: 600_000 });
    const budget = d.calls[0].deadlineMs - d.calls[0].now;
    expect(budget).toBeLessThanOrEqual(600_000 - 120_000);
    expect(budget).toBeGreaterThan(600_000 - 125_000);
    expect(d.calls[0].workDir).toMatch(/recorder-work\/rec-deadline$/);
  });

  it("a failed delivery fails the recording with the seed's message and keeps the staging sources", async () => {
    d.script.push({ failed: "transcode failed" });
    await startClass("rec-fail");
    await emptyRoomUntilIdle();
    await watchdog();
    await h.runQueued();
    const record = await h.record("rec-fail");
    expect(record).toMatchObject({ status: "FAILED", failure: { message: "transcode failed" }, result: { Files: [{ Status: 0, Message: "transcode failed", RecordFile: "" }] } });
    expect(h.cos.listKeys(HARNESS.buckets.staging, "recorder-staging/rec-fail/").length).toBeGreaterThan(0);
    const [cb] = await h.sink.waitFor(1, 5000);
    expect(cb.json).toMatchObject({ Files: [{ Status: 0, Message: "transcode failed" }] });
  });

  it("a delivery invocation that dies is restarted by the watchdog", async () => {
    d.script.push("throw");
    await startClass("rec-crash");
    await emptyRoomUntilIdle();
    await watchdog();
    await h.runQueued();
    expect(await h.record("rec-crash")).toMatchObject({ status: "DELIVERING", delivery: { lastError: "scripted crash inside delivery" } });
    expect((await watchdog()).rekicked).toEqual(["rec-crash"]);
    await h.runQueued();
    expect(await h.record("rec-crash")).toMatchObject({ status: "FINISHED", delivery: { rekicks: 1, invocations: 2 } });
  });

  it("one delivery at a time: a second request while the lease is held does nothing", async () => {
    await startClass("rec-lease");
    await emptyRoomUntilIdle();
    const lease = await createLeases(h.wire().deps.state, () => Date.now()).acquire("rec-lease", 600_000);
    expect(lease).toBeDefined();
    const out = (await h.recorder({ action: "deliver", recordingId: "rec-lease" })) as { outcome: string };
    expect(out.outcome).toBe("busy");
    expect(d.calls).toEqual([]);
  });
});

describe("status endpoint", () => {
  it("answers 404 with a clear body for an unknown or malformed id", async () => {
    for (const id of ["no-such-recording", "..%2F..%2Fsecrets"]) {
      const res = await h.recorderApi(h.apigwRequest("GET", `/recordings/${id}`));
      expect(res.statusCode).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ error: "NotFound", message: expect.stringContaining("no recording with id") });
    }
  });

  it("keeps the seed's result, and says roster rules were not applied when no room events arrived", async () => {
    await startClass("rec-files");
    await emptyRoomUntilIdle();
    await watchdog();
    await h.runQueued();
    const record = await h.record("rec-files");
    expect(record?.roster).toMatchObject({ roomEvents: 0, rulesApplied: false, note: expect.stringContaining("not-applied: no room events received") });
    expect(record?.result).toEqual({
      SdkAppId: String(HARNESS.sdkAppId),
      RoomId: "1234",
      StrRoomId: "",
      UserId: "recorder_1",
      Files: [{ UserId: "recorder_1", RecordFile: `https://${HARNESS.buckets.caller}.cos.${HARNESS.region}.myqcloud.com/${record?.target?.key}`, Status: 1, Message: "success" }],
    });
  });

  it("fails a start that never finished so its claim is freed", async () => {
    const wiring = h.wire();
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    await wiring.deps.state.put("recordings/stuck-1.json", JSON.stringify({ recordingId: "stuck-1", status: "STARTING", createdAt: old, updatedAt: old, files: [], history: [{ at: old, status: "STARTING" }] }));
    await wiring.deps.state.put("active/stuck-1", "stuck-1");
    expect((await watchdog()).failed).toEqual(["stuck-1"]);
    expect(await h.record("stuck-1")).toMatchObject({ status: "FAILED", stop: { reason: "start-incomplete" } });
  });
});
