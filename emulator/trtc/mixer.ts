// Renders a composed timeline into real media with one ffmpeg run: a background canvas with a filled box per
// tile and time window (drawbox ... enable=...), and one sine per voice gated to its windows, summed by amix.
// Anchors publish solid colours and pure tones, so drawing them is exactly what decoding and scaling them gives.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { runTool } from "./ffmpeg-run";
import type { AudioEncode, VideoEncode } from "./recording-params";
import type { Segment } from "./timeline";

export interface MixSpec {
  /** Absolute-time segments covering exactly [beginMs, endMs). */
  segments: Segment[];
  beginMs: number;
  endMs: number;
  video: VideoEncode;
  audio: AudioEncode;
  /** "#RRGGBB" canvas colour. */
  background: string;
  withVideo: boolean;
  withAudio: boolean;
  /** mp4 (H.264/AAC) or m4a (AAC only). */
  container: "mp4" | "m4a";
  /** Cut the output into parts of this many seconds (MaxMediaFileDuration); absent: one file. */
  splitEverySeconds?: number;
}

export interface RenderedPart {
  path: string;
  startMs: number;
  endMs: number;
}

/** ffmpeg colour syntax: names pass through, "#RRGGBB" becomes "0xRRGGBB" (a bare # can start a comment). */
function ffColor(c: string): string {
  return c.startsWith("#") ? `0x${c.slice(1)}` : c;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** enable= expression true on the union of half-open windows, so adjacent windows never both draw a frame. */
function windowsExpr(windows: Array<[number, number]>): string {
  return windows.map(([a, b]) => `gte(t,${seconds(a)})*lt(t,${seconds(b)})`).join("+");
}

function videoChain(spec: MixSpec, width: number, height: number): string {
  const boxes: string[] = [];
  for (const seg of spec.segments) {
    const window = windowsExpr([[seg.fromMs - spec.beginMs, seg.toMs - spec.beginMs]]);
    for (const tile of seg.tiles) {
      const { x, y, w, h } = tile.rect;
      boxes.push(`drawbox=x=${x}:y=${y}:w=${w}:h=${h}:color=${ffColor(tile.color)}:t=fill:enable='${window}'`);
    }
  }
  const chain = boxes.length > 0 ? boxes.join(",") : "null";
  return `[0:v]${chain},scale=${width}:${height},format=yuv420p[v]`;
}

/** Per voice (user), its tone and the windows where it is heard, in file time. */
function voiceWindows(spec: MixSpec): Array<{ hz: number; windows: Array<[number, number]> }> {
  const byUser = new Map<string, { hz: number; windows: Array<[number, number]> }>();
  for (const seg of spec.segments) {
    for (const v of seg.voices) {
      const voice = byUser.get(v.userId) ?? { hz: v.toneHz, windows: [] };
      const from = seg.fromMs - spec.beginMs;
      const last = voice.windows[voice.windows.length - 1];
      if (last && last[1] === from) last[1] = seg.toMs - spec.beginMs;
      else voice.windows.push([from, seg.toMs - spec.beginMs]);
      byUser.set(v.userId, voice);
    }
  }
  return [...byUser.values()];
}

export interface MixerOptions {
  ffmpegPath: string;
}

export class Mixer {
  constructor(private readonly opts: MixerOptions) {}

  /** Writes `<outDir>/<baseName>.<ext>` (or `_1`, `_2` ... parts when splitting) and returns the parts in order. */
  async render(spec: MixSpec, outDir: string, baseName: string): Promise<RenderedPart[]> {
    const durationMs = spec.endMs - spec.beginMs;
    if (!(durationMs > 0)) throw new Error(`Mixer.render: empty span ${spec.beginMs}..${spec.endMs}`);
    const dur = seconds(durationMs);
    const withVideo = spec.withVideo && spec.container === "mp4";
    // x264 with 4:2:0 chroma needs even dimensions; odd requested sizes are rounded down.
    const width = spec.video.width - (spec.video.width % 2);
    const height = spec.video.height - (spec.video.height % 2);
    const inputs: string[] = [];
    const graph: string[] = [];
    if (withVideo) {
      inputs.push("-f", "lavfi", "-i", `color=c=${ffColor(spec.background)}:s=${spec.video.width}x${spec.video.height}:r=${spec.video.fps}:d=${dur}`);
      graph.push(videoChain(spec, width, height));
    }
    if (spec.withAudio) {
      const rate = spec.audio.sampleRate;
      const voices = voiceWindows(spec);
      const first = inputs.length / 4;
      if (voices.length === 0) {
        inputs.push("-f", "lavfi", "-i", `anullsrc=r=${rate}:cl=mono`);
        graph.push(`[${first}:a]atrim=0:${dur}[a]`);
      } else {
        const labels: string[] = [];
        voices.forEach(({ hz, windows }, i) => {
          inputs.push("-f", "lavfi", "-i", `sine=f=${hz}:r=${rate}:d=${dur}`);
          graph.push(`[${first + i}:a]volume=volume=0:enable='not(${windowsExpr(windows)})'[s${i}]`);
          labels.push(`[s${i}]`);
        });
        // amix divides every input by the input count; scale back so each tone keeps the level it was published at.
        const mix = voices.length === 1 ? "anull" : `amix=inputs=${voices.length}:duration=first,volume=${voices.length}`;
        graph.push(`${labels.join("")}${mix}[a]`);
      }
    }

    const ext = spec.container;
    const args = ["-hide_banner", "-loglevel", "error", "-y", ...inputs, "-filter_complex", graph.join(";")];
    if (withVideo) {
      const gop = Math.max(1, Math.round(spec.video.fps * spec.video.gopSeconds));
      args.push("-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-r", String(spec.video.fps));
      args.push("-b:v", String(spec.video.bitrate), "-g", String(gop));
      // Key frames exactly at the cut points let the split below copy streams instead of re-encoding.
      if (spec.splitEverySeconds) args.push("-force_key_frames", `expr:gte(t,n_forced*${spec.splitEverySeconds})`);
    }
    if (spec.withAudio) {
      args.push("-map", "[a]", "-c:a", "aac", "-b:a", String(spec.audio.bitrate), "-ar", String(spec.audio.sampleRate), "-ac", String(spec.audio.channels));
    }
    const split = spec.splitEverySeconds !== undefined && durationMs > spec.splitEverySeconds * 1000;
    const whole = join(outDir, split ? `${baseName}.whole.${ext}` : `${baseName}.${ext}`);
    args.push("-t", dur, "-movflags", "+faststart", whole);
    await runTool(this.opts.ffmpegPath, args);
    if (!split || spec.splitEverySeconds === undefined) return [{ path: whole, startMs: spec.beginMs, endMs: spec.endMs }];
    return this.split(whole, spec, outDir, baseName, spec.splitEverySeconds);
  }

  private async split(whole: string, spec: MixSpec, outDir: string, baseName: string, every: number): Promise<RenderedPart[]> {
    const ext = spec.container;
    await runTool(this.opts.ffmpegPath, [
      "-hide_banner", "-loglevel", "error", "-y", "-i", whole, "-map", "0", "-c", "copy", "-f", "segment",
      "-segment_time", String(every), "-reset_timestamps", "1", "-segment_start_number", "1",
      "-segment_format", "mp4", "-segment_format_options", "movflags=+faststart", join(outDir, `${baseName}_%d.${ext}`),
    ]);
    const indexOf = (n: string) => Number(n.slice(baseName.length + 1, -(ext.length + 1)));
    const names = (await readdir(outDir)).filter((n) => n.startsWith(`${baseName}_`) && n.endsWith(`.${ext}`) && Number.isInteger(indexOf(n)));
    return names
      .sort((a, b) => indexOf(a) - indexOf(b))
      .map((n, i) => ({
        path: join(outDir, n),
        startMs: spec.beginMs + i * every * 1000,
        endMs: Math.min(spec.endMs, spec.beginMs + (i + 1) * every * 1000),
      }));
  }
}
