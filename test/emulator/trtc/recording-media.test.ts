// What a mixed recording contains, judged by decoding the files the double wrote into the COS double after
// being driven through the real tencentcloud SDK.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gridRects } from "../../../emulator/trtc/layout";
import { colorMatches, durationSeconds, probeStreams, TONE_PRESENT_DB, tileColor, toneLevelsDb } from "../../../emulator/trtc/media-probe";
import { APP, BUCKET, recordingRequest, startWorld, type World, startRecording } from "./fixture";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

async function record(room: number, script: () => Promise<void>, record: Parameters<typeof recordingRequest>[2] = {}): Promise<{ taskId: string; keys: string[] }> {
  const taskId = await startRecording(w.client, recordingRequest(room, {}, record));
  await script();
  await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId: taskId });
  await w.trtc.task(taskId)?.finished;
  return { taskId, keys: w.cos.listKeys(BUCKET, `rec/class7/${taskId}/`) };
}

describe("mixed AV recording of a 3-anchor room (grid, mp4)", () => {
  let file = "";
  beforeAll(async () => {
    const room = w.trtc.room(APP, 1234);
    const { taskId, keys } = await record(1234, async () => {
      room.join("a", { color: "red", toneHz: 300 });
      room.join("b", { color: "blue", toneHz: 700 });
      room.join("c", { color: "#00FF00", toneHz: 1300 });
      room.join("viewer", { role: 21, color: "yellow", toneHz: 500 });
      await w.clock.advance(4000);
      room.leave("b");
      await w.clock.advance(2000);
    });
    expect(keys).toEqual([`rec/class7/${taskId}/${APP}_1234.mp4`]);
    file = await w.download(keys[0]);
  });

  it("is one H.264 + AAC mp4 at the requested size, as long as anchors were in the room", async () => {
    const streams = await probeStreams(file);
    expect(streams.map((s) => [s.type, s.codec])).toEqual([["video", "h264"], ["audio", "aac"]]);
    expect(streams[0]).toMatchObject({ width: 640, height: 360, fps: 15 });
    expect(streams[1]).toMatchObject({ sampleRate: 48000, channels: 2 });
    expect(Math.abs((await durationSeconds(file)) - 6)).toBeLessThan(0.3);
  });

  it("shows each anchor's colour in its own grid tile and re-flows the grid when one leaves", async () => {
    const three = gridRects(3, 640, 360);
    expect(colorMatches(await tileColor(file, 2, three[0]), "red")).toBe(true);
    expect(colorMatches(await tileColor(file, 2, three[1]), "blue")).toBe(true);
    expect(colorMatches(await tileColor(file, 2, three[2]), "lime")).toBe(true);
    expect(colorMatches(await tileColor(file, 2, { x: 320, y: 180, w: 320, h: 180 }), "black")).toBe(true);
    const two = gridRects(2, 640, 360);
    expect(colorMatches(await tileColor(file, 5, two[0]), "red")).toBe(true);
    expect(colorMatches(await tileColor(file, 5, two[1]), "lime")).toBe(true);
  });

  it("mixes every present anchor's tone, never an audience member's, and silences the one who left", async () => {
    const whileAll = await toneLevelsDb(file, [300, 500, 700, 1100, 1300], { fromS: 0.5, toS: 3.5 });
    expect(whileAll.get(300)).toBeGreaterThan(TONE_PRESENT_DB);
    expect(whileAll.get(700)).toBeGreaterThan(TONE_PRESENT_DB);
    expect(whileAll.get(1300)).toBeGreaterThan(TONE_PRESENT_DB);
    expect(whileAll.get(500)).toBeLessThan(TONE_PRESENT_DB);
    expect(whileAll.get(1100)).toBeLessThan(TONE_PRESENT_DB);
    const afterLeave = await toneLevelsDb(file, [300, 700, 1300], { fromS: 4.5, toS: 5.8 });
    expect(afterLeave.get(700)).toBeLessThan(TONE_PRESENT_DB);
    expect(afterLeave.get(300)).toBeGreaterThan(TONE_PRESENT_DB);
  });
});

