// What delivery needs to know about an MP4 source from its moov box alone: which streams it has (copy or not),
// whether it is fragmented, its duration, and where its video key frames are (to resume a stream copy mid-file).
import { childBoxes, findChild, findPath, fullBoxBody, fullBoxVersion, readBoxHeader, readEntryList, readEntryPairs, u32, type BoxHeader } from "./mp4-boxes";

export interface Mp4Track {
  trackId: number;
  /** mp4 handler type: "vide", "soun", ... */
  handler: string;
  /** Sample entry type: "avc1", "hvc1", "mp4a", ... */
  codec: string;
  timescale: number;
  /** In `timescale` units. */
  duration: number;
  width?: number;
  height?: number;
  channels?: number;
  sampleRate?: number;
  sampleCount: number;
  /** Equal fingerprints mean the streams can be concatenated without re-encoding. */
  fingerprint: string;
  /** stts run-length table: [sampleCount, sampleDelta] pairs. */
  timeToSample: Array<[number, number]>;
  /** 1-based sync sample numbers; undefined when every sample is a sync sample. */
  syncSamples?: number[];
  /** Presentation offset from the edit list, in seconds (empty edit minus media start). */
  editOffsetSeconds: number;
}

export interface MoovInfo {
  timescale: number;
  durationSeconds: number;
  /** An mvex box: the file is fragmented (samples live in moof boxes, not in this moov). */
  fragmented: boolean;
  tracks: Mp4Track[];
}

function u64(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64BE(at));
}

function timescaleAndDuration(buf: Buffer, box: BoxHeader): { timescale: number; duration: number } {
  const body = fullBoxBody(box);
  if (fullBoxVersion(buf, box) === 1) return { timescale: u32(buf, body + 16), duration: u64(buf, body + 20) };
  return { timescale: u32(buf, body + 8), duration: u32(buf, body + 12) };
}

function readTrackId(buf: Buffer, tkhd: BoxHeader): number {
  const body = fullBoxBody(tkhd);
  return u32(buf, body + (fullBoxVersion(buf, tkhd) === 1 ? 16 : 8));
}

function readEditOffset(buf: Buffer, trak: BoxHeader, movieTimescale: number, mediaTimescale: number): number {
  const elst = findPath(buf, trak, ["edts", "elst"]);
  if (!elst) return 0;
  const v1 = fullBoxVersion(buf, elst) === 1;
  const count = u32(buf, fullBoxBody(elst));
  let at = fullBoxBody(elst) + 4;
  let empty = 0;
  for (let i = 0; i < count; i++) {
    const segDuration = v1 ? u64(buf, at) : u32(buf, at);
    const mediaTime = v1 ? Number(buf.readBigInt64BE(at + 8)) : buf.readInt32BE(at + 4);
    at += v1 ? 20 : 12;
    if (mediaTime === -1) {
      empty += segDuration;
      continue;
    }
    return empty / movieTimescale - mediaTime / mediaTimescale;
  }
  return empty / movieTimescale;
}

function readSampleEntry(buf: Buffer, stsd: BoxHeader): { codec: string; entry?: BoxHeader } {
  // stsd: full box header, entry_count, then sample entries (boxes).
  const first = readBoxHeader(buf, fullBoxBody(stsd) + 4, stsd.offset + stsd.size);
  return first ? { codec: first.type, entry: first } : { codec: "none" };
}

