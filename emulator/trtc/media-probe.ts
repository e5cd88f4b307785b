// Media assertions for tests that judge recordings: which streams a file has, how long it is, what colour a tile
// shows at time t, and how loud a given tone is. Recipes from reference/ffmpeg.md (d) and (e).
import { DEFAULT_FFMPEG, DEFAULT_FFPROBE, runTool } from "./ffmpeg-run";

export interface ProbeTools {
  /** @default node_modules/@ffmpeg-installer/linux-x64/ffmpeg */
  ffmpegPath?: string;
  /** @default node_modules/@ffprobe-installer/linux-x64/ffprobe */
  ffprobePath?: string;
}

export interface StreamInfo {
  type: "video" | "audio" | "other";
  codec: string;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
  /** Frames per second (video), from r_frame_rate. */
  fps?: number;
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

interface FfprobeJson {
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    sample_rate?: string;
    channels?: number;
    r_frame_rate?: string;
  }>;
  format?: { duration?: string };
}

async function ffprobe(file: string, entries: string, tools: ProbeTools): Promise<FfprobeJson> {
  const { stdout } = await runTool(tools.ffprobePath ?? DEFAULT_FFPROBE, ["-v", "error", "-show_entries", entries, "-of", "json", file]);
  return JSON.parse(stdout.toString("utf8")) as FfprobeJson;
}

function rate(r: string | undefined): number | undefined {
  if (!r) return undefined;
  const [n, d] = r.split("/").map(Number);
  return d ? n / d : n;
}

/** The file's streams in order, e.g. [{type:"video",codec:"h264",...},{type:"audio",codec:"aac",...}]. */
export async function probeStreams(file: string, tools: ProbeTools = {}): Promise<StreamInfo[]> {
  const json = await ffprobe(file, "stream=codec_type,codec_name,width,height,sample_rate,channels,r_frame_rate", tools);
  return (json.streams ?? []).map((s) => {
    const type = s.codec_type === "video" || s.codec_type === "audio" ? s.codec_type : "other";
    return {
      type,
      codec: s.codec_name ?? "",
      ...(type === "video" ? { width: s.width, height: s.height, fps: rate(s.r_frame_rate) } : {}),
      ...(type === "audio" ? { sampleRate: Number(s.sample_rate), channels: s.channels } : {}),
    };
  });
}

/** Container duration in seconds. */
export async function durationSeconds(file: string, tools: ProbeTools = {}): Promise<number> {
  const json = await ffprobe(file, "format=duration", tools);
  const d = Number(json.format?.duration);
  if (!Number.isFinite(d)) throw new Error(`durationSeconds: ffprobe reported no duration for ${file}`);
  return d;
}

/**
 * Average colour of a rectangle of the frame at `tSeconds`. Only the inner 60% of the rectangle is averaged:
 * 4:2:0 chroma and the encoder bleed colour a few pixels across tile edges.
 */
export async function tileColor(file: string, tSeconds: number, rect: { x: number; y: number; w: number; h: number }, tools: ProbeTools = {}): Promise<Rgb> {
  const w = Math.max(2, Math.round(rect.w * 0.6));
  const h = Math.max(2, Math.round(rect.h * 0.6));
  const x = Math.round(rect.x + (rect.w - w) / 2);
  const y = Math.round(rect.y + (rect.h - h) / 2);
  const { stdout } = await runTool(tools.ffmpegPath ?? DEFAULT_FFMPEG, [
    "-hide_banner", "-loglevel", "error", "-ss", String(tSeconds), "-i", file, "-frames:v", "1",
    "-vf", `crop=${w}:${h}:${x}:${y},scale=1:1:flags=area,format=rgb24`, "-f", "rawvideo", "pipe:1",
  ]);
  if (stdout.length < 3) throw new Error(`tileColor: no frame at ${tSeconds}s in ${file}`);
  return { r: stdout[0], g: stdout[1], b: stdout[2] };
}

const NAMED: Record<string, Rgb> = {
  black: { r: 0, g: 0, b: 0 },
  white: { r: 255, g: 255, b: 255 },
  red: { r: 255, g: 0, b: 0 },
  lime: { r: 0, g: 255, b: 0 },
  green: { r: 0, g: 128, b: 0 },
  blue: { r: 0, g: 0, b: 255 },
  yellow: { r: 255, g: 255, b: 0 },
  cyan: { r: 0, g: 255, b: 255 },
  magenta: { r: 255, g: 0, b: 255 },
  orange: { r: 255, g: 165, b: 0 },
};

/** "red" (the names the room's default palette uses) or "#RRGGBB" as RGB. */
export function parseColor(color: string): Rgb {
  const named = NAMED[color.toLowerCase()];
  if (named) return named;
  const m = /^(?:#|0x)([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new Error(`parseColor: expected a known name or #RRGGBB (got "${color}")`);
  return { r: parseInt(m[1], 16), g: parseInt(m[2], 16), b: parseInt(m[3], 16) };
}

/** True when every channel is within `tolerance` of the expected colour (H.264 + 4:2:0 shifts a few units). */
export function colorMatches(actual: Rgb, expected: string | Rgb, tolerance = 40): boolean {
  const e = typeof expected === "string" ? parseColor(expected) : expected;
  return Math.abs(actual.r - e.r) <= tolerance && Math.abs(actual.g - e.g) <= tolerance && Math.abs(actual.b - e.b) <= tolerance;
}

export interface ToneWindow {
  fromS?: number;
  toS?: number;
}

/**
 * Mean level in dB of narrow bands around each frequency, in one decoding pass (two cascaded 40 Hz band-passes,
 * then volumedetect). A present tone measures about -20..-40 dB, an absent one below -60 dB; ≈ -50 separates them.
 */
export async function toneLevelsDb(file: string, hzs: number[], window: ToneWindow = {}, tools: ProbeTools = {}): Promise<Map<number, number>> {
  if (hzs.length === 0) return new Map();
  const bands = hzs.map((hz, i) => `[t${i}]bandpass=f=${hz}:width_type=h:width=40,bandpass=f=${hz}:width_type=h:width=40,volumedetect@f${i},anullsink`);
  const split = `[0:a]asplit=${hzs.length}${hzs.map((_, i) => `[t${i}]`).join("")}`;
  const range = [...(window.fromS !== undefined ? ["-ss", String(window.fromS)] : []), ...(window.toS !== undefined ? ["-to", String(window.toS)] : [])];
  const { stderr } = await runTool(tools.ffmpegPath ?? DEFAULT_FFMPEG, [
    "-hide_banner", "-nostats", ...range, "-i", file, "-filter_complex", [split, ...bands].join(";"), "-f", "null", "-",
  ]);
  const levels = new Map<number, number>();
  hzs.forEach((hz, i) => {
    const m = new RegExp(`volumedetect@f${i} @ [^\\]]+\\] mean_volume: (-?[\\d.]+|-inf) dB`).exec(stderr);
    levels.set(hz, !m || m[1] === "-inf" ? -Infinity : Number(m[1]));
  });
  return levels;
}

/** Mean level in dB of a narrow band around `hz` (see toneLevelsDb). */
export async function toneLevelDb(file: string, hz: number, window: ToneWindow = {}, tools: ProbeTools = {}): Promise<number> {
  return (await toneLevelsDb(file, [hz], window, tools)).get(hz) ?? -Infinity;
}

/** The level that separates a present tone from an absent one (see toneLevelsDb). */
export const TONE_PRESENT_DB = -50;
