// The recorder calls TRTC cloud recording in RECORDER_TRTC_REGION, not in the function's own region (TRTC records
// in five regions only; the TRTC double refuses the others with UnsupportedRegion).
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

describe("the TRTC region", () => {
  it("a function in ap-hongkong records through ap-singapore when RECORDER_TRTC_REGION says so", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, env: { TENCENTCLOUD_REGION: "ap-hongkong", RECORDER_TRTC_REGION: "ap-singapore" } });
    h.trtc.room(HARNESS.sdkAppId, 4444).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 4444 })), { requestId: "rec-sg" });
    expect((await h.record("rec-sg"))?.status).toBe("RUNNING");
  });
});
