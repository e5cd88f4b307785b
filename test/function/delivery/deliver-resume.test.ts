// Checkpoints: a deadline that arrives mid-upload makes delivery stop at a part boundary and return "continue" with
// a JSON-serialisable checkpoint; the next invocation (a fresh call with that checkpoint) appends the remaining
// parts and completes. For stream-copied MP4 the result is the same media, packet for packet, as an uninterrupted
// delivery; for MP3 it has the same length and decodes cleanly.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliver } from "../../../function/delivery/deliver";
import type { DeliveryCheckpoint, DeliveryJob, DeliveryOutcome } from "../../../function/delivery/types";
import { FAST, startHarness, type Harness } from "./harness";
import { decodeErrors, ffprobe, loudestTone, makeMedia, packetDigest } from "./media";

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

// A deadline 5 s away on the harness's clock (which stands still) with a 5 s stop margin: every invocation stops at
// its first part boundary; the hard stop (at the deadline) never comes.
const TIGHT = { ...FAST, stopMarginMs: 5_000, hardMarginMs: 0 };

/** Calls deliver like the recorder would: fresh call per invocation, checkpoint through JSON, until not "continue". */
async function deliverInInvocations(job: DeliveryJob, maxInvocations: number): Promise<{ outcome: DeliveryOutcome; checkpoints: DeliveryCheckpoint[] }> {
  const checkpoints: DeliveryCheckpoint[] = [];
  let checkpoint: DeliveryCheckpoint | undefined;
  for (let i = 0; i < maxInvocations; i++) {
    const outcome = await deliver({ ...job, checkpoint }, h.deps({ deadlineMs: h.clock.now() + 5_000 }), TIGHT);
    if (outcome.kind !== "continue") return { outcome, checkpoints };
    checkpoint = JSON.parse(JSON.stringify(outcome.checkpoint)) as DeliveryCheckpoint;
    checkpoints.push(checkpoint);
  }
  throw new Error(`still "continue" after ${maxInvocations} invocations`);
}

