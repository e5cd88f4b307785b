// A contact sheet of a recording, so a person can see what was recorded without a player: N frames evenly spread
// over the file, scaled and tiled in one row (ffmpeg's fps + tile filters, one pass). An audio-only recording
// (Mode 10, MP3) gets a 0-2 kHz spectrogram instead: each anchor's tone is a band, so joins and leaves show.
import { durationSeconds, probeStreams } from "../emulator/trtc/media-probe";
import { runTool } from "../emulator/trtc/ffmpeg-run";
import type { MediaTools } from "./media-tools";

export interface ContactSheetOptions {
  /** Frames in the row. @default 4 */
  frames?: number;
  /** Width of each frame in pixels. @default 320 */
  frameWidth?: number;
}

export interface ContactSheet {
  path: string;
  kind: "frames" | "spectrogram";
  frames: number;
  durationSeconds: number;
}

export async function writeContactSheet(media: string, png: string, tools: MediaTools, opts: ContactSheetOptions = {}): Promise<ContactSheet> {
  const frames = opts.frames ?? 4;
  const width = opts.frameWidth ?? 320;
  const probe = { ffmpegPath: tools.ffmpegPath, ffprobePath: tools.ffprobePath };
  const duration = await durationSeconds(media, probe);
  const hasVideo = (await probeStreams(media, probe)).some((s) => s.type === "video");
  if (!hasVideo) {
    const spectrum = `aformat=channel_layouts=mono,showspectrumpic=s=${width * frames}x240:legend=0:stop=2000`;
    await runTool(tools.ffmpegPath, ["-v", "error", "-y", "-i", media, "-filter_complex", spectrum, "-frames:v", "1", png]);
    return { path: png, kind: "spectrogram", frames: 1, durationSeconds: duration };
  }
  // fps=N/duration samples one frame every duration/N seconds; tile flushes the row at the end of the stream.
  const rate = Math.max(frames / Math.max(duration, 0.1), 0.01).toFixed(6);
  await runTool(tools.ffmpegPath, ["-v", "error", "-y", "-i", media, "-vf", `fps=${rate},scale=${width}:-2,tile=${frames}x1:padding=4:color=gray`, "-frames:v", "1", "-an", png]);
  return { path: png, kind: "frames", frames, durationSeconds: duration };
}
