// Turns ffmpeg's fragmented-MP4 units into what is uploaded, and gives every fragment boundary the resume point a
// checkpoint taken there would need. In a resumed run (ffmpeg restarted at the key frame that began the next
// fragment), it drops the new init segment and trailer, finds the fragment matching the checkpoint's mark, trims
// the audio the seek pulled in early, and renumbers/re-times the rest so the uploaded fragments continue seamlessly.
import { dropLeadingSamples, fragmentMarks, parseMoof, sampleDuration, serialiseMoof, setFirstSampleDuration, trafSampleCount, type Moof, type Traf } from "./mp4-moof";
import type { InitTrack, Mp4Unit } from "./mp4-fragment-reader";
import type { FragmentTrackMark, ResumePoint } from "./types";

type Mp4Resume = Extract<ResumePoint, { kind: "mp4" }>;

export interface SpliceOutput {
  /** In order; views of ffmpeg's output where possible (copied once, into a part). */
  bytes: Buffer[];
  /** Set when a part may end right before these bytes; the checkpoint then resumes from here. */
  cut?: Mp4Resume;
  /** Media seconds at the start of these bytes (for progress logs). */
  mediaSeconds?: number;
}

export class SpliceMismatch extends Error {}

/** How many leading fragments of a resumed run may precede the one matching the mark (seek landed a GOP early). */
const MAX_FRAGMENTS_BEFORE_MATCH = 3;

export class Mp4Splicer {
  private tracks = new Map<number, InitTrack>();
  private initTracks: InitTrack[] = [];
  private fragmentsDone: number;
  private videoSamplesDone: number;
  private matched: boolean;
  private skippedBeforeMatch = 0;
  private fragmentsSeenThisRun = 0;
  private readonly delta = new Map<number, number>();
  /** Audio samples dropped or missing at the splice (for the log). */
  spliceNote?: string;

  constructor(private readonly resume?: Mp4Resume) {
    this.fragmentsDone = resume?.fragmentsDone ?? 0;
    this.videoSamplesDone = resume?.videoSamplesDone ?? 0;
    this.matched = resume === undefined;
    if (resume) for (const t of resume.initTracks) this.tracks.set(t.trackId, t);
    if (resume) this.initTracks = resume.initTracks;
  }

  accept(unit: Mp4Unit): SpliceOutput[] {
    if (unit.kind === "trailer") return []; // mfra offsets would point into this run's own output: drop it.
    if (unit.kind === "init") return this.acceptInit(unit.bytes, unit.tracks);
    this.fragmentsSeenThisRun += 1;
    const moof = parseMoof(unit.moof);
    if (!this.matched) {
      if (!this.tryMatch(moof)) {
        this.skippedBeforeMatch += 1;
        if (this.skippedBeforeMatch > MAX_FRAGMENTS_BEFORE_MATCH) throw new SpliceMismatch("the resumed run never reached the checkpoint's fragment");
        return [];
      }
    } else {
      for (const t of moof.trafs) {
        const d = this.delta.get(t.trackId);
        if (d !== undefined && t.baseDecodeTime !== undefined) t.baseDecodeTime += d;
      }
    }
    moof.sequence = this.fragmentsDone + 1;
    const moofBytes = serialiseMoof(moof);
    const marks = fragmentMarks(moof, this.tracks);
    const cut: Mp4Resume = {
      kind: "mp4",
      fragmentsDone: this.fragmentsDone,
      videoSamplesDone: this.videoSamplesDone,
      next: { tracks: marks },
      initTracks: this.initTracks,
    };
    const video = marks.find((m) => m.handler === "vide") ?? marks[0];
    this.fragmentsDone += 1;
    const videoTraf = moof.trafs.find((t) => this.tracks.get(t.trackId)?.handler === "vide");
    if (videoTraf) this.videoSamplesDone += trafSampleCount(videoTraf);
    return [
      {
        bytes: [...unit.prefix, moofBytes, ...unit.mdat],
        cut,
        mediaSeconds: video && video.timescale > 0 ? video.baseDecodeTime / video.timescale : undefined,
      },
    ];
  }