// Mode 11 from sources with audio: the video is stream-copied by ffmpeg (a byte-for-byte join would carry the audio
// bytes along), so a resume has to splice fragments. Mode 12 joins resume at any byte: mp4-join.test.ts.
describe("ffmpeg stream copy across invocations", () => {
  const big = (name: string, seconds: number, tone: number) =>
    makeMedia(media, name, { seconds, container: "mp4", video: { width: 320, height: 180, fps: 15, gop: 15, bitrate: "1500k" }, audio: { tone } });

  it("stops at a part boundary, resumes mid-source, and ends with exactly the uninterrupted output's packets", async () => {
    const sources = [h.stage("rec/b1.mp4", big("b1.mp4", 10, 300)), h.stage("rec/b2.mp4", big("b2.mp4", 8, 600))];
    const reference = await deliver({ recordingId: "ref", mode: "11", sources, target: h.target("out/ref.mp4"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(reference.kind).toBe("delivered");

    const { outcome, checkpoints } = await deliverInInvocations({ recordingId: "rec-11", mode: "11", sources, target: h.target("out/split.mp4"), deleteSourcesAfter: false }, 20);
    expect(outcome.kind).toBe("delivered");
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    // Some checkpoint resumed inside a source (not at a source boundary): the splice had real work to do.
    expect(checkpoints.some((c) => c.resume?.kind === "mp4" && c.resume.videoSamplesDone % 150 !== 0)).toBe(true);
    expect(checkpoints.every((c) => c.upload?.parts.length && c.phase === "upload")).toBe(true);

    const split = h.targetFile("out/split.mp4")!;
    expect(packetDigest(split)).toBe(packetDigest(h.targetFile("out/ref.mp4")!));
    expect(decodeErrors(split)).toBe("");
    const p = ffprobe(split);
    expect([p.video, p.audio]).toEqual(["h264", undefined]);
    expect(Math.abs(p.durationSeconds - 18)).toBeLessThan(0.5);
    expect(h.cos.listUploadsDirect(h.target("x").bucket)).toEqual([]);
  });
});

describe("when a resume is not possible as saved", () => {
  const big = (name: string, seconds: number, tone: number) =>
    makeMedia(media, name, { seconds, container: "mp4", video: { width: 320, height: 180, fps: 15, gop: 15, bitrate: "1500k" }, audio: { tone } });

  async function firstCheckpoint(sources: ReturnType<Harness["stage"]>[], key: string): Promise<DeliveryCheckpoint> {
    const out = await deliver({ recordingId: "again", mode: "12", sources, target: h.target(key), deleteSourcesAfter: false }, h.deps({ deadlineMs: h.clock.now() + 5_000 }), TIGHT);
    if (out.kind !== "continue") throw new Error(`expected continue, got ${out.kind}`);
    return JSON.parse(JSON.stringify(out.checkpoint)) as DeliveryCheckpoint;
  }

  it("starts the upload over when the open multipart upload has vanished (aborted, expired)", async () => {
    const sources = [h.stage("rec/g1.mp4", big("b1.mp4", 10, 300)), h.stage("rec/g2.mp4", big("b2.mp4", 8, 600))];
    const cp = await firstCheckpoint(sources, "out/gone.mp4");
    await h.client.multipartAbort({ Bucket: cp.target.bucket, Region: cp.target.region, Key: cp.target.key, UploadId: cp.upload!.uploadId });
    const out = await deliver({ recordingId: "again", mode: "12", sources, target: h.target("out/gone.mp4"), deleteSourcesAfter: false, checkpoint: cp }, h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    expect(h.logs.some((l) => l.level === "warn" && /starting the upload over/.test(l.msg))).toBe(true);
    expect(Math.abs(ffprobe(h.targetFile("out/gone.mp4")!).durationSeconds - 18)).toBeLessThan(0.5);
  });

  it("starts over (never splices two versions) when a source changed since the checkpoint", async () => {
    const sources = [h.stage("rec/c1.mp4", big("b1.mp4", 10, 300)), h.stage("rec/c2.mp4", big("b2.mp4", 8, 600))];
    const cp = await firstCheckpoint(sources, "out/changed.mp4");
    h.stage("rec/c1.mp4", big("b3.mp4", 6, 900));
    const out = await deliver({ recordingId: "again", mode: "12", sources, target: h.target("out/changed.mp4"), deleteSourcesAfter: false, checkpoint: cp }, h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    const file = h.targetFile("out/changed.mp4")!;
    expect(Math.abs(ffprobe(file).durationSeconds - 14)).toBeLessThan(0.5);
    expect(loudestTone(file, 1, [300, 600, 900])).toBe(900);
    expect(h.cos.listUploadsDirect(h.target("x").bucket)).toEqual([]);
  });

  it("abandons the part in flight at the hard deadline and resumes from the last confirmed part", async () => {
    const sources = [h.stage("rec/h1.mp4", big("b1.mp4", 10, 300)), h.stage("rec/h2.mp4", big("b2.mp4", 8, 600))];
    expect((await deliver({ recordingId: "ref2", mode: "12", sources, target: h.target("out/ref2.mp4"), deleteSourcesAfter: false }, h.deps(), FAST)).kind).toBe("delivered");
    const refParts = h.saved.find((c) => c.recordingId === "ref2" && c.phase === "completed")!.upload!.parts.length;
    // More than two parts: the sink (two parts in flight at most) then holds the production back until a part is
    // confirmed, which cannot happen before COS has received one. So when the first part reaches COS, the production
    // is mid-stream.
    expect(refParts).toBeGreaterThanOrEqual(3);
    // The hard deadline arrives exactly then: the rule only watches for the first UploadPart and injects nothing.
    let deadlineCame = false;
    h.cos.faults.add({
      match: (r) => {
        if (r.action === "UploadPart" && !deadlineCame) {
          deadlineCame = true;
          void h.clock.advance(1_500);
        }
        return false;
      },
      times: 1,
      fault: { kind: "delay", ms: 0 },
    });
    const first = await deliver(
      { recordingId: "hard", mode: "12", sources, target: h.target("out/hard.mp4"), deleteSourcesAfter: false },
      h.deps({ deadlineMs: h.clock.now() + 1_500 }),
      { ...FAST, stopMarginMs: 0, hardMarginMs: 0 },
    );
    expect(deadlineCame).toBe(true);
    expect(h.logs.some((l) => l.level === "warn" && /hard deadline reached/.test(l.msg))).toBe(true);
    expect(first.kind).toBe("continue");
    h.cos.faults.clear();
    const cp = JSON.parse(JSON.stringify(first.kind === "continue" ? first.checkpoint : undefined)) as DeliveryCheckpoint;
    // The parts COS had confirmed are kept; the part still being produced is not (the last part is never sent).
    expect(cp.upload!.parts.length).toBeGreaterThanOrEqual(1);
    expect(cp.upload!.parts.length).toBeLessThan(refParts);
    const out = await deliver({ recordingId: "hard", mode: "12", sources, target: h.target("out/hard.mp4"), deleteSourcesAfter: false, checkpoint: cp }, h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    // Resumed (same upload, the checkpoint's parts kept), not started over.
    const done = h.saved.find((c) => c.recordingId === "hard" && c.phase === "completed")!;
    expect(done.upload!.uploadId).toBe(cp.upload!.uploadId);
    expect(done.upload!.parts.slice(0, cp.upload!.parts.length)).toEqual(cp.upload!.parts);
    expect(packetDigest(h.targetFile("out/hard.mp4")!)).toBe(packetDigest(h.targetFile("out/ref2.mp4")!));
    expect(h.cos.listUploadsDirect(h.target("x").bucket)).toEqual([]);
  });

  it("ignores a checkpoint made for another recording", async () => {
    const sources = [h.stage("rec/o1.mp4", big("b1.mp4", 10, 300)), h.stage("rec/o2.mp4", big("b2.mp4", 8, 600))];
    const cp = await firstCheckpoint(sources, "out/other.mp4");
    const out = await deliver({ recordingId: "someone-else", mode: "12", sources, target: h.target("out/mine.mp4"), deleteSourcesAfter: false, checkpoint: cp }, h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    expect(h.logs.some((l) => /another delivery/.test(l.msg))).toBe(true);
  });
});

describe("mode 10 MP3 across invocations", () => {
  it("resumes the encode where the uploaded frames end and keeps the length", async () => {
    const a = makeMedia(media, "long-a.m4a", { seconds: 80, container: "m4a", audio: { tone: 400, bitrate: "96k" } });
    const b = makeMedia(media, "long-b.m4a", { seconds: 70, container: "m4a", audio: { tone: 800, bitrate: "96k" } });
    const sources = [h.stage("rec/la.m4a", a), h.stage("rec/lb.m4a", b)];
    const { outcome, checkpoints } = await deliverInInvocations({ recordingId: "rec-10", mode: "10", sources, target: h.target("out/long.mp3"), deleteSourcesAfter: false }, 20);
    expect(outcome.kind).toBe("delivered");
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    expect(checkpoints[0].resume?.kind).toBe("mp3");
    const file = h.targetFile("out/long.mp3")!;
    const p = ffprobe(file);
    expect(p.audio).toBe("mp3");
    expect(Math.abs(p.durationSeconds - 150)).toBeLessThan(0.5);
    expect(decodeErrors(file)).toBe("");
    expect([loudestTone(file, 40, [400, 800]), loudestTone(file, 120, [400, 800])]).toEqual([400, 800]);
  });
});
