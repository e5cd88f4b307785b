// Exclusivity of the whole recorder on both state backends: concurrent starts create one TRTC task, concurrent
// delivery requests deliver once, and duplicated, reordered TRTC events are applied once. Nothing here depends on
// which of the concurrent invocations runs first: every assertion holds for any order.
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver, type ScriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
let d: ScriptedDeliver;
afterEach(async () => {
  await h.close();
});

const ROOM = 4321;
const createCalls = () => h.trtc.calls.filter((c) => c.action === "CreateCloudRecording");

async function runningClass(id: string): Promise<void> {
  h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher", { color: "red", toneHz: 440 });
  await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM })), { requestId: id });
  await h.trtc.advance(20_000);
}

describe.each(["cos", "cfs"] as const)("exclusivity with the %s state store", (stateStore) => {
  it("concurrent starts for one recorder create exactly one TRTC task; the others are its aliases", async () => {
    d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver, stateStore });
    h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher");
    const ids = ["s-1", "s-2", "s-3", "s-4"];
    const body = h.recordRequest({ RoomId: ROOM });
    await Promise.all(ids.map((id) => h.recorder(h.apigwPost("/record", body), { requestId: id })));
    expect(createCalls()).toHaveLength(1);
    const records = await Promise.all(ids.map((id) => h.record(id)));
    const running = records.filter((r) => r?.status === "RUNNING" && r.sameAs === undefined);
    expect(running).toHaveLength(1);
    for (const r of records) if (r !== running[0]) expect(r?.sameAs).toBe(running[0]?.recordingId);
    expect(h.trtc.tasks().filter((t) => t.leaveCode === undefined)).toHaveLength(1);
  });

  it("concurrent delivery requests (310s, watchdog, explicit stop) deliver once", async () => {
    d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver, stateStore });
    await runningClass("rec-d");
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-d"));
    await h.settleTrtc();
    // Every one of these may deliver a finished task (a 302/305 "recording-stopped" only notes the exit, by design),
    // so whichever wins the lease delivers, and all the others must do nothing.
    const reasons = ["upload-finished", "upload-finished", "watchdog", "explicit-stop", "watchdog"];
    const outcomes = (await Promise.all(reasons.map((reason) => h.recorder({ action: "deliver", recordingId: "rec-d", reason })))) as Array<{ outcome: string }>;
    expect(d.calls).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === "delivered")).toHaveLength(1);
    for (const o of outcomes) expect(["delivered", "busy", "nothing-to-do"]).toContain(o.outcome);
    expect(await h.record("rec-d")).toMatchObject({ status: "FINISHED", delivery: { invocations: 1 } });
    // A late request after the end changes nothing.
    expect(await h.recorder({ action: "deliver", recordingId: "rec-d", reason: "watchdog" })).toMatchObject({ outcome: "nothing-to-do" });
    expect(h.sink.received).toHaveLength(1);
  });

  it("duplicated and reordered TRTC events are applied once: one delivery, one callback", async () => {
    d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver, stateStore, trtcEvents: true, trtcEventChaos: { duplicate: 1, reorder: true, seed: 3 } });
    await runningClass("rec-e");
    h.trtc.room(HARNESS.sdkAppId, ROOM).leave("teacher");
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-e"));
    await h.settleTrtc();
    await h.runQueued();
    expect(h.trtc.events.deliveries.length).toBeGreaterThan(h.trtc.events.emitted.length);
    expect(d.calls).toHaveLength(1);
    expect(await h.record("rec-e")).toMatchObject({ status: "FINISHED" });
    expect(h.sink.received).toHaveLength(1);
  });
});
