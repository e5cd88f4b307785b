// Mode 12 joins MP4 sources that share their codec setup without ffmpeg: one moov with the sources' sample tables end
// to end, then the sources' media bytes. Judged by ffmpeg itself (packets, timestamps, decoding, tones), with the
// ffmpeg path pointing nowhere so nothing could have been re-muxed.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliver } from "../../../function/delivery/deliver";
import { readBoxHeader } from "../../../function/delivery/mp4-boxes";
import { writeStbl } from "../../../function/delivery/mp4-sample-tables";
import type { DeliveryCheckpoint, DeliveryJob, DeliveryOutcome } from "../../../function/delivery/types";
import { FAST, startHarness, type Harness } from "./harness";
import { decodeErrors, ffprobe, loudestTone, makeMedia, packetDigest } from "./media";

let media: string;
let h: Harness;
beforeAll(() => {
  media = mkdtempSync(path.join(os.tmpdir(), "join-media-"));
});
afterAll(() => rmSync(media, { recursive: true, force: true }));
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const NO_FFMPEG = "/nonexistent/ffmpeg";

const av = (name: string, seconds: number, tone: number, extra: { moovAtEnd?: boolean; bitrate?: string; audioBitrate?: string } = {}) =>
  makeMedia(media, name, { seconds, container: "mp4", moovAtEnd: extra.moovAtEnd, video: { width: 320, height: 180, fps: 15, gop: 15, bitrate: extra.bitrate }, audio: { tone, bitrate: extra.audioBitrate } });

interface Packet {
  stream: number;
  /** Seconds. */
  pts: number;
  size: number;
  hash: string;
}

/** Every packet of every stream, as ffmpeg's demuxer reads it (framemd5 of a stream copy). */
function packets(file: string): Packet[] {
  const timebases = new Map<number, number>();
  const out: Packet[] = [];
  for (const line of packetDigest(file).split("\n")) {
    const tb = /^#tb (\d+): (\d+)\/(\d+)/.exec(line);
    if (tb) timebases.set(Number(tb[1]), Number(tb[2]) / Number(tb[3]));
    if (line.startsWith("#") || line.trim() === "") continue;
    const [stream, , pts, , size, hash] = line.split(",").map((x) => x.trim());
    out.push({ stream: Number(stream), pts: Number(pts) * timebases.get(Number(stream))!, size: Number(size), hash });
  }
  return out;
}

const sampleBytes = (ps: Packet[], stream: number) => ps.filter((p) => p.stream === stream).map((p) => `${p.size}:${p.hash}`);

function strategyLogged(): unknown {
  return h.logs.find((l) => l.msg === "starting delivery")?.fields?.strategy;
}

/** The top-level box types of a file, in order. */
function topLevel(file: string): string[] {
  const bytes = readFileSync(file);
  const types: string[] = [];
  for (let at = 0; at < bytes.length; ) {
    const box = readBoxHeader(bytes, at)!;
    types.push(box.type);
    at += box.size;
  }
  return types;
}

/** Each source's sample bytes appear in the output in order, and each source starts where the one before ended. */
function expectJoined(outFile: string, sourceFiles: string[]): void {
  const out = packets(outFile);
  const srcs = sourceFiles.map(packets);
  for (const stream of [0, 1]) expect(sampleBytes(out, stream)).toEqual(srcs.flatMap((s) => sampleBytes(s, stream)));
  let start = 0;
  let before = [0, 0];
  sourceFiles.forEach((file, j) => {
    const first = (ps: Packet[], stream: number, skip: number) => ps.filter((p) => p.stream === stream)[skip]!.pts;
    const outVideo = first(out, 0, before[0]);
    const outAudio = first(out, 1, before[1]);
    // The source's own video start, moved to where the previous sources ended (within a frame).
    expect(Math.abs(outVideo - (start + first(srcs[j], 0, 0)))).toBeLessThan(1 / 15);
    // Audio against video exactly as in the source (lip sync), to a millisecond.
    expect(Math.abs(outAudio - outVideo - (first(srcs[j], 1, 0) - first(srcs[j], 0, 0)))).toBeLessThan(0.001);
    start += ffprobe(file).durationSeconds;
    before = [0, 1].map((s) => before[s] + srcs[j].filter((p) => p.stream === s).length);
  });
}

