// The delivery stage's public surface: the recorder hands it a job and its dependencies and gets back an outcome.
// Everything here is plain data (the checkpoint in particular is JSON-serialisable) because a long delivery is
// continued by a fresh SCF invocation that only has what the previous one saved.
import type COS from "cos-nodejs-sdk-v5";

export type Mode = "10" | "11" | "12";

export interface CosLocation {
  bucket: string;
  region: string;
  key: string;
}

/** One uploaded part of the target's multipart upload, as COS confirmed it. */
export interface UploadedPart {
  PartNumber: number;
  ETag: string;
  /** Bytes in the part. */
  size: number;
}

/** Per track of the fragment that starts the next part (what the resumed ffmpeg run must reproduce). */
export interface FragmentTrackMark {
  trackId: number;
  /** "vide" | "soun" (the mp4 handler type). */
  handler: string;
  timescale: number;
  /** tfdt of this track in the fragment, in `timescale` units. */
  baseDecodeTime: number;
  sampleCount: number;
  firstSampleSize: number;
  firstSampleDuration: number;
}

/**
 * Where the next part's content begins in the media, per output format:
 * - `bytes`: output bytes already uploaded, for output that is a fixed byte layout of the sources (a relay of one
 *   source when server-side copy was refused, or MP4 files joined sample for sample); `layout` is that layout's
 *   digest, so a resume never continues a different layout (other code, other sources).
 * - `mp3`: MP3 frames already uploaded and the decoded input sample the next run starts at.
 * - `mp4`: fragments already uploaded; `next` is the fragment that would have started the next part, and
 *   `videoSamplesDone` locates its first (key) frame in the sources.
 */
export type ResumePoint =
  | { kind: "bytes"; offset: number; layout?: string }
  | {
      kind: "mp3";
      /** MP3 frames uploaded so far (all runs). */
      framesDone: number;
      samplesPerFrame: number;
      sampleRate: number;
      /** First decoded input sample (at `sampleRate`) not yet covered by uploaded frames: where the next run starts. */
      nextInputSample: number;
      /** Decoded samples per AAC frame (1024, or 2048 for HE-AAC), to turn a sample position into an AAC frame. */
      samplesPerAacFrame: number;
      /** AAC frames each fully-read source contributed (index = source index), so a resume can skip them unread. */
      sourceAacFrames: number[];
    }
  | {
      kind: "mp4";
      fragmentsDone: number;
      videoSamplesDone: number;
      next: { tracks: FragmentTrackMark[] };
      /** Track ids and timescales of the init segment already uploaded; a resumed run must match them. */
      initTracks: Array<{ trackId: number; handler: string; timescale: number }>;
    };

/** mp4-join: MP4 sources joined without ffmpeg (mp4-join.ts); mp4-copy: joined by ffmpeg's stream copy. */
export type DeliveryStrategy = "copy" | "relay" | "mp3" | "mp4-join" | "mp4-copy" | "mp4-reencode";

/**
 * Saved between invocations. Phases: "upload" (a multipart upload is open; `upload` and `resume` say how far it got),
 * "completed" (the target object exists with `completed`; only verification and source clean-up remain).
 */
export interface DeliveryCheckpoint {
  version: 1;
  recordingId: string;
  phase: "upload" | "completed";
  strategy: DeliveryStrategy;
  target: CosLocation;
  /** ETags of the sources when the upload began: a changed source means start over, never splice two versions. */
  sourceEtags: string[];
  upload?: { uploadId: string; parts: UploadedPart[]; bytes: number };
  resume?: ResumePoint;
  /** Media seconds already uploaded (for logs and progress only). */
  mediaSecondsDone?: number;
  completed?: { etag: string; size: number };
  /** How many times a resume could not be verified and the upload was started again from the beginning. */
  restarts: number;
  /** Invocations that worked on this delivery so far (including the current one once saved). */
  invocations: number;
}

export interface DeliveryJob {
  recordingId: string;
  mode: Mode;
  /** TRTC output objects, in time order; TRTC writes AAC (.aac/.m4a, ADTS or MP4) for audio-only and MP4 (H.264+AAC, or video-only). */
  sources: CosLocation[];
  target: CosLocation;
  checkpoint?: DeliveryCheckpoint;
  deleteSourcesAfter: boolean;
}

export interface DeliveryLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * The clock `deadlineMs` is measured on: the soft stop reads `now`, the hard stop is a timer. Injected so tests
 * decide when a deadline arrives (emulator/trtc/clock.ts's ManualClock has this shape); production: clock.ts.
 */
export interface DeliveryClock {
  now(): number;
  /** Calls `fn` once the clock reaches `atMs`; returns a cancel function. */
  setTimer(atMs: number, fn: () => void): () => void;
}

export interface DeliveryDeps {
  sourceCos: COS;
  targetCos: COS;
  ffmpegPath: string;
  workDir: string;
  log: DeliveryLog;
  /** Absolute ms on `clock`: checkpoint and return "continue" before this. */
  deadlineMs: number;
  clock: DeliveryClock;
  saveCheckpoint(cp: DeliveryCheckpoint): Promise<void>;
}

export type DeliveryOutcome =
  | { kind: "delivered"; etag: string; size: number; url: string /* https://<bucket>.cos.<region>.myqcloud.com/<key> */; copied: boolean }
  | { kind: "failed"; message: string /* "record failed" (no source) | "COS read failed" | "transcode failed" | "COS write failed" */; detail: string }
  | { kind: "continue"; checkpoint: DeliveryCheckpoint };
