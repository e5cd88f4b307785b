// Tencent's examples type an integer room's RoomId as a number in 101 and as a string in 102: the dismissal must
// still reach the integer room's log (and so the roster), not a string room of the same digits.
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

describe("RoomId typing in room events", () => {
  it("files an integer room's 102 (RoomId as a string) under the integer room being recorded", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, trtcEvents: true });
    const room = h.trtc.room(HARNESS.sdkAppId, 8181);
    room.join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 8181 })), { requestId: "rec-102" });
    await h.trtc.advance(5_000);
    room.dismiss();
    await h.settleTrtc();
    const sent102 = h.trtc.events.emitted.find((e) => e.body.EventType === 102);
    expect(sent102?.body).toMatchObject({ EventInfo: { RoomId: "8181" } });
    const intLog = await h.stateKeys(`events/${HARNESS.sdkAppId}/i-8181/`);
    expect(intLog.some((k) => /-102-/.test(k))).toBe(true);
    const strLog = await h.stateKeys(`events/${HARNESS.sdkAppId}/s-${Buffer.from("8181").toString("base64url")}/`);
    expect(strLog).toEqual([]);
  });
});
