// Each mode produces the right file through the real SDK, the COS double and real ffmpeg: MP3 for 10, MP4 without
// audio for 11, MP4 with both for 12; one matching MP4 is copied inside COS; several sources are joined in order.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliver } from "../../../function/delivery/deliver";
import { FAST, sameBytes, startHarness, STAGING, TARGET, type Harness } from "./harness";
import { decodeErrors, ffprobe, loudestTone, makeMedia } from "./media";

let media: string;
let h: Harness;
beforeAll(() => {
  media = mkdtempSync(path.join(os.tmpdir(), "delivery-media-"));
});
afterAll(() => rmSync(media, { recursive: true, force: true }));
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const av = (name: string, seconds: number, extra: { moovAtEnd?: boolean; tone?: number } = {}) =>
  makeMedia(media, name, { seconds, container: "mp4", moovAtEnd: extra.moovAtEnd, video: { width: 320, height: 180, fps: 15, gop: 15 }, audio: { tone: extra.tone ?? 440 } });

function sourceGets(key: string) {
  return h.cos.requests.filter((r) => r.operation === "GetObject" && r.path === `/${key}`);
}

describe("mode 10 (MP3)", () => {
  it("turns one M4A into an MP3 of the same length with no video", async () => {
    const m4a = makeMedia(media, "tone.m4a", { seconds: 6, container: "m4a", audio: { tone: 500 } });
    const src = h.stage("rec/a.m4a", m4a);
    const out = await deliver({ recordingId: "r10", mode: "10", sources: [src], target: h.target("out/r10.mp3"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(out).toMatchObject({ kind: "delivered", copied: false, url: "https://caller-1250000000.cos.ap-guangzhou.myqcloud.com/out/r10.mp3" });
    const p = ffprobe(h.targetFile("out/r10.mp3")!);
    expect(p.audio).toBe("mp3");
    expect(p.video).toBeUndefined();
    expect(Math.abs(p.durationSeconds - 6)).toBeLessThan(0.5);
    expect(decodeErrors(h.targetFile("out/r10.mp3")!)).toBe("");
  });

  it("joins several ADTS files in order into one MP3", async () => {
    const a = makeMedia(media, "a.aac", { seconds: 4, container: "aac", audio: { tone: 300 } });
    const b = makeMedia(media, "b.aac", { seconds: 5, container: "aac", audio: { tone: 700 } });
    const sources = [h.stage("rec/1.aac", a), h.stage("rec/2.aac", b)];
    const out = await deliver({ recordingId: "r10b", mode: "10", sources, target: h.target("out/r10b.mp3"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    const p = ffprobe(h.targetFile("out/r10b.mp3")!);
    expect(p.audio).toBe("mp3");
    expect(Math.abs(p.durationSeconds - 9)).toBeLessThan(0.5);
    const file = h.targetFile("out/r10b.mp3")!;
    expect([loudestTone(file, 1.5, [300, 700]), loudestTone(file, 6.5, [300, 700])]).toEqual([300, 700]);
  });
});

describe("mode 11 (MP4 video only)", () => {
  it("drops the audio of an audio+video source without re-encoding the video", async () => {
    const src = h.stage("rec/av.mp4", av("av6.mp4", 6));
    const out = await deliver({ recordingId: "r11", mode: "11", sources: [src], target: h.target("out/r11.mp4"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(out).toMatchObject({ kind: "delivered", copied: false });
    const p = ffprobe(h.targetFile("out/r11.mp4")!);
    expect(p.streams).toEqual([{ type: "video", codec: "h264" }]);
    expect(Math.abs(p.durationSeconds - 6)).toBeLessThan(0.5);
    expect(decodeErrors(h.targetFile("out/r11.mp4")!)).toBe("");
  });

  it("copies a single video-only MP4 inside COS without downloading it", async () => {
    const file = makeMedia(media, "v6.mp4", { seconds: 6, container: "mp4", video: { width: 320, height: 180, fps: 15, gop: 15 } });
    const src = h.stage("rec/v.mp4", file);
    const out = await deliver({ recordingId: "r11c", mode: "11", sources: [src], target: h.target("out/r11c.mp4"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(out).toMatchObject({ kind: "delivered", copied: true });
    expect(h.cos.requests.some((r) => r.operation === "PutObjectCopy" && r.path === "/out/r11c.mp4" && r.status === 200)).toBe(true);
    // Only the probe's ranged reads of the header touched the source: no download (see no-download.test.ts for bytes).
    expect(sameBytes(h.cos.getObjectDirect(TARGET.bucket, "out/r11c.mp4"), h.cos.getObjectDirect(STAGING.bucket, "rec/v.mp4"))).toBe(true);
  });
});

describe("mode 12 (MP4 audio + video)", () => {
  it("copies a single audio+video MP4 inside COS", async () => {
    const src = h.stage("rec/av.mp4", av("av6.mp4", 6));
    const out = await deliver({ recordingId: "r12c", mode: "12", sources: [src], target: h.target("out/r12c.mp4"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(out).toMatchObject({ kind: "delivered", copied: true });
    expect(h.cos.requests.filter((r) => r.operation === "UploadPart")).toHaveLength(0);
  });

  it("joins several sources in order by stream copy", async () => {
    const sources = [h.stage("rec/p1.mp4", av("p1.mp4", 4, { tone: 300 })), h.stage("rec/p2.mp4", av("p2.mp4", 5, { tone: 500 })), h.stage("rec/p3.mp4", av("p3.mp4", 3, { tone: 700 }))];
    const out = await deliver({ recordingId: "r12", mode: "12", sources, target: h.target("out/r12.mp4"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(out).toMatchObject({ kind: "delivered", copied: false });
    const p = ffprobe(h.targetFile("out/r12.mp4")!);
    expect(p.video).toBe("h264");
    expect(p.audio).toBe("aac");
    expect(Math.abs(p.durationSeconds - 12)).toBeLessThan(0.5);
    const file = h.targetFile("out/r12.mp4")!;
    expect(decodeErrors(file)).toBe("");
    expect([1.5, 6, 10.5].map((t) => loudestTone(file, t, [300, 500, 700]))).toEqual([300, 500, 700]);
    expect(sourceGets("rec/p2.mp4").length).toBeGreaterThan(0);
  });

  it("downloads sources whose moov is at the end and still joins them", async () => {
    const sources = [h.stage("rec/e1.mp4", av("e1.mp4", 3, { moovAtEnd: true })), h.stage("rec/e2.mp4", av("e2.mp4", 4, { moovAtEnd: true }))];
    const out = await deliver({ recordingId: "r12e", mode: "12", sources, target: h.target("out/r12e.mp4"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    const p = ffprobe(h.targetFile("out/r12e.mp4")!);
    expect([p.video, p.audio]).toEqual(["h264", "aac"]);
    expect(Math.abs(p.durationSeconds - 7)).toBeLessThan(0.5);
    // The downloads were made in the work dir and are gone with the job's directory.
    expect(readdirSync(h.workDir)).toEqual([]);
  });
});