describe("StreamType and OutputFormat", () => {
  it("audio-only (StreamType 1, OutputFormat 4 aac) writes one .m4a with only audio", async () => {
    const room = w.trtc.room(APP, 2001);
    const { taskId, keys } = await record(
      2001,
      async () => {
        room.join("a", { color: "red", toneHz: 300 });
        await w.clock.advance(3000);
      },
      { StreamType: 1, OutputFormat: 4 },
    );
    expect(keys).toEqual([`rec/class7/${taskId}/${APP}_2001.m4a`]);
    const file = await w.download(keys[0]);
    expect((await probeStreams(file)).map((s) => [s.type, s.codec])).toEqual([["audio", "aac"]]);
    expect((await toneLevelsDb(file, [300])).get(300)).toBeGreaterThan(TONE_PRESENT_DB);
  });

  it("video-only (StreamType 2, OutputFormat 3) writes an mp4 without audio", async () => {
    const room = w.trtc.room(APP, 2002);
    const { keys } = await record(
      2002,
      async () => {
        room.join("a", { color: "blue", toneHz: 300 });
        await w.clock.advance(2000);
      },
      { StreamType: 2, OutputFormat: 3 },
    );
    const file = await w.download(keys[0]);
    expect((await probeStreams(file)).map((s) => s.type)).toEqual(["video"]);
    expect(colorMatches(await tileColor(file, 1, { x: 0, y: 0, w: 640, h: 360 }), "blue")).toBe(true);
  });

  it("hls+mp4 (OutputFormat 1) writes an index with TRTC's tags, TS segments named by UTC time, and the mp4", async () => {
    const room = w.trtc.room(APP, 2003);
    const { taskId, keys } = await record(
      2003,
      async () => {
        room.join("a");
        await w.clock.advance(3000);
      },
      { OutputFormat: 1 },
    );
    const prefix = `rec/class7/${taskId}/${APP}_2003`;
    expect(keys).toContain(`${prefix}.m3u8`);
    expect(keys).toContain(`${prefix}.mp4`);
    expect(keys.some((k) => new RegExp(`^${prefix.replace(/[.+]/g, "\\$&")}_\\d{17}\\.ts$`).test(k))).toBe(true);
    const index = await readFile(await w.download(`${prefix}.m3u8`), "utf8");
    expect(index).toMatch(/#EXT-X-TRTC-START-REC-TIME:\d{13}/);
    expect(index).toContain("#EXT-X-ENDLIST");
  });
});

describe("ModifyCloudRecording", () => {
  it("moves tiles from the moment of the call; a departed user named in the layout keeps a silent last frame", async () => {
    const room = w.trtc.room(APP, 3001);
    const { keys } = await record(3001, async () => {
      room.join("a", { color: "red", toneHz: 300 });
      room.join("b", { color: "blue", toneHz: 700 });
      await w.clock.advance(3000);
      const task = w.trtc.tasks().find((t) => t.request.room.id === 3001 && t.phase === "recording");
      await w.client.ModifyCloudRecording({
        SdkAppId: APP,
        TaskId: task?.taskId ?? "",
        MixLayoutParams: {
          MixLayoutMode: 4,
          MixLayoutList: [
            { UserId: "b", Left: 0, Top: 0, Width: 320, Height: 360 },
            { UserId: "a", Left: 320, Top: 0, Width: 320, Height: 360 },
          ],
        },
      });
      await w.clock.advance(2000);
      room.leave("a");
      await w.clock.advance(2000);
    });
    const file = await w.download(keys[0]);
    const left = { x: 0, y: 0, w: 320, h: 360 };
    const right = { x: 320, y: 0, w: 320, h: 360 };
    expect(colorMatches(await tileColor(file, 1.5, left), "red")).toBe(true);
    expect(colorMatches(await tileColor(file, 1.5, right), "blue")).toBe(true);
    expect(colorMatches(await tileColor(file, 4, left), "blue")).toBe(true);
    expect(colorMatches(await tileColor(file, 4, right), "red")).toBe(true);
    expect(colorMatches(await tileColor(file, 6, right), "red")).toBe(true);
    const afterLeave = await toneLevelsDb(file, [300, 700], { fromS: 5.5, toS: 6.8 });
    expect(afterLeave.get(300)).toBeLessThan(TONE_PRESENT_DB);
    expect(afterLeave.get(700)).toBeGreaterThan(TONE_PRESENT_DB);
  });
});

describe("MaxMediaFileDuration", () => {
  it("splits the mp4 into numbered parts (splitEverySeconds stands in for minutes)", async () => {
    const split = await startWorld({ splitEverySeconds: 2 });
    try {
      const room = split.trtc.room(APP, 4001);
      const TaskId = await startRecording(split.client, recordingRequest(4001));
      room.join("a");
      await split.clock.advance(5000);
      await split.client.DeleteCloudRecording({ SdkAppId: APP, TaskId });
      await split.trtc.idle();
      const keys = split.cos.listKeys(BUCKET, `rec/class7/${TaskId}/`);
      expect(keys).toEqual([1, 2, 3].map((i) => `rec/class7/${TaskId}/${APP}_4001_${i}.mp4`));
      const durations = await Promise.all(keys.map(async (k) => durationSeconds(await split.download(k))));
      expect(durations.map((d) => Math.round(d))).toEqual([2, 2, 1]);
    } finally {
      await split.close();
    }
  });
});
