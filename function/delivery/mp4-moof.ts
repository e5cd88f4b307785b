// A movie fragment's moof box as data: parse, edit (sequence number, decode times, leading samples), serialise.
// Used to splice the output of a resumed ffmpeg run onto fragments a previous invocation already uploaded.
import { childBoxes, findChild, fullBoxBody, fullBoxFlags, fullBoxVersion, makeBox, type BoxHeader } from "./mp4-boxes";
import type { FragmentTrackMark } from "./types";

// tfhd flags
const TFHD_BASE_DATA_OFFSET = 0x1;
const TFHD_SAMPLE_DESCRIPTION_INDEX = 0x2;
const TFHD_DEFAULT_DURATION = 0x8;
const TFHD_DEFAULT_SIZE = 0x10;
// trun flags
const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_SAMPLE_FLAGS = 0x4;
const TRUN_DURATION = 0x100;
const TRUN_SIZE = 0x200;
const TRUN_FLAGS = 0x400;
const TRUN_CTO = 0x800;

export interface TrunSample {
  duration?: number;
  size?: number;
  flags?: number;
  compositionOffset?: number;
}

export interface Trun {
  version: number;
  flags: number;
  dataOffset?: number;
  firstSampleFlags?: number;
  samples: TrunSample[];
}

export interface Traf {
  trackId: number;
  /** The tfhd box, kept verbatim. */
  tfhd: Buffer;
  defaultDuration?: number;
  defaultSize?: number;
  tfdtVersion: number;
  baseDecodeTime?: number;
  truns: Trun[];
  /** Any other child boxes, kept verbatim (in order, after trun). */
  others: Buffer[];
}

export interface Moof {
  sequence: number;
  trafs: Traf[];
  /** Size of the moof box as parsed, to re-base data offsets after editing. */
  originalSize: number;
}

