// Which files a finished mixed recording consists of, per OutputFormat and StreamType, rendered locally:
//   3 mp4 -> <base>.mp4 (H.264 + AAC; video-only for StreamType 2, audio-only for StreamType 1)
//   4 aac -> <base>.m4a (AAC in an MP4 container: exact duration metadata, unlike raw ADTS)
//   0 hls -> <base>.m3u8 + <base>_<UTC>.ts;  1 hls+mp4;  2 hls+aac
// With MaxMediaFileDuration (or the splitEverySeconds test override) exceeded, mp4/m4a come as <base>_1.mp4, _2 ...
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { cutHls } from "./hls";
import type { Mixer } from "./mixer";
import { mixedFileBase } from "./naming";
import type { RecordingRequest } from "./recording-params";
import type { Segment } from "./timeline";

export type TrackType = "audio_video" | "audio" | "video";

export interface OutputFile {
  fileName: string;
  localPath: string;
  kind: "mp4" | "aac" | "hls-index" | "hls-segment";
  trackType: TrackType;
  startMs: number;
  endMs: number;
}

export interface OutputSet {
  /** HLS index + segments (formats 0, 1, 2); uploaded before the recording is reported uploaded (305). */
  hls: OutputFile[];
  /** MP4 / AAC files (formats 1-4); produced from the recording afterwards and reported by 310. */
  files: OutputFile[];
}

export function trackTypeOf(streamType: 0 | 1 | 2): TrackType {
  return streamType === 0 ? "audio_video" : streamType === 1 ? "audio" : "video";
}

export async function renderOutputs(
  req: RecordingRequest,
  span: { beginMs: number; endMs: number; segments: Segment[] },
  deps: { mixer: Mixer; ffmpegPath: string; workDir: string; splitEverySeconds?: number },
): Promise<OutputSet> {
  await mkdir(deps.workDir, { recursive: true });
  const base = mixedFileBase(req.sdkAppId, req.room);
  const trackType = trackTypeOf(req.streamType);
  const audioOnly = req.streamType === 1 || req.outputFormat === 2 || req.outputFormat === 4;
  const wantsFiles = req.outputFormat !== 0;
  const wantsHls = req.outputFormat <= 2;
  const container = audioOnly ? "m4a" : "mp4";
  const split = deps.splitEverySeconds ?? req.maxFileMinutes * 60;
  const spec = {
    segments: span.segments,
    beginMs: span.beginMs,
    endMs: span.endMs,
    video: req.video,
    audio: req.audio,
    background: req.layout.background,
    withVideo: !audioOnly && req.streamType !== 1,
    withAudio: req.streamType !== 2,
    container,
  } as const;
  const kind = container === "m4a" ? "aac" : "mp4";
  const result: OutputSet = { hls: [], files: [] };
  if (wantsFiles) {
    const parts = await deps.mixer.render({ ...spec, splitEverySeconds: split }, deps.workDir, base);
    result.files = parts.map((p) => ({ fileName: basename(p.path), localPath: p.path, kind, trackType: audioOnly ? "audio" : trackType, startMs: p.startMs, endMs: p.endMs }));
  }
  if (wantsHls) {
    // HLS carries the recording's own streams (audio+video for format 0/1, audio for format 2).
    const hlsSpec = { ...spec, withVideo: req.outputFormat !== 2 && req.streamType !== 1, container: req.outputFormat === 2 || req.streamType === 1 ? "m4a" : "mp4" } as const;
    const hlsDir = join(deps.workDir, "hls");
    await mkdir(hlsDir, { recursive: true });
    const [whole] = await deps.mixer.render(hlsSpec, hlsDir, `${base}.source`);
    const video = hlsSpec.withVideo ? { width: req.video.width, height: req.video.height } : undefined;
    const hls = await cutHls(deps.ffmpegPath, whole.path, hlsDir, base, { beginMs: span.beginMs, segmentSeconds: 10, video });
    const hlsTrack: TrackType = req.outputFormat === 2 ? "audio" : trackType;
    result.hls = hls.files.map((path, i) => ({
      fileName: basename(path),
      localPath: path,
      kind: i === 0 ? "hls-index" : "hls-segment",
      trackType: hlsTrack,
      startMs: span.beginMs,
      endMs: span.endMs,
    }));
  }
  return result;
}
