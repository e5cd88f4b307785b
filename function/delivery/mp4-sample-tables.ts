// A track's sample tables (ISO/IEC 14496-12 §8.6–8.7) read from a moov into plain arrays, and written back as
// boxes: what joining files sample for sample needs. Only what a stream copy must keep is read; a table this module
// does not understand makes the read fail with a reason, so the caller can fall back to ffmpeg.
import { childBoxes, findChild, findPath, fullBoxBody, fullBoxVersion, makeBox, readEntryList, readEntryPairs, u32, type BoxHeader } from "./mp4-boxes";

/** One non-empty edit (rate 1) after an optional empty one: the only edit lists a join carries over. */
export interface SimpleEdit {
  /** Empty edit before the media, in movie timescale units. */
  emptyDuration: number;
  /** Media time where presentation starts, in media timescale units. */
  mediaTime: number;
}

export interface TrackTables {
  trak: BoxHeader;
  trackId: number;
  handler: string;
  timescale: number;
  /** The stsd box, verbatim (a join requires it byte-identical in every source). */
  stsd: Buffer;
  stts: Array<[count: number, delta: number]>;
  /** Composition offsets as raw 32-bit values (signed in version 1), or undefined when the track has none. */
  ctts?: { version: number; entries: Array<[count: number, offset: number]> };
  /** 1-based sync sample numbers; undefined when every sample is a sync sample. */
  stss?: number[];
  sampleSizes: Uint32Array;
  /** Per chunk: file offset and sample count. */
  chunks: Array<{ offset: number; samples: number; bytes: number }>;
  edit?: SimpleEdit;
  /** Sum of the stts deltas, in `timescale` units. */
  mediaDuration: number;
}

/** Boxes a stbl may hold that a join can rebuild (the rest are optional hints it drops: sdtp, sgpd, sbgp, cslg, stps). */
const UNDERSTOOD = new Set(["stsd", "stts", "ctts", "stss", "stsz", "stsc", "stco", "co64", "sdtp", "sgpd", "sbgp", "cslg", "stps"]);

export class UnjoinableTrack extends Error {}

function readEdit(buf: Buffer, trak: BoxHeader): SimpleEdit | undefined {
  const elst = findPath(buf, trak, ["edts", "elst"]);
  if (!elst) return undefined;
  const v1 = fullBoxVersion(buf, elst) === 1;
  const count = u32(buf, fullBoxBody(elst));
  let at = fullBoxBody(elst) + 4;
  let emptyDuration = 0;
  let edit: SimpleEdit | undefined;
  for (let i = 0; i < count; i++) {
    const segment = v1 ? Number(buf.readBigUInt64BE(at)) : u32(buf, at);
    const mediaTime = v1 ? Number(buf.readBigInt64BE(at + 8)) : buf.readInt32BE(at + 4);
    const rate = buf.readInt16BE(at + (v1 ? 16 : 8));
    at += v1 ? 20 : 12;
    if (mediaTime === -1 && edit === undefined) {
      emptyDuration += segment;
      continue;
    }
    if (edit !== undefined || rate !== 1) throw new UnjoinableTrack("an edit list with more than one media edit");
    edit = { emptyDuration, mediaTime };
  }
  if (edit === undefined && count > 0) throw new UnjoinableTrack("an edit list that shows no media");
  return edit;
}

function readChunks(buf: Buffer, stbl: BoxHeader, sizes: Uint32Array): TrackTables["chunks"] {
  const stco = findChild(buf, stbl, "stco");
  const co64 = findChild(buf, stbl, "co64");
  const stsc = findChild(buf, stbl, "stsc");
  if ((!stco && !co64) || !stsc) throw new UnjoinableTrack("no chunk table");
  let offsets: number[];
  if (co64) {
    const body = fullBoxBody(co64);
    offsets = Array.from({ length: u32(buf, body) }, (_, i) => Number(buf.readBigUInt64BE(body + 4 + i * 8)));
  } else offsets = readEntryList(buf, stco!);
  const body = fullBoxBody(stsc);
  const runs = u32(buf, body);
  const chunks: TrackTables["chunks"] = [];
  let sample = 0;
  for (let r = 0; r < runs; r++) {
    const first = u32(buf, body + 4 + r * 12);
    const perChunk = u32(buf, body + 8 + r * 12);
    if (u32(buf, body + 12 + r * 12) !== 1) throw new UnjoinableTrack("more than one sample description");
    const nextFirst = r + 1 < runs ? u32(buf, body + 4 + (r + 1) * 12) : offsets.length + 1;
    for (let c = first; c < nextFirst; c++) {
      if (c < 1 || c > offsets.length) throw new UnjoinableTrack("sample-to-chunk table names a chunk that does not exist");
      let bytes = 0;
      for (let s = 0; s < perChunk; s++) bytes += sizes[sample + s] ?? 0;
      chunks.push({ offset: offsets[c - 1], samples: perChunk, bytes });
      sample += perChunk;
    }
  }
  if (sample !== sizes.length || chunks.length !== offsets.length) throw new UnjoinableTrack(`chunks hold ${sample} samples, the size table ${sizes.length}`);
  return chunks;
}

