import { describe, expect, it } from "vitest";
import { createRecordingRequest, createTrtcEngine } from "../../../function/engine/trtc-adapter";
import type { StartInput } from "../../../function/engine/port";

const input: StartInput = {
  sdkAppId: 1400000001,
  room: { kind: "int", roomId: 1234 },
  userId: "recorder_1",
  userSig: "sig",
  mode: "10",
  storage: { bucket: "rec-1250000000", region: "ap-guangzhou", fileNamePrefix: ["test", "recorder-staging", "rid"], accessKey: "AKID", secretKey: "SK" },
};

describe("TRTC cloud-recording request mapping", () => {
  it("records mixed with the caller's robot identity, MaxIdleTime 300, a 1280x720 canvas and TRTC's nine-grid", () => {
    expect(createRecordingRequest(input)).toEqual({
      SdkAppId: 1400000001,
      RoomId: "1234",
      RoomIdType: 1,
      UserId: "recorder_1",
      UserSig: "sig",
      RecordParams: { RecordMode: 2, MaxIdleTime: 300, StreamType: 1, OutputFormat: 4 },
      StorageParams: { CloudStorage: { Vendor: 0, Region: "ap-guangzhou", Bucket: "rec-1250000000", AccessKey: "AKID", SecretKey: "SK", FileNamePrefix: ["test", "recorder-staging", "rid"] } },
      MixTranscodeParams: {
        VideoParams: { Width: 1280, Height: 720, Fps: 15, BitRate: 1_000_000, Gop: 10 },
        AudioParams: { SampleRate: 1, Channel: 2, BitRate: 64_000 },
      },
      MixLayoutParams: { MixLayoutMode: 3 },
    });
  });

  it("maps Mode to StreamType/OutputFormat and the room kind to RoomIdType", () => {
    const m11 = createRecordingRequest({ ...input, mode: "11", room: { kind: "str", strRoomId: "class-a" } });
    expect([m11.RecordParams.StreamType, m11.RecordParams.OutputFormat, m11.RoomId, m11.RoomIdType]).toEqual([2, 3, "class-a", 0]);
    const m12 = createRecordingRequest({ ...input, mode: "12" });
    expect([m12.RecordParams.StreamType, m12.RecordParams.OutputFormat]).toEqual([0, 3]);
  });

  it("knows where TRTC puts a task's output: <prefix…>/<TaskId>/", () => {
    const engine = createTrtcEngine({ credential: { secretId: "x", secretKey: "y" }, region: "ap-guangzhou" });
    expect(engine.outputPrefix({ fileNamePrefix: ["a", "b"] }, "T+1")).toBe("a/b/T+1/");
  });
});
