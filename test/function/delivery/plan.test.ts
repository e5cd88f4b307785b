// The plan decides copy vs stream copy vs re-encode vs "impossible" from what the probe found; these cases pin it.
import { describe, expect, it } from "vitest";
import type { MoovInfo, Mp4Track } from "../../../function/delivery/mp4-moov";
import { planDelivery } from "../../../function/delivery/plan";
import type { ProbedSource } from "../../../function/delivery/source-probe";

function track(handler: "vide" | "soun", over: Partial<Mp4Track> = {}): Mp4Track {
  const video = handler === "vide";
  const t: Mp4Track = {
    trackId: video ? 1 : 2,
    handler,
    codec: video ? "avc1" : "mp4a",
    timescale: video ? 15360 : 48000,
    duration: 0,
    sampleCount: 100,
    fingerprint: "",
    timeToSample: [[100, 1024]],
    editOffsetSeconds: 0,
    ...(video ? { width: 480, height: 240 } : { sampleRate: 48000, channels: 1 }),
    ...over,
  };
  t.fingerprint ||= video ? `${t.codec}:${t.width}x${t.height}:cfg` : `${t.codec}:${t.sampleRate}:${t.channels}`;
  return t;
}

function mp4(key: string, tracks: Mp4Track[], fragmented = false): ProbedSource {
  const moov: MoovInfo = { timescale: 1000, durationSeconds: 10, fragmented, tracks };
  return { index: 0, location: { bucket: "b-1", region: "r", key }, size: 1000, etag: '"e"', format: "mp4", moov, streamable: true };
}

const adts = (key: string): ProbedSource => ({ index: 0, location: { bucket: "b-1", region: "r", key }, size: 1000, etag: '"e"', format: "adts", streamable: true });
const mp3 = (key: string): ProbedSource => ({ ...adts(key), format: "mp3" });

describe("mode 11", () => {
  it("copies one video-only MP4", () => {
    expect(planDelivery("11", [mp4("a.mp4", [track("vide")])]).kind).toBe("copy");
  });
  it("strips audio from one audio+video MP4 by stream copy", () => {
    expect(planDelivery("11", [mp4("a.mp4", [track("vide"), track("soun")])])).toMatchObject({ kind: "mp4", withAudio: false, resumable: true });
    expect(planDelivery("11", [mp4("a.mp4", [track("vide"), track("soun")])])).not.toHaveProperty("reencode");
  });
  it("cannot make video from audio-only sources", () => {
    expect(planDelivery("11", [adts("a.aac")]).kind).toBe("impossible");
    expect(planDelivery("11", [mp4("a.m4a", [track("soun")])]).kind).toBe("impossible");
  });
});

describe("mode 12", () => {
  it("copies one audio+video MP4, and one video-only MP4 with a warning", () => {
    expect(planDelivery("12", [mp4("a.mp4", [track("vide"), track("soun")])])).toMatchObject({ kind: "copy", warnings: [] });
    const p = planDelivery("12", [mp4("a.mp4", [track("vide")])]);
    expect(p.kind).toBe("copy");
    expect(p.kind === "copy" && p.warnings[0]).toMatch(/video only/);
  });
  it("joins matching sources by stream copy, resumably", () => {
    const s = [mp4("1.mp4", [track("vide"), track("soun")]), mp4("2.mp4", [track("vide"), track("soun")])];
    expect(planDelivery("12", s)).toMatchObject({ kind: "mp4", withAudio: true, resumable: true });
  });
  it("re-encodes when sources differ in resolution (not resumable mid-run)", () => {
    const s = [mp4("1.mp4", [track("vide"), track("soun")]), mp4("2.mp4", [track("vide", { width: 640, height: 360 }), track("soun")])];
    expect(planDelivery("12", s)).toMatchObject({ kind: "mp4", reencode: { width: 480, height: 240 }, resumable: false });
  });
  it("refuses to join sources where only some have audio", () => {
    expect(planDelivery("12", [mp4("1.mp4", [track("vide"), track("soun")]), mp4("2.mp4", [track("vide")])]).kind).toBe("impossible");
  });
  it("does not resume mid-run inside fragmented sources (their moov has no sample index)", () => {
    const s = [mp4("1.mp4", [track("vide")], true), mp4("2.mp4", [track("vide")], true)];
    expect(planDelivery("12", s)).toMatchObject({ kind: "mp4", resumable: false });
  });
});

describe("mode 10", () => {
  it("transcodes AAC in ADTS or MP4, and copies a lone MP3", () => {
    expect(planDelivery("10", [adts("1.aac"), mp4("2.m4a", [track("soun")])]).kind).toBe("mp3");
    expect(planDelivery("10", [mp4("av.mp4", [track("vide"), track("soun")])]).kind).toBe("mp3");
    expect(planDelivery("10", [mp3("x.mp3")]).kind).toBe("copy");
  });
  it("needs AAC audio in every source", () => {
    expect(planDelivery("10", [mp4("v.mp4", [track("vide")])]).kind).toBe("impossible");
    expect(planDelivery("10", [mp4("o.mp4", [track("soun", { codec: "Opus" })])]).kind).toBe("impossible");
    expect(planDelivery("10", [mp3("x.mp3"), adts("y.aac")]).kind).toBe("impossible");
  });
  it("has nothing to do without sources", () => {
    expect(planDelivery("10", []).kind).toBe("impossible");
  });
});