function readSizes(buf: Buffer, stbl: BoxHeader): Uint32Array {
  const stsz = findChild(buf, stbl, "stsz");
  if (!stsz) throw new UnjoinableTrack("no sample size table (stz2 is not supported)");
  const body = fullBoxBody(stsz);
  const fixed = u32(buf, body);
  const count = u32(buf, body + 4);
  const sizes = new Uint32Array(count);
  if (fixed !== 0) sizes.fill(fixed);
  else for (let i = 0; i < count; i++) sizes[i] = u32(buf, body + 8 + i * 4);
  return sizes;
}

/** Reads one trak of the moov in `buf`; throws UnjoinableTrack with the reason when it cannot be joined as it is. */
export function readTrackTables(buf: Buffer, trak: BoxHeader): TrackTables {
  const tkhd = findChild(buf, trak, "tkhd");
  const mdhd = findPath(buf, trak, ["mdia", "mdhd"]);
  const hdlr = findPath(buf, trak, ["mdia", "hdlr"]);
  const stbl = findPath(buf, trak, ["mdia", "minf", "stbl"]);
  if (!tkhd || !mdhd || !hdlr || !stbl) throw new UnjoinableTrack("a track without tkhd/mdhd/hdlr/stbl");
  for (const b of childBoxes(buf, stbl.offset + stbl.headerSize, stbl.offset + stbl.size)) {
    if (!UNDERSTOOD.has(b.type)) throw new UnjoinableTrack(`a "${b.type}" sample table`);
  }
  const stsd = findChild(buf, stbl, "stsd");
  const stts = findChild(buf, stbl, "stts");
  if (!stsd || !stts) throw new UnjoinableTrack("no sample description or time-to-sample table");
  if (u32(buf, fullBoxBody(stsd)) !== 1) throw new UnjoinableTrack("more than one sample description");
  const ctts = findChild(buf, stbl, "ctts");
  const stss = findChild(buf, stbl, "stss");
  const sampleSizes = readSizes(buf, stbl);
  const timeToSample = readEntryPairs(buf, stts);
  const mdhdV1 = fullBoxVersion(buf, mdhd) === 1;
  return {
    trak,
    trackId: u32(buf, fullBoxBody(tkhd) + (fullBoxVersion(buf, tkhd) === 1 ? 16 : 8)),
    handler: buf.toString("latin1", fullBoxBody(hdlr) + 4, fullBoxBody(hdlr) + 8),
    timescale: u32(buf, fullBoxBody(mdhd) + (mdhdV1 ? 16 : 8)),
    stsd: Buffer.from(buf.subarray(stsd.offset, stsd.offset + stsd.size)),
    stts: timeToSample,
    ctts: ctts ? { version: fullBoxVersion(buf, ctts), entries: readEntryPairs(buf, ctts) } : undefined,
    stss: stss ? readEntryList(buf, stss) : undefined,
    sampleSizes,
    chunks: readChunks(buf, stbl, sampleSizes),
    edit: readEdit(buf, trak),
    mediaDuration: timeToSample.reduce((t, [count, delta]) => t + count * delta, 0),
  };
}

function fullBox(type: string, version: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt8(version, 0);
  return makeBox(type, Buffer.concat([head, payload]));
}

function pairTable(type: string, version: number, entries: Array<[number, number]>): Buffer {
  const payload = Buffer.alloc(4 + entries.length * 8);
  payload.writeUInt32BE(entries.length, 0);
  entries.forEach(([a, b], i) => {
    payload.writeUInt32BE(a >>> 0, 4 + i * 8);
    payload.writeUInt32BE(b >>> 0, 8 + i * 8);
  });
  return fullBox(type, version, payload);
}

/** Appends a run to a run-length table, merging it with the last run when the values agree. */
export function appendRun(table: Array<[number, number]>, count: number, value: number): void {
  if (count === 0) return;
  const last = table[table.length - 1];
  if (last && last[1] === value) last[0] += count;
  else table.push([count, value]);
}

/** The joined track's tables, ready to serialise. */
export interface JoinedTables {
  stsd: Buffer;
  stts: Array<[number, number]>;
  ctts?: { version: number; entries: Array<[number, number]> };
  stss?: number[];
  sampleSizes: Uint32Array;
  /** Per chunk: sample count and output file offset. */
  chunkSamples: number[];
  chunkOffsets: number[];
}

