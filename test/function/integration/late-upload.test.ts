// 310 is one file, not "everything is uploaded": with split files and one file kept on TRTC's server (310 Status 1,
// uploaded later), delivery waits for the complete set and then delivers every part, in order.
import { afterEach, describe, expect, it } from "vitest";
import { memoryStore } from "../fakes/memory-store";
import { fileUploads } from "../../../function/recording/file-uploads";
import { stateKeys } from "../../../function/state/keys";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ROOM = 5150;

describe("late uploads (310 Status 1)", () => {
  it("waits for a split file still on TRTC's server, then delivers all parts in order", async () => {
    const d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver, trtcEvents: true, trtcOptions: { splitEverySeconds: 2, lateUploads: (f) => f.endsWith("_2.mp4") } });
    h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher", { color: "red", toneHz: 440 });
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM, Mode: "12" })), { requestId: "rec-late" });
    await h.trtc.advance(5_000);
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-late"));
    await h.settleTrtc();
    await h.runQueued();
    await h.recorder(h.timerEvent());
    await h.runQueued();
    // The task is gone and two of three files are in staging: nothing is delivered, nothing deleted.
    expect(d.calls).toEqual([]);
    expect((await h.record("rec-late"))?.status).toBe("RUNNING");
    const staged = () => h!.cos.listKeys(HARNESS.buckets.staging).filter((k) => k.endsWith(".mp4"));
    expect(staged()).toHaveLength(2);

    await h.trtc.releaseLateUploads();
    await h.runQueued();
    expect(d.calls).toHaveLength(1);
    const names = d.calls[0].job.sources.map((s) => s.key.slice(s.key.lastIndexOf("/") + 1));
    expect(names).toEqual([1, 2, 3].map((n) => `${HARNESS.sdkAppId}_${ROOM}_${n}.mp4`));
    expect((await h.record("rec-late"))?.status).toBe("FINISHED");
  });
});

describe("fileUploads (the 310s in a task's event log)", () => {
  const task = "task-1";
  const log310 = async (store: ReturnType<typeof memoryStore>, at: number, status: number, files: string[]) => {
    const key = stateKeys.taskEvent(task, at, 310, `${at}-${status}-${files.join(",")}`);
    await store.put(key, JSON.stringify({ EventGroupId: 3, EventType: 310, EventInfo: { EventMsTs: at, TaskId: task, Payload: { Status: status, FileList: files } } }));
  };

  it("a file reported held is pending until a 310 reports it uploaded, in whatever order they were logged", async () => {
    const store = memoryStore();
    await log310(store, 3, 0, ["a_2.mp4"]);
    await log310(store, 1, 0, ["a_1.mp4"]);
    await log310(store, 2, 1, ["a_2.mp4", "a_3.mp4"]);
    expect(await fileUploads(store, task)).toMatchObject({ reported: true, pending: ["a_3.mp4"], pendingUnnamed: false, failed: false });
  });

  it("Status 2 means TRTC's MP4 task failed; a Status 1 naming no file is pending until a later Status 0", async () => {
    const store = memoryStore();
    await log310(store, 1, 1, []);
    expect(await fileUploads(store, task)).toMatchObject({ pendingUnnamed: true, failed: false });
    await log310(store, 2, 0, ["b.mp4"]);
    expect(await fileUploads(store, task)).toMatchObject({ pendingUnnamed: false });
    await log310(store, 3, 2, []);
    expect((await fileUploads(store, task)).failed).toBe(true);
  });
});
