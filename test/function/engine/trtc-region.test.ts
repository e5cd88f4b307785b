import { describe, expect, it } from "vitest";
import { trtcRecordingRegion } from "../../../function/engine/trtc-region";
import { trtcRegion, WiringError } from "../../../function/wiring";

describe("the TRTC cloud-recording region", () => {
  it("uses RECORDER_TRTC_REGION when it is one of the five, whatever region the function runs in", () => {
    expect(trtcRecordingRegion("ap-singapore", "ap-hongkong")).toEqual({ ok: true, region: "ap-singapore" });
  });

  it("falls back to the function's region only when TRTC records there", () => {
    expect(trtcRecordingRegion(undefined, "ap-shanghai")).toEqual({ ok: true, region: "ap-shanghai" });
    expect(trtcRecordingRegion("", undefined)).toEqual({ ok: true, region: "ap-guangzhou" });
  });

  it("refuses another region, naming the variable and the allowed values", () => {
    expect(() => trtcRegion({ RECORDER_TRTC_REGION: "ap-hongkong" })).toThrow(WiringError);
    expect(() => trtcRegion({ RECORDER_TRTC_REGION: "ap-hongkong" })).toThrow(
      'RECORDER_TRTC_REGION must be one of ap-beijing, ap-guangzhou, ap-mumbai, ap-shanghai, ap-singapore (TRTC cloud recording\'s regions); got "ap-hongkong"',
    );
    expect(() => trtcRegion({ TENCENTCLOUD_REGION: "eu-frankfurt" })).toThrow(/RECORDER_TRTC_REGION is not set and the function's region eu-frankfurt has no TRTC cloud recording/);
  });
});
