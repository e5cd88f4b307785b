// Small real media for the delivery tests, made with the same npm ffmpeg the tests run (lavfi test sources: a
// pattern or colour + a sine tone), and an ffprobe summary to judge outputs by.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

export const FFMPEG = path.resolve("node_modules/@ffmpeg-installer/linux-x64/ffmpeg");
export const FFPROBE = path.resolve("node_modules/@ffprobe-installer/linux-x64/ffprobe");

export interface MediaSpec {
  seconds: number;
  /** Video stream (H.264, key frame every `gop` frames). */
  video?: { width: number; height: number; fps: number; gop: number; bitrate?: string; pattern?: string; bFrames?: number };
  /** AAC tone in Hz. */
  audio?: { tone: number; bitrate?: string };
  /** mp4/m4a: MP4 container (faststart unless `moovAtEnd`); aac: raw ADTS. */
  container: "mp4" | "m4a" | "aac";
  moovAtEnd?: boolean;
}

/** Renders the spec to `dir/name` once (cached by name) and returns the path. */
export function makeMedia(dir: string, name: string, spec: MediaSpec): string {
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, name);
  if (existsSync(out)) return out;
  const args = ["-hide_banner", "-loglevel", "error", "-y"];
  const v = spec.video;
  if (v) args.push("-f", "lavfi", "-i", `${v.pattern ?? "testsrc2"}=s=${v.width}x${v.height}:r=${v.fps}:d=${spec.seconds}`);
  if (spec.audio) args.push("-f", "lavfi", "-i", `sine=frequency=${spec.audio.tone}:sample_rate=48000:duration=${spec.seconds}`);
  // ultrafast never writes B-frames; with bFrames the file has composition offsets (ctts) and a video edit list.
  if (v) args.push("-c:v", "libx264", "-preset", v.bFrames ? "veryfast" : "ultrafast", ...(v.bFrames ? ["-bf", String(v.bFrames)] : []), "-pix_fmt", "yuv420p", "-g", String(v.gop), "-keyint_min", String(v.gop), "-sc_threshold", "0", ...(v.bitrate ? ["-b:v", v.bitrate] : []));
  if (spec.audio) args.push("-c:a", "aac", "-b:a", spec.audio.bitrate ?? "64k");
  if (spec.container === "aac") args.push("-f", "adts");
  else if (!spec.moovAtEnd) args.push("-movflags", "+faststart");
  args.push("-t", String(spec.seconds), out);
  execFileSync(FFMPEG, args);
  return out;
}

export interface Probe {
  durationSeconds: number;
  formatName: string;
  streams: Array<{ type: string; codec: string }>;
  video?: string;
  audio?: string;
}

export function ffprobe(file: string): Probe {
  const json = execFileSync(FFPROBE, ["-v", "error", "-show_entries", "format=duration,format_name:stream=codec_type,codec_name", "-of", "json", file]).toString();
  const parsed = JSON.parse(json) as { format: { duration?: string; format_name: string }; streams: Array<{ codec_type: string; codec_name: string }> };
  const streams = parsed.streams.map((s) => ({ type: s.codec_type, codec: s.codec_name }));
  return {
    durationSeconds: Number(parsed.format.duration ?? NaN),
    formatName: parsed.format.format_name,
    streams,
    video: streams.find((s) => s.type === "video")?.codec,
    audio: streams.find((s) => s.type === "audio")?.codec,
  };
}

/** Per-packet pts/dts/size/md5 of every stream (stream copy): equal output means the same media, sample for sample. */
export function packetDigest(file: string): string {
  return execFileSync(FFMPEG, ["-v", "error", "-i", file, "-map", "0", "-c", "copy", "-f", "framemd5", "-"]).toString();
}

/** Decodes every stream of the file; returns ffmpeg's error output (empty for a clean decode). */
export function decodeErrors(file: string): string {
  const r = spawnSync(FFMPEG, ["-hide_banner", "-v", "error", "-i", file, "-map", "0", "-f", "null", "-"], { encoding: "utf8" });
  return r.status === 0 ? r.stderr.trim() : `exit ${r.status}: ${r.stderr.trim()}`;
}

/**
 * Which of `candidates` (Hz) is loudest in [at, at + 1 s): a double band-pass per tone + volumedetect, named with
 * `@` so the lines can be attributed (see shared/reference/ffmpeg.md (d)).
 */
export function loudestTone(file: string, at: number, candidates: number[]): number {
  const split = `[0:a]asplit=${candidates.length}${candidates.map((_, i) => `[s${i}]`).join("")}`;
  const chains = candidates.map((f, i) => `[s${i}]bandpass=f=${f}:width_type=h:width=40,bandpass=f=${f}:width_type=h:width=40,volumedetect@f${f},anullsink`);
  const r = spawnSync(FFMPEG, ["-hide_banner", "-nostats", "-ss", String(at), "-t", "1", "-i", file, "-filter_complex", [split, ...chains].join(";"), "-f", "null", "-"], { encoding: "utf8" });
  let best = { f: 0, db: -Infinity };
  for (const f of candidates) {
    const m = new RegExp(`volumedetect@f${f} @ [^\\]]+\\] mean_volume: (-?[\\d.]+) dB`).exec(r.stderr);
    const db = m ? Number(m[1]) : -Infinity;
    if (db > best.db) best = { f, db };
  }
  return best.f;
}