function readTrack(buf: Buffer, trak: BoxHeader, movieTimescale: number): Mp4Track | undefined {
  const tkhd = findChild(buf, trak, "tkhd");
  const mdhd = findPath(buf, trak, ["mdia", "mdhd"]);
  const hdlr = findPath(buf, trak, ["mdia", "hdlr"]);
  const stbl = findPath(buf, trak, ["mdia", "minf", "stbl"]);
  if (!tkhd || !mdhd || !hdlr || !stbl) return undefined;
  const { timescale, duration } = timescaleAndDuration(buf, mdhd);
  const handler = buf.toString("latin1", fullBoxBody(hdlr) + 4, fullBoxBody(hdlr) + 8);
  const stsd = findChild(buf, stbl, "stsd");
  const { codec, entry } = stsd ? readSampleEntry(buf, stsd) : { codec: "none", entry: undefined };
  const track: Mp4Track = {
    trackId: readTrackId(buf, tkhd),
    handler,
    codec,
    timescale,
    duration,
    sampleCount: 0,
    fingerprint: codec,
    timeToSample: [],
    editOffsetSeconds: readEditOffset(buf, trak, movieTimescale, timescale),
  };
  if (entry && handler === "vide") {
    // VisualSampleEntry: 8 header, 6 reserved, 2 data_reference_index, 16 pre_defined/reserved, width, height.
    track.width = buf.readUInt16BE(entry.offset + 32);
    track.height = buf.readUInt16BE(entry.offset + 34);
    // Codec configuration (avcC/hvcC) sits after the 78-byte visual sample entry body.
    const config = childBoxes(buf, entry.offset + 86, entry.offset + entry.size).find((b) => b.type === "avcC" || b.type === "hvcC");
    const configHex = config ? buf.toString("hex", config.offset, config.offset + config.size) : "";
    track.fingerprint = `${codec}:${track.width}x${track.height}:${configHex}`;
  } else if (entry && handler === "soun") {
    // AudioSampleEntry: 8 header, 6 reserved, 2 data_reference_index, 8 reserved, channelcount, samplesize,
    // pre_defined, reserved, samplerate (16.16).
    track.channels = buf.readUInt16BE(entry.offset + 24);
    track.sampleRate = buf.readUInt32BE(entry.offset + 32) >>> 16;
    track.fingerprint = `${codec}:${track.sampleRate}:${track.channels}`;
  }
  const stsz = findChild(buf, stbl, "stsz");
  if (stsz) track.sampleCount = u32(buf, fullBoxBody(stsz) + 4);
  const stts = findChild(buf, stbl, "stts");
  if (stts) track.timeToSample = readEntryPairs(buf, stts);
  const stss = findChild(buf, stbl, "stss");
  if (stss) track.syncSamples = readEntryList(buf, stss);
  return track;
}

/** Parses a complete moov box (the buffer holds exactly that box, or it starts at `moov.offset`). */
export function parseMoov(buf: Buffer, moov: BoxHeader = { type: "moov", offset: 0, headerSize: 8, size: buf.length }): MoovInfo {
  const mvhd = findChild(buf, moov, "mvhd");
  const { timescale, duration } = mvhd ? timescaleAndDuration(buf, mvhd) : { timescale: 1000, duration: 0 };
  const tracks: Mp4Track[] = [];
  for (const box of childBoxes(buf, moov.offset + moov.headerSize, moov.offset + moov.size)) {
    if (box.type !== "trak") continue;
    const t = readTrack(buf, box, timescale);
    if (t) tracks.push(t);
  }
  return {
    timescale,
    durationSeconds: timescale > 0 ? duration / timescale : 0,
    fragmented: findChild(buf, moov, "mvex") !== undefined,
    tracks,
  };
}

export function firstTrack(info: MoovInfo, handler: "vide" | "soun"): Mp4Track | undefined {
  return info.tracks.find((t) => t.handler === handler);
}

/** Decode time (seconds, edit list applied) of 0-based sample `index`. */
export function sampleTimeSeconds(track: Mp4Track, index: number): number {
  let remaining = index;
  let ticks = 0;
  for (const [count, delta] of track.timeToSample) {
    const n = Math.min(count, remaining);
    ticks += n * delta;
    remaining -= n;
    if (remaining === 0) break;
  }
  if (remaining > 0 && track.timeToSample.length > 0) ticks += remaining * track.timeToSample[track.timeToSample.length - 1][1];
  return ticks / track.timescale + track.editOffsetSeconds;
}

export function isSyncSample(track: Mp4Track, index: number): boolean {
  return track.syncSamples === undefined || track.syncSamples.includes(index + 1);
}

/**
 * A seek time that lands on key frame `index` and nothing earlier or later: halfway to the next key frame (or to
 * the track's end), so small differences between our edit-list arithmetic and the demuxer's cannot pick a neighbour.
 */
export function seekTimeForKeyFrame(track: Mp4Track, index: number): number {
  const at = sampleTimeSeconds(track, index);
  const nextKey = track.syncSamples?.find((n) => n - 1 > index);
  const end = nextKey !== undefined ? sampleTimeSeconds(track, nextKey - 1) : sampleTimeSeconds(track, track.sampleCount);
  const gap = Math.max(0, end - at);
  return at + Math.min(gap / 2, 0.5);
}
