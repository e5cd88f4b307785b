// Pure: what to do with the sources for a mode. One source that already is the requested output is copied
// server-side (no bytes through the function); MP4 sources that share their codec setup are joined byte for byte
// (no ffmpeg); otherwise the sources are joined and converted with ffmpeg, by stream copy whenever their codecs and
// parameters agree.
import { planJoin, type ByteLayout } from "./mp4-join";
import { firstTrack } from "./mp4-moov";
import type { ProbedSource } from "./source-probe";
import type { Mode } from "./types";

export type Plan =
  | { kind: "copy"; source: ProbedSource; warnings: string[] }
  | { kind: "mp3"; warnings: string[] }
  /** MP4 sources joined sample for sample into one file with the moov first: a fixed byte layout, no ffmpeg. */
  | { kind: "join"; layout: ByteLayout; warnings: string[] }
  /** `note`: why the sources were not joined byte for byte (for the log). */
  | { kind: "mp4"; withAudio: boolean; reencode?: { width: number; height: number }; resumable: boolean; warnings: string[]; note?: string }
  /** The sources cannot make the requested output ("transcode failed", with the reason). */
  | { kind: "impossible"; detail: string };

function hasTrack(s: ProbedSource, handler: "vide" | "soun"): boolean {
  return s.moov !== undefined && firstTrack(s.moov, handler) !== undefined;
}

function planMp3(sources: ProbedSource[]): Plan {
  if (sources.length === 1 && sources[0].format === "mp3") return { kind: "copy", source: sources[0], warnings: [] };
  for (const s of sources) {
    if (s.format === "mp3") return { kind: "impossible", detail: `${s.location.key} is MP3; MP3 sources can only be delivered alone` };
    if (s.format === "mp4") {
      const audio = s.moov ? firstTrack(s.moov, "soun") : undefined;
      if (!audio) return { kind: "impossible", detail: `${s.location.key} has no audio stream (mode 10 needs audio)` };
      if (audio.codec !== "mp4a") return { kind: "impossible", detail: `${s.location.key} carries ${audio.codec} audio, not AAC` };
    }
  }
  return { kind: "mp3", warnings: [] };
}

function planMp4(mode: "11" | "12", sources: ProbedSource[]): Plan {
  for (const s of sources) {
    if (s.format !== "mp4" || !hasTrack(s, "vide")) return { kind: "impossible", detail: `${s.location.key} has no video stream (mode ${mode} needs video)` };
  }
  const warnings: string[] = [];
  const audioFlags = sources.map((s) => hasTrack(s, "soun"));
  let withAudio = false;
  if (mode === "12") {
    if (audioFlags.some((a) => a) && !audioFlags.every((a) => a)) {
      return { kind: "impossible", detail: "some sources have audio and some do not; they cannot be joined without re-mixing" };
    }
    withAudio = audioFlags[0];
    // TRTC always mixes an audio track for StreamType 0; delivering the video alone beats losing the recording.
    if (!withAudio) warnings.push("mode 12 sources have no audio stream: the MP4 is video only");
  }
  if (sources.length === 1) {
    const matches = mode === "11" ? !audioFlags[0] : true;
    if (matches) return { kind: "copy", source: sources[0], warnings };
  }
  const video = sources.map((s) => firstTrack(s.moov!, "vide")!);
  const audio = withAudio ? sources.map((s) => firstTrack(s.moov!, "soun")!) : [];
  const sameVideo = video.every((v) => v.fingerprint === video[0].fingerprint);
  const sameAudio = audio.every((a) => a.fingerprint === audio[0]?.fingerprint);
  const fragmented = sources.some((s) => s.moov?.fragmented);
  if (sameVideo && sameAudio) {
    if (fragmented) return { kind: "mp4", withAudio, resumable: false, warnings, note: "fragmented sources" };
    const join = planJoin(
      sources.map((s) => ({ key: s.location.key, size: s.size, moov: s.moovBytes ?? Buffer.alloc(0) })),
      withAudio ? ["vide", "soun"] : ["vide"],
    );
    if (join.ok) return { kind: "join", layout: join.layout, warnings };
    return { kind: "mp4", withAudio, resumable: true, warnings, note: join.reason };
  }
  warnings.push("sources differ in codec parameters: re-encoding (no mid-run checkpoints)");
  return { kind: "mp4", withAudio, reencode: { width: video[0].width ?? 640, height: video[0].height ?? 360 }, resumable: false, warnings };
}

export function planDelivery(mode: Mode, sources: ProbedSource[]): Plan {
  if (sources.length === 0) return { kind: "impossible", detail: "no sources" };
  return mode === "10" ? planMp3(sources) : planMp4(mode, sources);
}
