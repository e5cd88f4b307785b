// An invocation that dies between saving a recording's final status and posting its Callback (finishRecording
// saves first): SCF's retry of that invocation finds the final record that still owes the callback, posts it once
// and releases what the recording held. The death is forced by a store hook at that exact write (no timing).
import { afterEach, describe, expect, it } from "vitest";
import { recorderHandler } from "../../../function/entries/recorder";
import { createRecorder } from "../../../function/recording/recorder";
import { stateKeys } from "../../../function/state/keys";
import type { StateStore } from "../../../function/state/store";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

const ID = "rec-owed";

describe("a callback owed by an invocation that died after finishing the recording", () => {
  it("is posted by SCF's retry of that invocation, exactly once, and the recording's hold is released", async () => {
    const d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver });
    const room = h.trtc.room(HARNESS.sdkAppId, 4321);
    room.join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 4321 })), { requestId: ID });
    await h.trtc.advance(5_000);
    room.dismiss();
    await h.settleTrtc();

    // The delivery dies the moment the FINISHED record is written: the callback after it never happens.
    const base = h.wire().deps.state;
    let died!: () => void;
    const dead = new Promise<void>((r) => (died = r));
    const dying: StateStore = {
      ...base,
      put: async (key, body) => {
        await base.put(key, body);
        if (key === stateKeys.record(ID) && /"status":\s*"FINISHED"/.test(String(body))) {
          died();
          await new Promise<never>(() => undefined);
        }
      },
    };
    const deliver = { action: "deliver", recordingId: ID, reason: "upload-finished" };
    const w = h.wire();
    void recorderHandler(createRecorder({ ...w.deps, state: dying }), w.log)(deliver, { requestId: "req-deliver", remainingMs: () => 900_000 });
    await dead;
    expect(await h.record(ID)).toMatchObject({ status: "FINISHED" });
    expect((await h.record(ID))?.callback).toBeUndefined();
    expect(h.sink.received).toHaveLength(0);

    // SCF retries the same invocation (same request id): it re-enters its lease and posts what was owed.
    expect(await h.recorder(deliver, { requestId: "req-deliver" })).toMatchObject({ outcome: "callback-posted", status: "FINISHED" });
    expect(h.sink.received).toHaveLength(1);
    expect(h.sink.received[0]!.json).toMatchObject({ RoomId: "4321" });
    expect((await h.record(ID))?.callback).toMatchObject({ delivered: true });
    expect(await h.stateKeys(stateKeys.active(ID))).toEqual([]);
    expect(d.calls).toHaveLength(1);

    // Nothing is owed any more: another look posts nothing.
    expect(await h.recorder(deliver, { requestId: "req-later" })).toMatchObject({ outcome: "nothing-to-do" });
    expect(h.sink.received).toHaveLength(1);
  });
});
