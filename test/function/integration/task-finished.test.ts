// FailedOperation.TaskFinished ("task has ended when calling the interface") is TRTC's answer to Delete, Modify and
// Describe for a task that has just ended: it means "over", never an engine failure.
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

const ROOM = 6262;

async function kickedRecording(id: string): Promise<string> {
  h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher");
  await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM })), { requestId: id });
  await h.trtc.advance(5_000);
  h.trtc.room(HARNESS.sdkAppId, ROOM).remove("recorder_1");
  const taskId = (await h.record(id))?.engine?.taskId;
  if (!taskId) throw new Error("no task");
  return taskId;
}

describe("a task that has just ended (FailedOperation.TaskFinished)", () => {
  it("DELETE answers 202 and delivery follows, instead of 502", async () => {
    const d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver });
    await kickedRecording("rec-tf");
    const res = await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-tf"));
    expect(h.trtc.calls.filter((c) => c.action === "DeleteCloudRecording")).toHaveLength(1);
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ recordingId: "rec-tf", stopRequested: true });
    await h.settleTrtc();
    await h.runQueued();
    expect((await h.record("rec-tf"))?.status).toBe("FINISHED");
  });

  it("Modify reports the task gone and Describe reports it ended (not unknown)", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    const taskId = await kickedRecording("rec-tf2");
    const engine = h.wire().deps.engine;
    const modified = await engine.modify(HARNESS.sdkAppId, taskId, { canvas: engine.mixCanvas, tiles: [], audioUserIds: [], videoUserIds: [] });
    expect(modified).toEqual({ ok: true, gone: true });
    await h.trtc.idle();
    expect(await engine.describe(HARNESS.sdkAppId, taskId)).toMatchObject({ ok: true, state: "exited" });
  });
});