/** Sequential 32-bit reads. */
class Reader {
  constructor(
    private readonly buf: Buffer,
    public at: number,
  ) {}
  u32(): number {
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  i32(): number {
    const v = this.buf.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
}

/** Sequential 32-bit writes into a buffer of known size. */
class Writer {
  readonly buf: Buffer;
  private at = 0;
  constructor(size: number) {
    this.buf = Buffer.alloc(size);
  }
  u32(v: number): void {
    this.buf.writeUInt32BE(v >>> 0, this.at);
    this.at += 4;
  }
  i32(v: number): void {
    this.buf.writeInt32BE(v, this.at);
    this.at += 4;
  }
}

function parseTrun(buf: Buffer, box: BoxHeader): Trun {
  const flags = fullBoxFlags(buf, box);
  const version = fullBoxVersion(buf, box);
  const r = new Reader(buf, fullBoxBody(box));
  const count = r.u32();
  const trun: Trun = { version, flags, samples: [] };
  if (flags & TRUN_DATA_OFFSET) trun.dataOffset = r.i32();
  if (flags & TRUN_FIRST_SAMPLE_FLAGS) trun.firstSampleFlags = r.u32();
  for (let i = 0; i < count; i++) {
    const s: TrunSample = {};
    if (flags & TRUN_DURATION) s.duration = r.u32();
    if (flags & TRUN_SIZE) s.size = r.u32();
    if (flags & TRUN_FLAGS) s.flags = r.u32();
    if (flags & TRUN_CTO) s.compositionOffset = version === 0 ? r.u32() : r.i32();
    trun.samples.push(s);
  }
  return trun;
}

function parseTraf(buf: Buffer, traf: BoxHeader): Traf {
  const tfhdBox = findChild(buf, traf, "tfhd");
  if (!tfhdBox) throw new Error("traf without tfhd");
  const tfhdFlags = fullBoxFlags(buf, tfhdBox);
  const r = new Reader(buf, fullBoxBody(tfhdBox));
  const trackId = r.u32();
  if (tfhdFlags & TFHD_BASE_DATA_OFFSET) r.at += 8;
  if (tfhdFlags & TFHD_SAMPLE_DESCRIPTION_INDEX) r.at += 4;
  const out: Traf = {
    trackId,
    tfhd: buf.subarray(tfhdBox.offset, tfhdBox.offset + tfhdBox.size),
    tfdtVersion: 1,
    truns: [],
    others: [],
  };
  if (tfhdFlags & TFHD_DEFAULT_DURATION) out.defaultDuration = r.u32();
  if (tfhdFlags & TFHD_DEFAULT_SIZE) out.defaultSize = r.u32();
  for (const child of childBoxes(buf, traf.offset + traf.headerSize, traf.offset + traf.size)) {
    if (child.type === "tfhd") continue;
    if (child.type === "tfdt") {
      out.tfdtVersion = fullBoxVersion(buf, child);
      out.baseDecodeTime = out.tfdtVersion === 1 ? Number(buf.readBigUInt64BE(fullBoxBody(child))) : buf.readUInt32BE(fullBoxBody(child));
    } else if (child.type === "trun") {
      out.truns.push(parseTrun(buf, child));
    } else {
      out.others.push(buf.subarray(child.offset, child.offset + child.size));
    }
  }
  return out;
}

/** Parses a moof box that starts at offset 0 of `buf`. */
export function parseMoof(buf: Buffer): Moof {
  const moof: BoxHeader = { type: "moof", offset: 0, headerSize: 8, size: buf.readUInt32BE(0) };
  const mfhd = findChild(buf, moof, "mfhd");
  const trafs = childBoxes(buf, 8, moof.size)
    .filter((b) => b.type === "traf")
    .map((b) => parseTraf(buf, b));
  return { sequence: mfhd ? buf.readUInt32BE(fullBoxBody(mfhd)) : 0, trafs, originalSize: moof.size };
}

function serialiseTrun(t: Trun): Buffer {
  const flags = t.flags;
  const fixed = 2 + (flags & TRUN_DATA_OFFSET ? 1 : 0) + (flags & TRUN_FIRST_SAMPLE_FLAGS ? 1 : 0);
  const perSample = [TRUN_DURATION, TRUN_SIZE, TRUN_FLAGS, TRUN_CTO].filter((f) => flags & f).length;
  const w = new Writer((fixed + t.samples.length * perSample) * 4);
  w.u32(((t.version & 0xff) << 24) | flags);
  w.u32(t.samples.length);
  if (flags & TRUN_DATA_OFFSET) w.i32(t.dataOffset ?? 0);
  if (flags & TRUN_FIRST_SAMPLE_FLAGS) w.u32(t.firstSampleFlags ?? 0);
  for (const s of t.samples) {
    if (flags & TRUN_DURATION) w.u32(s.duration ?? 0);
    if (flags & TRUN_SIZE) w.u32(s.size ?? 0);
    if (flags & TRUN_FLAGS) w.u32(s.flags ?? 0);
    if (flags & TRUN_CTO) {
      if (t.version === 0) w.u32(s.compositionOffset ?? 0);
      else w.i32(s.compositionOffset ?? 0);
    }
  }
  return makeBox("trun", w.buf);
}

function serialiseTfdt(version: number, value: number): Buffer {
  if (version === 0 && value <= 0xffffffff) {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(0, 0);
    b.writeUInt32BE(value, 4);
    return makeBox("tfdt", b);
  }
  const b = Buffer.alloc(12);
  b.writeUInt32BE(0x01000000, 0);
  b.writeBigUInt64BE(BigInt(value), 4);
  return makeBox("tfdt", b);
}

/**
 * Serialises the moof. Data offsets are relative to the moof start (default-base-is-moof, as ffmpeg writes with
 * `default_base_moof`), so when the box grows or shrinks every trun's data offset moves by the same amount.
 */
export function serialiseMoof(m: Moof): Buffer {
  const build = (shift: number): Buffer => {
    const mfhdBody = Buffer.alloc(8);
    mfhdBody.writeUInt32BE(0, 0);
    mfhdBody.writeUInt32BE(m.sequence >>> 0, 4);
    const trafs = m.trafs.map((t) => {
      const parts: Buffer[] = [t.tfhd];
      if (t.baseDecodeTime !== undefined) parts.push(serialiseTfdt(t.tfdtVersion, t.baseDecodeTime));
      for (const r of t.truns) parts.push(serialiseTrun(r.dataOffset === undefined ? r : { ...r, dataOffset: r.dataOffset + shift }));
      parts.push(...t.others);
      return makeBox("traf", Buffer.concat(parts));
    });
    return makeBox("moof", Buffer.concat([makeBox("mfhd", mfhdBody), ...trafs]));
  };
  const first = build(0);
  return first.length === m.originalSize ? first : build(first.length - m.originalSize);
}

export function sampleDuration(t: Traf, s: TrunSample): number {
  return s.duration ?? t.defaultDuration ?? 0;
}

export function sampleSize(t: Traf, s: TrunSample): number {
  return s.size ?? t.defaultSize ?? 0;
}

export function trafSampleCount(t: Traf): number {
  return t.truns.reduce((n, r) => n + r.samples.length, 0);
}

export function trafDuration(t: Traf): number {
  return t.truns.reduce((n, r) => n + r.samples.reduce((d, s) => d + sampleDuration(t, s), 0), 0);
}

function firstSample(t: Traf): TrunSample | undefined {
  return t.truns.find((r) => r.samples.length > 0)?.samples[0];
}

/** Sets the first sample's duration, making durations explicit in that trun if they were defaults. */
export function setFirstSampleDuration(t: Traf, duration: number): void {
  const run = t.truns.find((r) => r.samples.length > 0);
  if (!run) return;
  if (!(run.flags & TRUN_DURATION)) {
    run.flags |= TRUN_DURATION;
    for (const s of run.samples) s.duration = t.defaultDuration ?? 0;
  }
  run.samples[0].duration = duration;
}

/**
 * Drops the first `count` samples of the traf: they stay in the mdat as unreferenced bytes (allowed by ISO BMFF),
 * the trun's data offset skips them. Returns the dropped duration, or undefined when the traf's layout does not
 * allow it (samples without explicit data offsets, or per-sample side boxes we do not rewrite).
 */
export function dropLeadingSamples(t: Traf, count: number): number | undefined {
  if (count <= 0) return 0;
  if (t.others.length > 0) return undefined;
  let left = count;
  let dropped = 0;
  for (const run of t.truns) {
    if (left === 0) break;
    if (run.dataOffset === undefined) return undefined;
    const n = Math.min(left, run.samples.length);
    const gone = run.samples.splice(0, n);
    run.dataOffset += gone.reduce((a, s) => a + sampleSize(t, s), 0);
    dropped += gone.reduce((a, s) => a + sampleDuration(t, s), 0);
    // The first-sample flags described the sample that is gone; the new first sample's own flags apply.
    if (run.flags & TRUN_FIRST_SAMPLE_FLAGS && n > 0) {
      // Without per-sample flags the tfhd default then applies, which is right for a non-first sample.
      run.flags &= ~TRUN_FIRST_SAMPLE_FLAGS;
      run.firstSampleFlags = undefined;
    }
    left -= n;
  }
  t.truns = t.truns.filter((r) => r.samples.length > 0);
  return left === 0 ? dropped : undefined;
}

/** What identifies a fragment's start per track, for the checkpoint and for matching it in a resumed run. */
export function fragmentMarks(m: Moof, tracks: Map<number, { handler: string; timescale: number }>): FragmentTrackMark[] {
  return m.trafs.map((t) => {
    const info = tracks.get(t.trackId);
    const first = firstSample(t);
    return {
      trackId: t.trackId,
      handler: info?.handler ?? "",
      timescale: info?.timescale ?? 0,
      baseDecodeTime: t.baseDecodeTime ?? 0,
      sampleCount: trafSampleCount(t),
      firstSampleSize: first ? sampleSize(t, first) : 0,
      firstSampleDuration: first ? sampleDuration(t, first) : 0,
    };
  });
}