describe("mode 12: MP4 sources joined byte for byte", () => {
  it("keeps every sample of every source in order, puts the moov first and keeps audio and video in step", async () => {
    const files = [av("p1.mp4", 4, 300), av("p2.mp4", 5, 500), av("p3.mp4", 3, 700)];
    const sources = files.map((f, i) => h.stage(`rec/p${i}.mp4`, f));
    const out = await deliver({ recordingId: "j12", mode: "12", sources, target: h.target("out/j12.mp4"), deleteSourcesAfter: false }, h.deps({ ffmpegPath: NO_FFMPEG }), FAST);
    expect(out).toMatchObject({ kind: "delivered", copied: false });
    expect(strategyLogged()).toBe("mp4-join");
    const file = h.targetFile("out/j12.mp4")!;
    expect(topLevel(file)).toEqual(["ftyp", "moov", "mdat"]);
    expectJoined(file, files);
    expect(decodeErrors(file)).toBe("");
    const p = ffprobe(file);
    expect([p.video, p.audio]).toEqual(["h264", "aac"]);
    expect(Math.abs(p.durationSeconds - 12)).toBeLessThan(0.2);
    expect([1.5, 6, 10.5].map((t) => loudestTone(file, t, [300, 500, 700]))).toEqual([300, 500, 700]);
  });

  it("joins pieces whose sample descriptions differ only in the bitrate they state (each piece states its own)", async () => {
    const files = [av("r1.mp4", 3, 300, { audioBitrate: "48k" }), av("r2.mp4", 3, 500, { audioBitrate: "128k" })];
    const sources = files.map((f, i) => h.stage(`rec/r${i}.mp4`, f));
    const out = await deliver({ recordingId: "jr", mode: "12", sources, target: h.target("out/jr.mp4"), deleteSourcesAfter: false }, h.deps({ ffmpegPath: NO_FFMPEG }), FAST);
    expect(out.kind).toBe("delivered");
    expect(strategyLogged()).toBe("mp4-join");
    expectJoined(h.targetFile("out/jr.mp4")!, files);
  });

  it("joins video with B-frames (composition offsets, a video edit list) and keeps it in step", async () => {
    const bf = (name: string, seconds: number, tone: number) =>
      makeMedia(media, name, { seconds, container: "mp4", video: { width: 320, height: 180, fps: 15, gop: 15, bFrames: 2 }, audio: { tone } });
    const files = [bf("bf1.mp4", 4, 300), bf("bf2.mp4", 3, 500)];
    const bytes = readFileSync(files[0]);
    expect(["ctts", "elst"].map((box) => bytes.includes(Buffer.from(box)))).toEqual([true, true]);
    const sources = files.map((f, i) => h.stage(`rec/bf${i}.mp4`, f));
    const out = await deliver({ recordingId: "jbf", mode: "12", sources, target: h.target("out/jbf.mp4"), deleteSourcesAfter: false }, h.deps({ ffmpegPath: NO_FFMPEG }), FAST);
    expect(out.kind).toBe("delivered");
    expect(strategyLogged()).toBe("mp4-join");
    const file = h.targetFile("out/jbf.mp4")!;
    expectJoined(file, files);
    expect(decodeErrors(file)).toBe("");
    expect(Math.abs(ffprobe(file).durationSeconds - 7)).toBeLessThan(0.2);
    expect([1.5, 5].map((t) => loudestTone(file, t, [300, 500]))).toEqual([300, 500]);
  });

  it("reads sources whose moov is at the end with ranged GETs and writes nothing locally", async () => {
    const files = [av("e1.mp4", 3, 300, { moovAtEnd: true }), av("e2.mp4", 4, 500, { moovAtEnd: true })];
    expect(topLevel(files[0]).indexOf("moov")).toBeGreaterThan(topLevel(files[0]).indexOf("mdat"));
    const sources = files.map((f, i) => h.stage(`rec/e${i}.mp4`, f));
    const out = await deliver({ recordingId: "je", mode: "12", sources, target: h.target("out/je.mp4"), deleteSourcesAfter: false }, h.deps({ ffmpegPath: NO_FFMPEG }), FAST);
    expect(out.kind).toBe("delivered");
    const file = h.targetFile("out/je.mp4")!;
    expect(topLevel(file)).toEqual(["ftyp", "moov", "mdat"]);
    expectJoined(file, files);
    const gets = h.cos.requests.filter((r) => r.operation === "GetObject" && r.path.startsWith("/rec/e"));
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((r) => r.status === 206)).toBe(true);
  });

  it("leaves a file without the audio to ffmpeg: mode 11 from sources with audio is not joined byte for byte", async () => {
    const files = [av("m1.mp4", 3, 300), av("m2.mp4", 3, 500)];
    const sources = files.map((f, i) => h.stage(`rec/m${i}.mp4`, f));
    const out = await deliver({ recordingId: "m11", mode: "11", sources, target: h.target("out/m11.mp4"), deleteSourcesAfter: false }, h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    expect(strategyLogged()).toBe("mp4-copy");
    expect(h.logs.find((l) => l.msg === "joining the MP4 sources with ffmpeg")?.fields?.reason).toMatch(/soun track the output leaves out/);
    const p = ffprobe(h.targetFile("out/m11.mp4")!);
    expect([p.video, p.audio]).toEqual(["h264", undefined]);
  });

  it("joins video-only sources for mode 11", async () => {
    const files = ["v1.mp4", "v2.mp4"].map((n, i) => makeMedia(media, n, { seconds: 3 + i, container: "mp4", video: { width: 320, height: 180, fps: 15, gop: 15 } }));
    const sources = files.map((f, i) => h.stage(`rec/v${i}.mp4`, f));
    const out = await deliver({ recordingId: "v11", mode: "11", sources, target: h.target("out/v11.mp4"), deleteSourcesAfter: false }, h.deps({ ffmpegPath: NO_FFMPEG }), FAST);
    expect(out.kind).toBe("delivered");
    expect(strategyLogged()).toBe("mp4-join");
    const file = h.targetFile("out/v11.mp4")!;
    expect(sampleBytes(packets(file), 0)).toEqual(files.flatMap((f) => sampleBytes(packets(f), 0)));
    expect(Math.abs(ffprobe(file).durationSeconds - 7)).toBeLessThan(0.2);
  });
});

