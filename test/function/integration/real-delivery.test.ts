// The whole path with the real delivery stage: TRTC's mixed output (rendered by the TRTC double with ffmpeg)
// becomes the file the seed promised, at the caller's COS path, judged by its media.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliver } from "../../../function/delivery/deliver";
import { colorMatches, durationSeconds, gridRects, probeStreams, tileColor, toneLevelDb, TONE_PRESENT_DB } from "../../../emulator/trtc";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
let dir: string;

beforeEach(async () => {
  h = await startRecorderHarness({ deliver });
  dir = await mkdtemp(join(tmpdir(), "real-delivery-"));
});
afterEach(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

/** Teacher (red, 440 Hz) and student (blue, 880 Hz) for 20 s, then the room empties and TRTC stops after 300 s. */
async function recordClass(id: string, over: Record<string, unknown>, cos: Record<string, unknown> = {}) {
  const room = h.trtc.room(HARNESS.sdkAppId, 1234);
  room.join("teacher", { color: "red", toneHz: 440 });
  room.join("student", { color: "blue", toneHz: 880 });
  await h.recorder(h.apigwPost("/record", h.recordRequest(over, cos)), { requestId: id });
  await h.trtc.advance(20_000);
  room.leave("teacher");
  room.leave("student");
  await h.trtc.advance(300_000);
  await h.settleTrtc();
  await h.recorder(h.timerEvent());
  await h.runQueued();
  const record = await h.record(id);
  expect(record?.status, JSON.stringify(record?.failure)).toBe("FINISHED");
  const key = record?.target?.key ?? "";
  const body = h.cos.getObjectDirect(HARNESS.buckets.caller, key);
  if (!body) throw new Error(`no delivered object ${key}`);
  const file = join(dir, key.split("/").pop() ?? "out");
  await writeFile(file, body);
  return { record, file };
}

describe("recording delivered by the real delivery stage", () => {
  it("Mode 10: an MP3 of the mixed audio in the caller's bucket, written with the caller's keys", async () => {
    const { record, file } = await recordClass("real-10", { Mode: "10" }, { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey });
    expect(record?.target?.key).toMatch(/\.mp3$/);
    expect((await probeStreams(file)).map((s) => [s.type, s.codec])).toEqual([["audio", "mp3"]]);
    const seconds = await durationSeconds(file);
    expect(seconds).toBeGreaterThan(15);
    expect(seconds).toBeLessThan(25);
    expect(await toneLevelDb(file, 440)).toBeGreaterThan(TONE_PRESENT_DB);
    expect(await toneLevelDb(file, 880)).toBeGreaterThan(TONE_PRESENT_DB);
    expect(h.cos.listKeys(HARNESS.buckets.caller, "classes/recorder-staging/")).toEqual([]);
    expect(record?.result?.Files[0]).toMatchObject({ Status: 1, RecordFile: expect.stringMatching(/\.mp3$/) });
  });

  it("Mode 12: one MP4 with both anchors' tiles and tones, from the deployment's staging bucket", async () => {
    const { record, file } = await recordClass("real-12", { Mode: "12" });
    expect(record?.staging?.owner).toBe("deployment");
    const streams = await probeStreams(file);
    expect(streams.map((s) => s.type).sort()).toEqual(["audio", "video"]);
    const video = streams.find((s) => s.type === "video");
    const [left, right] = gridRects(2, video?.width ?? 360, video?.height ?? 640);
    expect(colorMatches(await tileColor(file, 5, left), "red")).toBe(true);
    expect(colorMatches(await tileColor(file, 5, right), "blue")).toBe(true);
    expect(await toneLevelDb(file, 440)).toBeGreaterThan(TONE_PRESENT_DB);
    expect(h.cos.listKeys(HARNESS.buckets.staging, "recorder-staging/real-12/")).toEqual([]);
  });

  it("Mode 11: a video-only MP4", async () => {
    const { file } = await recordClass("real-11", { Mode: "11" });
    expect((await probeStreams(file)).map((s) => s.type)).toEqual(["video"]);
  });
});
