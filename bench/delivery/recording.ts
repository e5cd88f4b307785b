// The benchmark's input, made once and cached under .tmp/bench/delivery/: an N-minute 6-tile recording like TRTC's
// mixed output (480x240 @ 15 fps, ~550 kbps H.264 with a 10 s GOP, 6 tones mixed to 64 kbps stereo AAC), split into
// 3 MP4 files as TRTC splits long recordings, plus the audio-only M4A TRTC writes for mode 10. Setup, not measured.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import path from "node:path";

export interface BenchRecording {
  seconds: number;
  /** The A+V recording in 3 consecutive MP4 files (faststart). */
  parts: string[];
  /** The same recording's audio as M4A. */
  m4a: string;
}

const TILES = ["testsrc2", "testsrc2", "color=c=blue", "color=c=yellow", "color=c=cyan", "color=c=magenta"];
const TONES = [300, 500, 700, 1100, 1300, 1700];

export function benchRecording(ffmpeg: string, minutes: number, cacheRoot: string): BenchRecording {
  const seconds = Math.round(minutes * 60);
  const dir = path.join(cacheRoot, `${seconds}s`);
  const m4a = path.join(dir, "recording.m4a");
  const done = path.join(dir, "parts");
  if (!existsSync(m4a) || !existsSync(done)) {
    mkdirSync(dir, { recursive: true });
    const whole = path.join(dir, "whole.mp4");
    const inputs = [
      ...TILES.flatMap((t) => ["-f", "lavfi", "-i", `${t}:s=160x120:r=15:d=${seconds}`.replace("testsrc2:", "testsrc2=")]),
      ...TONES.flatMap((f) => ["-f", "lavfi", "-i", `sine=frequency=${f}:sample_rate=48000:duration=${seconds}`]),
    ];
    const graph = "[0:v][1:v][2:v][3:v][4:v][5:v]xstack=inputs=6:layout=0_0|w0_0|w0+w1_0|0_h0|w0_h0|w0+w1_h0[v];[6:a][7:a][8:a][9:a][10:a][11:a]amix=inputs=6:duration=longest[a]";
    execFileSync(ffmpeg, [
      "-hide_banner", "-loglevel", "error", "-y", ...inputs,
      "-filter_complex", graph, "-map", "[v]", "-map", "[a]",
      "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "150", "-b:v", "550k", "-maxrate", "550k", "-bufsize", "1100k",
      "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-t", String(seconds), whole,
    ]);
    const partsDir = path.join(dir, "parts.tmp");
    mkdirSync(partsDir, { recursive: true });
    execFileSync(ffmpeg, [
      "-hide_banner", "-loglevel", "error", "-y", "-i", whole, "-map", "0", "-c", "copy",
      "-f", "segment", "-segment_time", String(Math.ceil(seconds / 3)), "-reset_timestamps", "1",
      "-segment_format_options", "movflags=+faststart", path.join(partsDir, "part_%d.mp4"),
    ]);
    execFileSync(ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-i", whole, "-vn", "-c:a", "copy", "-movflags", "+faststart", m4a]);
    renameSync(partsDir, done);
  }
  const parts = readdirSync(done)
    .filter((f) => f.endsWith(".mp4"))
    .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))
    .map((f) => path.join(done, f));
  return { seconds, parts, m4a };
}