  private acceptInit(bytes: Buffer, tracks: InitTrack[]): SpliceOutput[] {
    if (this.resume) {
      const want = this.resume.initTracks.map((t) => `${t.trackId}:${t.handler}:${t.timescale}`).join(",");
      const got = tracks.map((t) => `${t.trackId}:${t.handler}:${t.timescale}`).join(",");
      if (want !== got) throw new SpliceMismatch(`resumed run has tracks ${got}, the uploaded init segment has ${want}`);
      return [];
    }
    this.initTracks = tracks;
    for (const t of tracks) this.tracks.set(t.trackId, t);
    return [{ bytes: [bytes] }];
  }

  /**
   * Is this the fragment the checkpoint marked? Same video key frame (sample count and first sample size). If so,
   * edit it in place to continue the uploaded timeline and remember the per-track time shift for what follows.
   */
  private tryMatch(moof: Moof): boolean {
    const marks = this.resume?.next.tracks ?? [];
    const byTrack = new Map(moof.trafs.map((t) => [t.trackId, t]));
    const videoMark = marks.find((m) => m.handler === "vide");
    if (videoMark) {
      const t = byTrack.get(videoMark.trackId);
      if (!t || trafSampleCount(t) !== videoMark.sampleCount || firstSampleSize(t) !== videoMark.firstSampleSize) return false;
    }
    // The first fragment of an ffmpeg run starts every track at 0 and stretches the first sample of a track that
    // really starts later by the difference; undo that to get each track's true start in this run's timeline.
    const firstOfRun = this.fragmentsSeenThisRun === 1;
    const trueStart = new Map<number, number>();
    for (const m of marks) {
      const t = byTrack.get(m.trackId);
      if (!t) throw new SpliceMismatch(`resumed fragment has no track ${m.trackId}`);
      const first = firstSampleOf(t);
      const stretch = firstOfRun && first ? Math.max(0, sampleDuration(t, first) - m.firstSampleDuration) : 0;
      if (stretch > 0) setFirstSampleDuration(t, m.firstSampleDuration);
      trueStart.set(m.trackId, (t.baseDecodeTime ?? 0) + stretch);
    }
    const refMark = videoMark ?? marks[0];
    const refStart = (trueStart.get(refMark.trackId) ?? 0) / refMark.timescale;
    const notes: string[] = [];
    for (const m of marks) {
      const t = byTrack.get(m.trackId);
      if (!t) continue;
      let target = m.baseDecodeTime;
      let dropped = 0;
      const start = trueStart.get(m.trackId) ?? 0;
      if (m !== refMark) {
        // Where this track starts relative to the reference (video) track, in the checkpoint vs in this run.
        const wantOffset = m.baseDecodeTime / m.timescale - refMark.baseDecodeTime / refMark.timescale;
        const gotOffset = start / m.timescale - refStart;
        const perSample = m.firstSampleDuration > 0 ? m.firstSampleDuration / m.timescale : 0;
        const early = perSample > 0 ? Math.round((wantOffset - gotOffset) / perSample) : 0;
        if (early > 0) {
          const d = dropLeadingSamples(t, early);
          if (d === undefined) throw new SpliceMismatch(`cannot drop ${early} leading samples of track ${m.trackId}`);
          dropped = d;
          if (firstSampleSize(t) !== m.firstSampleSize) throw new SpliceMismatch(`track ${m.trackId} does not line up after dropping ${early} samples`);
          notes.push(`track ${m.trackId}: dropped ${early} samples the seek pulled in early`);
        } else if (early < 0) {
          target += -early * m.firstSampleDuration;
          notes.push(`track ${m.trackId}: starts ${-early} samples late (a gap at the splice)`);
        } else if (firstSampleSize(t) !== m.firstSampleSize) {
          throw new SpliceMismatch(`track ${m.trackId} first sample differs from the checkpoint's`);
        }
      }
      this.delta.set(m.trackId, target - (start + dropped));
      t.baseDecodeTime = target;
    }
    this.matched = true;
    if (notes.length > 0) this.spliceNote = notes.join("; ");
    return true;
  }
}

function firstSampleOf(t: Traf) {
  return t.truns.find((r) => r.samples.length > 0)?.samples[0];
}

function firstSampleSize(t: Traf): number {
  const s = firstSampleOf(t);
  return s ? (s.size ?? t.defaultSize ?? 0) : 0;
}

export type { FragmentTrackMark };