/** stbl with stsd, stts, ctts, stss, stsz, stsc, stco (or co64 when asked or an offset needs it). */
export function writeStbl(t: JoinedTables, wideOffsets = false): Buffer {
  const boxes = [t.stsd, pairTable("stts", 0, t.stts)];
  if (t.ctts) boxes.push(pairTable("ctts", t.ctts.version, t.ctts.entries));
  if (t.stss) {
    const payload = Buffer.alloc(4 + t.stss.length * 4);
    payload.writeUInt32BE(t.stss.length, 0);
    t.stss.forEach((n, i) => payload.writeUInt32BE(n, 4 + i * 4));
    boxes.push(fullBox("stss", 0, payload));
  }
  const sizes = t.sampleSizes;
  const fixed = sizes.length > 0 && sizes.every((s) => s === sizes[0]) ? sizes[0] : 0;
  const stsz = Buffer.alloc(8 + (fixed ? 0 : sizes.length * 4));
  stsz.writeUInt32BE(fixed, 0);
  stsz.writeUInt32BE(sizes.length, 4);
  if (!fixed) {
    const view = new DataView(stsz.buffer, stsz.byteOffset, stsz.length);
    for (let i = 0; i < sizes.length; i++) view.setUint32(8 + i * 4, sizes[i]);
  }
  boxes.push(fullBox("stsz", 0, stsz));
  const runs: Array<[number, number]> = [];
  t.chunkSamples.forEach((n, i) => {
    if (runs.length === 0 || runs[runs.length - 1][1] !== n) runs.push([i + 1, n]);
  });
  const stsc = Buffer.alloc(4 + runs.length * 12);
  stsc.writeUInt32BE(runs.length, 0);
  runs.forEach(([first, n], i) => {
    stsc.writeUInt32BE(first, 4 + i * 12);
    stsc.writeUInt32BE(n, 8 + i * 12);
    stsc.writeUInt32BE(1, 12 + i * 12);
  });
  boxes.push(fullBox("stsc", 0, stsc));
  const wide = wideOffsets || t.chunkOffsets.some((o) => o > 0xffffffff);
  const co = Buffer.alloc(4 + t.chunkOffsets.length * (wide ? 8 : 4));
  co.writeUInt32BE(t.chunkOffsets.length, 0);
  t.chunkOffsets.forEach((o, i) => (wide ? co.writeBigUInt64BE(BigInt(o), 4 + i * 8) : co.writeUInt32BE(o, 4 + i * 4)));
  boxes.push(fullBox(wide ? "co64" : "stco", 0, co));
  return makeBox("stbl", Buffer.concat(boxes));
}

/** Reads an MPEG-4 descriptor length (1–4 bytes, 7 bits each). */
function descriptorLength(buf: Buffer, at: number): { length: number; next: number } {
  let length = 0;
  for (let i = 0; i < 4; i++) {
    const b = buf[at + i];
    length = (length << 7) | (b & 0x7f);
    if ((b & 0x80) === 0) return { length, next: at + i + 1 };
  }
  return { length, next: at + 4 };
}

/** Zeroes the bitrate fields of an esds box in place: they describe one file, not how to decode the stream. */
function blankEsdsBitrates(buf: Buffer, esds: BoxHeader): void {
  let at = fullBoxBody(esds);
  if (buf[at] !== 0x03) return;
  at = descriptorLength(buf, at + 1).next;
  const flags = buf[at + 2];
  at += 3;
  if (flags & 0x80) at += 2;
  if (flags & 0x40) at += 1 + buf[at];
  if (flags & 0x20) at += 2;
  if (buf[at] !== 0x04) return;
  at = descriptorLength(buf, at + 1).next;
  // objectTypeIndication (1), streamType (1), then bufferSizeDB (3), maxBitrate (4), avgBitrate (4).
  if (at + 13 <= esds.offset + esds.size) buf.fill(0, at + 2, at + 13);
}

/**
 * What must match for two files' samples to be decoded with one sample description: the stsd without what only
 * describes a file (btrt boxes, the esds bitrate fields), which every piece of a split recording has its own of.
 */
export function decodingIdentity(stsd: Buffer): Buffer {
  const copy = Buffer.from(stsd);
  const root = { type: "stsd", offset: 0, headerSize: 8, size: copy.length };
  const entry = childBoxes(copy, fullBoxBody(root) + 4, copy.length)[0];
  if (!entry) return copy;
  // Child boxes follow the sample entry's fixed fields: 78 bytes for video, 28 for audio (ISO/IEC 14496-12 §12.1, §12.2).
  const fixed = entry.type === "mp4a" ? 28 : 78;
  const kept: Buffer[] = [copy.subarray(entry.offset + 8, entry.offset + 8 + fixed)];
  for (const box of childBoxes(copy, entry.offset + 8 + fixed, entry.offset + entry.size)) {
    if (box.type === "btrt") continue;
    if (box.type === "esds") blankEsdsBitrates(copy, box);
    kept.push(copy.subarray(box.offset, box.offset + box.size));
  }
  return Buffer.concat([Buffer.from(entry.type, "latin1"), ...kept]);
}

