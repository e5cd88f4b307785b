import { describe, expect, it } from "vitest";
import { compactUtc, cosObjectUrl, deliveredResult, failedResult, invalidRequestResult, resultKey, targetKey } from "../../../function/contract/result";

const START = Date.UTC(2026, 0, 31, 8, 9, 10, 456);

describe("the seed's result and the delivered file's name", () => {
  it("names the target <Path>/<room>_<UserId>_<start>.<mp3|mp4>", () => {
    const base = { sdkAppId: 1, room: { kind: "int" as const, roomId: 1234 }, userId: "rec_1", cos: { path: "test/a" } };
    expect(targetKey({ ...base, mode: "10" }, START)).toBe("test/a/1234_rec_1_20260131T080910Z.mp3");
    expect(targetKey({ ...base, mode: "12", cos: { path: "" } }, START)).toBe("1234_rec_1_20260131T080910Z.mp4");
    expect(targetKey({ ...base, room: { kind: "str", strRoomId: "class-a" }, mode: "11" }, START)).toBe("test/a/class-a_rec_1_20260131T080910Z.mp4");
    expect(resultKey("test/a/x.mp3")).toBe("test/a/x.mp3.result.json");
    expect(compactUtc(START)).toBe("20260131T080910Z");
  });

  it("builds COS URLs with each key segment encoded", () => {
    expect(cosObjectUrl({ bucket: "rec-1250000000", region: "ap-guangzhou", key: "a b/c#1.mp3" })).toBe("https://rec-1250000000.cos.ap-guangzhou.myqcloud.com/a%20b/c%231.mp3");
  });

  it("renders identity fields as strings, the room kind it was not as empty", () => {
    const who = { sdkAppId: 1400000001, room: { kind: "str" as const, strRoomId: "class-a" }, userId: "rec_1" };
    expect(deliveredResult(who, "https://x/y.mp3")).toEqual({
      SdkAppId: "1400000001",
      RoomId: "",
      StrRoomId: "class-a",
      UserId: "rec_1",
      Files: [{ UserId: "rec_1", RecordFile: "https://x/y.mp3", Status: 1, Message: "success" }],
    });
    expect(failedResult({ ...who, room: { kind: "int", roomId: 5 } }, "transcode failed")).toMatchObject({ RoomId: "5", StrRoomId: "", Files: [{ Status: 0, RecordFile: "", Message: "transcode failed" }] });
  });

  it("reports a refused request with its errors", () => {
    const r = invalidRequestResult({ SdkAppId: "1", RoomId: "2", StrRoomId: "", UserId: "u" }, [{ field: "Mode", expected: "x", got: "y" }]);
    expect(r.Files).toEqual([{ UserId: "u", RecordFile: "", Status: 0, Message: "invalid request" }]);
    expect(r.Errors).toEqual([{ field: "Mode", expected: "x", got: "y" }]);
  });
});
