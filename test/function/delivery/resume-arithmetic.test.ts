// Pure arithmetic that maps a checkpoint back onto the sources: where a resumed run starts.
import { describe, expect, it } from "vitest";
import { MP3_ENCODER_DELAY_SAMPLES } from "../../../function/delivery/ffmpeg-args";
import { mp3Start } from "../../../function/delivery/mp3-production";
import type { Mp4Track } from "../../../function/delivery/mp4-moov";
import { seekTimeForKeyFrame } from "../../../function/delivery/mp4-moov";
import { mp4Start } from "../../../function/delivery/mp4-production";
import { SpliceMismatch } from "../../../function/delivery/mp4-splice";
import type { ProbedSource } from "../../../function/delivery/source-probe";
import type { ResumePoint } from "../../../function/delivery/types";

type Mp3Resume = Extract<ResumePoint, { kind: "mp3" }>;
type Mp4Resume = Extract<ResumePoint, { kind: "mp4" }>;

const mp3Resume = (over: Partial<Mp3Resume>): Mp3Resume => ({
  kind: "mp3",
  framesDone: 0,
  samplesPerFrame: 1152,
  sampleRate: 48000,
  nextInputSample: 0,
  samplesPerAacFrame: 1024,
  sourceAacFrames: [],
  ...over,
});

describe("mp3Start", () => {
  it("starts a fresh run at the beginning", () => {
    expect(mp3Start(undefined, 2)).toEqual({ firstSource: 0, skipAacFrames: 0, trimSamples: 0, startSample: 0, framesDone: 0 });
  });

  it("feeds one AAC frame before the target (decoder warm-up) and trims the rest sample-exactly", () => {
    // 1000 MP3 frames uploaded: the next input sample is 1000*1152 - encoder delay.
    const next = 1000 * 1152 - MP3_ENCODER_DELAY_SAMPLES;
    const s = mp3Start(mp3Resume({ framesDone: 1000, nextInputSample: next }), 1);
    expect(s.skipAacFrames).toBe(Math.floor(next / 1024) - 1);
    expect(s.skipAacFrames * 1024 + s.trimSamples).toBe(next);
    expect(s.trimSamples).toBeGreaterThanOrEqual(1024);
    expect(s.trimSamples).toBeLessThan(2048);
  });

  it("skips whole sources it knows the length of without reading them", () => {
    const s = mp3Start(mp3Resume({ nextInputSample: 5000 * 1024, sourceAacFrames: [3000, 1500] }), 3);
    expect(s.firstSource).toBe(2);
    expect(s.skipAacFrames).toBe(5000 - 1 - 4500);
  });
});

function video(sampleCount: number, gop: number): Mp4Track {
  const sync: number[] = [];
  for (let i = 1; i <= sampleCount; i += gop) sync.push(i);
  return { trackId: 1, handler: "vide", codec: "avc1", timescale: 15360, duration: sampleCount * 1024, sampleCount, fingerprint: "v", timeToSample: [[sampleCount, 1024]], syncSamples: sync, editOffsetSeconds: 0 };
}

function source(index: number, samples: number, gop = 15): ProbedSource {
  return { index, location: { bucket: "b-1", region: "r", key: `${index}.mp4` }, size: 1, etag: "e", format: "mp4", streamable: true, moov: { timescale: 1000, durationSeconds: samples / 15, fragmented: false, tracks: [video(samples, gop)] } };
}

const mp4Resume = (videoSamplesDone: number): Mp4Resume => ({ kind: "mp4", fragmentsDone: 1, videoSamplesDone, next: { tracks: [] }, initTracks: [] });

describe("mp4Start", () => {
  const sources = [source(0, 90), source(1, 75)];

  it("finds the source and seeks half-way into the key frame's GOP (never onto a neighbour)", () => {
    const s = mp4Start(mp4Resume(30), sources);
    expect(s.firstSource).toBe(0);
    // key frame 30 is at 2.0 s, the next at 3.0 s: seek to 2.5 s.
    expect(s.inpoint).toBeCloseTo(2.5, 6);
    expect(seekTimeForKeyFrame(sources[0].moov!.tracks[0], 30)).toBeCloseTo(2.5, 6);
  });

  it("starts a later source from its beginning when the checkpoint is at a source boundary", () => {
    expect(mp4Start(mp4Resume(90), sources)).toEqual({ firstSource: 1, inpoint: undefined });
    expect(mp4Start(mp4Resume(105), sources).firstSource).toBe(1);
  });

  it("refuses positions that are not key frames or lie past the end", () => {
    expect(() => mp4Start(mp4Resume(31), sources)).toThrow(SpliceMismatch);
    expect(() => mp4Start(mp4Resume(165), sources)).toThrow(SpliceMismatch);
  });
});