describe("a join across invocations", () => {
  // The harness's clock stands still: with the deadline 5 s ahead and a 5 s stop margin every invocation stops at
  // its first part boundary (1 MiB parts).
  const TIGHT = { ...FAST, stopMarginMs: 5_000, hardMarginMs: 0 };
  const big = (name: string, seconds: number, tone: number) => av(name, seconds, tone, { bitrate: "1500k" });
  const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

  async function invoke(job: DeliveryJob, checkpoint?: DeliveryCheckpoint): Promise<DeliveryOutcome> {
    return deliver({ ...job, checkpoint }, h.deps({ deadlineMs: h.clock.now() + 5_000, ffmpegPath: NO_FFMPEG }), TIGHT);
  }

  it("resumes at the next byte and ends byte-identical to an uninterrupted join", async () => {
    const sources = [h.stage("rec/b1.mp4", big("b1.mp4", 10, 300)), h.stage("rec/b2.mp4", big("b2.mp4", 8, 600))];
    const reference = await deliver({ recordingId: "ref", mode: "12", sources, target: h.target("out/ref.mp4"), deleteSourcesAfter: false }, h.deps({ ffmpegPath: NO_FFMPEG }), FAST);
    expect(reference.kind).toBe("delivered");
    const job: DeliveryJob = { recordingId: "split", mode: "12", sources, target: h.target("out/split.mp4"), deleteSourcesAfter: false };
    const checkpoints: DeliveryCheckpoint[] = [];
    let outcome = await invoke(job);
    for (let i = 0; outcome.kind === "continue" && i < 20; i++) {
      checkpoints.push(JSON.parse(JSON.stringify(outcome.checkpoint)) as DeliveryCheckpoint);
      outcome = await invoke(job, checkpoints[checkpoints.length - 1]);
    }
    expect(outcome.kind).toBe("delivered");
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    const resumes = checkpoints.map((c) => c.resume);
    expect(resumes.every((r) => r?.kind === "bytes" && r.layout === (resumes[0] as { layout?: string }).layout && r.layout !== undefined)).toBe(true);
    // Each invocation went on from where the previous one's confirmed parts ended.
    expect(checkpoints.map((c) => (c.resume?.kind === "bytes" ? c.resume.offset : -1))).toEqual(checkpoints.map((c) => c.upload!.bytes));
    expect(sha(h.targetFile("out/split.mp4")!)).toBe(sha(h.targetFile("out/ref.mp4")!));
    expect(h.cos.listUploadsDirect(h.target("x").bucket)).toEqual([]);
  });

  it("starts over rather than continue a checkpoint made for another byte layout", async () => {
    const sources = [h.stage("rec/c1.mp4", big("b1.mp4", 10, 300)), h.stage("rec/c2.mp4", big("b2.mp4", 8, 600))];
    await deliver({ recordingId: "ref", mode: "12", sources, target: h.target("out/ref2.mp4"), deleteSourcesAfter: false }, h.deps({ ffmpegPath: NO_FFMPEG }), FAST);
    const job: DeliveryJob = { recordingId: "other", mode: "12", sources, target: h.target("out/other.mp4"), deleteSourcesAfter: false };
    const first = await invoke(job);
    if (first.kind !== "continue") throw new Error(`expected continue, got ${first.kind}`);
    const cp = JSON.parse(JSON.stringify(first.checkpoint)) as DeliveryCheckpoint;
    if (cp.resume?.kind !== "bytes") throw new Error("expected a byte resume point");
    cp.resume.layout = "made-by-other-code";
    const out = await deliver({ ...job, checkpoint: cp }, h.deps({ ffmpegPath: NO_FFMPEG }), FAST);
    expect(out.kind).toBe("delivered");
    expect(h.logs.some((l) => l.level === "warn" && /starting the upload over/.test(l.msg))).toBe(true);
    expect(sha(h.targetFile("out/other.mp4")!)).toBe(sha(h.targetFile("out/ref2.mp4")!));
  });
});

describe("writeStbl", () => {
  it("switches to 64-bit chunk offsets when an offset passes 4 GiB", () => {
    const stsd = Buffer.from("0000001073747364000000000000000000", "hex").subarray(0, 16);
    const table = (offsets: number[]) => writeStbl({ stsd, stts: [[2, 1]], sampleSizes: Uint32Array.from([5, 6]), chunkSamples: [1, 1], chunkOffsets: offsets });
    const small = table([100, 105]);
    expect(small.includes(Buffer.from("stco"))).toBe(true);
    const wide = table([100, 2 ** 32 + 7]);
    const at = wide.indexOf(Buffer.from("co64"));
    expect(at).toBeGreaterThan(0);
    // co64: type, version/flags, entry count, then 64-bit offsets.
    expect(wide.readUInt32BE(at + 8)).toBe(2);
    expect([wide.readBigUInt64BE(at + 12), wide.readBigUInt64BE(at + 20)]).toEqual([100n, 2n ** 32n + 7n]);
  });
});
