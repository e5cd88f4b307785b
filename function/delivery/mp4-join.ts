// Pure: joins MP4 files that share their codec configuration into one MP4 with the moov first, without touching a
// sample. The new moov holds the sources' sample tables end to end; the media data is each source's own bytes, in
// order. So the output is a fixed byte layout — a header, then byte ranges of the sources — that can be streamed
// from COS to COS with no ffmpeg, cut at any byte and resumed at any byte.
//
// Timing follows ffmpeg's concat demuxer: source j starts where the previous one ended (its longest track, edit
// lists applied), so audio and video stay in step across a join; a shorter track's last sample is lengthened to
// fill the gap rather than letting later samples drift. A source whose tracks would have to start before the
// previous one's end (e.g. AAC priming) starts a little later instead.
import { createHash } from "node:crypto";
import { childBoxes, findChild, findPath, fullBoxBody, fullBoxVersion, makeBox, readBoxHeader, u32, type BoxHeader } from "./mp4-boxes";
import { appendRun, decodingIdentity, readTrackTables, UnjoinableTrack, writeStbl, type JoinedTables, type TrackTables } from "./mp4-sample-tables";

export interface JoinInput {
  /** For messages. */
  key: string;
  /** The object's size in bytes. */
  size: number;
  /** The complete moov box. */
  moov: Buffer;
}

/** The output, front to back: literal bytes, or bytes [start, end) of source `source`. */
export type LayoutSegment = { kind: "bytes"; bytes: Buffer } | { kind: "range"; source: number; start: number; end: number };

export interface ByteLayout {
  segments: LayoutSegment[];
  totalBytes: number;
  durationSeconds: number;
  /** Identifies this exact layout: a resume continues only a layout with the same digest. */
  digest: string;
}

export type JoinResult = { ok: true; layout: ByteLayout } | { ok: false; reason: string };

interface SourceTracks {
  movieTimescale: number;
  /** In the order of `handlers`. */
  tracks: TrackTables[];
  range: { start: number; end: number };
}

function movieTimescale(moov: Buffer, root: BoxHeader): number {
  const mvhd = findChild(moov, root, "mvhd");
  if (!mvhd) throw new UnjoinableTrack("no mvhd");
  return u32(moov, fullBoxBody(mvhd) + (fullBoxVersion(moov, mvhd) === 1 ? 16 : 8));
}

function readSource(input: JoinInput, handlers: string[]): SourceTracks {
  const root = readBoxHeader(input.moov, 0);
  if (!root || root.type !== "moov") throw new UnjoinableTrack("no moov");
  const all = childBoxes(input.moov, root.headerSize, root.size)
    .filter((b) => b.type === "trak")
    .map((trak) => readTrackTables(input.moov, trak));
  const tracks: TrackTables[] = [];
  for (const handler of handlers) {
    const t = all.find((x) => x.handler === handler);
    if (!t) throw new UnjoinableTrack(`no ${handler} track`);
    tracks.push(t);
  }
  const extra = all.find((t) => !tracks.includes(t) && t.sampleSizes.length > 0);
  // Its bytes would ride along in the copied ranges: a file asked to leave a stream out must not carry it.
  if (extra) throw new UnjoinableTrack(`a ${extra.handler} track the output leaves out`);
  let start = Infinity;
  let end = 0;
  for (const t of tracks) {
    for (const c of t.chunks) {
      start = Math.min(start, c.offset);
      end = Math.max(end, c.offset + c.bytes);
    }
  }
  if (start === Infinity) throw new UnjoinableTrack("no samples");
  if (end > input.size) throw new UnjoinableTrack(`samples reach byte ${end} of a ${input.size}-byte object`);
  return { movieTimescale: movieTimescale(input.moov, root), tracks, range: { start, end } };
}

/** Presentation offset of a track's first sample (seconds): its empty edit minus its media start. */
function editOffset(t: TrackTables, movieTs: number): number {
  return t.edit ? t.edit.emptyDuration / movieTs - t.edit.mediaTime / t.timescale : 0;
}

function lengthenLastSample(stts: Array<[number, number]>, ticks: number): void {
  if (ticks <= 0 || stts.length === 0) return;
  const last = stts[stts.length - 1];
  if (last[0] === 1) last[1] += ticks;
  else {
    last[0] -= 1;
    stts.push([1, last[1] + ticks]);
  }
}

/** The joined tables per track, with chunk offsets relative to the start of the output's media data. */
function joinTables(sources: SourceTracks[]): { tables: JoinedTables[]; mediaDurations: number[] } {
  const first = sources[0];
  const n = first.tracks.length;
  const tables: JoinedTables[] = first.tracks.map((t, k) => ({ stsd: t.stsd, stts: [], ctts: t.ctts ? { version: 0, entries: [] } : undefined, stss: sources.some((s) => s.tracks[k].stss) ? [] : undefined, sampleSizes: new Uint32Array(0), chunkSamples: [], chunkOffsets: [] }));
  const sizes: Uint32Array[][] = first.tracks.map((): Uint32Array[] => []);
  const pos = new Array<number>(n).fill(0);
  const samples = new Array<number>(n).fill(0);
  const e0 = first.tracks.map((t) => editOffset(t, first.movieTimescale));
  let offset = 0;
  let dataBefore = 0;
  for (let j = 0; j < sources.length; j++) {
    const src = sources[j];
    const e = src.tracks.map((t) => editOffset(t, src.movieTimescale));
    if (j > 0) {
      const lag = Math.max(0, ...src.tracks.map((t, k) => (pos[k] - (offset + e[k] - e0[k]) * t.timescale) / t.timescale));
      offset += lag;
      src.tracks.forEach((t, k) => {
        const gap = Math.round((offset + e[k] - e0[k]) * t.timescale) - pos[k];
        lengthenLastSample(tables[k].stts, gap);
        pos[k] += Math.max(0, gap);
      });
    }
    src.tracks.forEach((t, k) => {
      const out = tables[k];
      for (const [count, delta] of t.stts) appendRun(out.stts, count, delta);
      if (out.ctts && t.ctts) {
        out.ctts.version = Math.max(out.ctts.version, t.ctts.version);
        for (const [count, off] of t.ctts.entries) appendRun(out.ctts.entries, count, off);
      }
      if (out.stss) {
        if (t.stss) for (const s of t.stss) out.stss.push(samples[k] + s);
        else for (let s = 1; s <= t.sampleSizes.length; s++) out.stss.push(samples[k] + s);
      }
      sizes[k].push(t.sampleSizes);
      for (const c of t.chunks) {
        out.chunkSamples.push(c.samples);
        out.chunkOffsets.push(dataBefore + c.offset - src.range.start);
      }
      samples[k] += t.sampleSizes.length;
      pos[k] += t.mediaDuration;
    });
    offset += Math.max(...src.tracks.map((t, k) => e[k] + t.mediaDuration / t.timescale));
    dataBefore += src.range.end - src.range.start;
  }
  tables.forEach((t, k) => {
    const all = new Uint32Array(samples[k]);
    let at = 0;
    for (const part of sizes[k]) {
      all.set(part, at);
      at += part.length;
    }
    t.sampleSizes = all;
  });
  return { tables, mediaDurations: pos };
}

/** mvhd/mdhd/tkhd with a new duration; version 1 when it does not fit in 32 bits. */
function withDuration(buf: Buffer, box: BoxHeader, duration: number): Buffer {
  const body = box.offset + box.headerSize + 4;
  const v1 = fullBoxVersion(buf, box) === 1;
  // Bytes between the times and the duration: timescale (mvhd, mdhd) or track_ID + reserved (tkhd).
  const middle = box.type === "tkhd" ? 8 : 4;
  const times = v1 ? 16 : 8;
  const durationAt = body + times + middle;
  const rest = buf.subarray(durationAt + (v1 ? 8 : 4), box.offset + box.size);
  const flags = buf.subarray(box.offset + box.headerSize + 1, body);
  const wide = v1 || duration > 0xffffffff;
  const timesOut = Buffer.alloc(wide ? 16 : 8);
  if (wide && !v1) {
    timesOut.writeBigUInt64BE(BigInt(u32(buf, body)), 0);
    timesOut.writeBigUInt64BE(BigInt(u32(buf, body + 4)), 8);
  } else buf.copy(timesOut, 0, body, body + times);
  const durationOut = Buffer.alloc(wide ? 8 : 4);
  if (wide) durationOut.writeBigUInt64BE(BigInt(duration));
  else durationOut.writeUInt32BE(duration);
  const payload = Buffer.concat([Buffer.from([wide ? 1 : 0]), flags, timesOut, buf.subarray(body + times, durationAt), durationOut, rest]);
  return makeBox(box.type, payload);
}

function editList(emptyDuration: number, segmentDuration: number, mediaTime: number): Buffer {
  const entries: Array<[number, number]> = emptyDuration > 0 ? [[emptyDuration, -1]] : [];
  entries.push([segmentDuration, mediaTime]);
  const wide = entries.some(([d, m]) => d > 0xffffffff || m > 0x7fffffff);
  const payload = Buffer.alloc(4 + 4 + entries.length * (wide ? 20 : 12));
  payload.writeUInt8(wide ? 1 : 0, 0);
  payload.writeUInt32BE(entries.length, 4);
  entries.forEach(([d, m], i) => {
    const at = 8 + i * (wide ? 20 : 12);
    if (wide) {
      payload.writeBigUInt64BE(BigInt(d), at);
      payload.writeBigInt64BE(BigInt(m), at + 8);
      payload.writeInt16BE(1, at + 16);
    } else {
      payload.writeUInt32BE(d, at);
      payload.writeInt32BE(m, at + 4);
      payload.writeInt16BE(1, at + 8);
    }
  });
  return makeBox("edts", makeBox("elst", payload));
}

function children(buf: Buffer, box: BoxHeader): BoxHeader[] {
  return childBoxes(buf, box.offset + box.headerSize, box.offset + box.size);
}

function verbatim(buf: Buffer, box: BoxHeader): Buffer {
  return buf.subarray(box.offset, box.offset + box.size);
}

/** Source 0's moov with the joined tracks: every other box as it was, durations and tables replaced. */
function buildMoov(moov: Buffer, first: SourceTracks, tables: JoinedTables[], mediaDurations: number[], wideOffsets: boolean): { moov: Buffer; movieDuration: number } {
  const root = readBoxHeader(moov, 0)!;
  const movieTs = first.movieTimescale;
  const traks: Buffer[] = [];
  const trackDurations: number[] = [];
  first.tracks.forEach((t, k) => {
    const edit = t.edit;
    const segment = Math.round(((mediaDurations[k] - (edit?.mediaTime ?? 0)) / t.timescale) * movieTs);
    const trackDuration = (edit?.emptyDuration ?? 0) + segment;
    trackDurations.push(trackDuration);
    const stbl = writeStbl(tables[k], wideOffsets);
    const parts = children(moov, t.trak).flatMap((box) => {
      if (box.type === "tkhd") return [withDuration(moov, box, trackDuration)];
      if (box.type === "edts") return edit ? [editList(edit.emptyDuration, segment, edit.mediaTime)] : [];
      if (box.type !== "mdia") return [verbatim(moov, box)];
      const mdia = children(moov, box).map((m) => {
        if (m.type === "mdhd") return withDuration(moov, m, mediaDurations[k]);
        if (m.type !== "minf") return verbatim(moov, m);
        return makeBox("minf", Buffer.concat(children(moov, m).map((x) => (x.type === "stbl" ? stbl : verbatim(moov, x)))));
      });
      return [makeBox("mdia", Buffer.concat(mdia))];
    });
    traks.push(makeBox("trak", Buffer.concat(parts)));
  });
  const movieDuration = Math.max(...trackDurations);
  const out: Buffer[] = [];
  let traksPlaced = false;
  for (const box of children(moov, root)) {
    if (box.type === "mvhd") out.push(withDuration(moov, box, movieDuration));
    else if (box.type === "trak") {
      // Every kept track in source 0's order, where its tracks were; tracks left out (no samples) are dropped.
      if (!traksPlaced) out.push(...traks);
      traksPlaced = true;
    } else out.push(verbatim(moov, box));
  }
  return { moov: makeBox("moov", Buffer.concat(out)), movieDuration };
}

/** Adds `by` to every chunk offset (stco, co64) of every track of a moov, in place. */
function shiftChunkOffsets(moov: Buffer, by: number): void {
  const root = readBoxHeader(moov, 0)!;
  for (const trak of children(moov, root).filter((b) => b.type === "trak")) {
    const stbl = findPath(moov, trak, ["mdia", "minf", "stbl"]);
    const table = stbl && (findChild(moov, stbl, "stco") ?? findChild(moov, stbl, "co64"));
    if (!table) continue;
    const body = fullBoxBody(table);
    const count = u32(moov, body);
    if (table.type === "co64") for (let i = 0; i < count; i++) moov.writeBigUInt64BE(moov.readBigUInt64BE(body + 4 + i * 8) + BigInt(by), body + 4 + i * 8);
    else for (let i = 0; i < count; i++) moov.writeUInt32BE(u32(moov, body + 4 + i * 4) + by, body + 4 + i * 4);
  }
}

function ftyp(videoCodec: string | undefined): Buffer {
  const brands = ["isom", "iso2", ...(videoCodec === "avc1" ? ["avc1"] : []), "mp41"];
  const payload = Buffer.alloc(8 + brands.length * 4);
  payload.write("isom", 0, "latin1");
  payload.writeUInt32BE(0x200, 4);
  brands.forEach((b, i) => payload.write(b, 8 + i * 4, "latin1"));
  return makeBox("ftyp", payload);
}

function mdatHeader(dataBytes: number): Buffer {
  if (dataBytes + 8 <= 0xffffffff) {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(dataBytes + 8, 0);
    h.write("mdat", 4, "latin1");
    return h;
  }
  const h = Buffer.alloc(16);
  h.writeUInt32BE(1, 0);
  h.write("mdat", 4, "latin1");
  h.writeBigUInt64BE(BigInt(dataBytes + 16), 8);
  return h;
}

function sameTrackSetup(a: TrackTables, b: TrackTables): string | undefined {
  if (a.timescale !== b.timescale) return `${a.handler} timescale ${b.timescale} differs from ${a.timescale}`;
  if (!decodingIdentity(a.stsd).equals(decodingIdentity(b.stsd))) return `${a.handler} sample description differs`;
  if ((a.ctts === undefined) !== (b.ctts === undefined)) return `${a.handler} composition offsets in some sources only`;
  return undefined;
}

/**
 * The byte layout of `sources` joined, keeping exactly the first track of each handler in `handlers` (e.g.
 * ["vide", "soun"]), or the reason they cannot be joined this way (the caller then joins with ffmpeg).
 */
export function planJoin(sources: JoinInput[], handlers: string[]): JoinResult {
  if (sources.length === 0) return { ok: false, reason: "no sources" };
  const read: SourceTracks[] = [];
  for (const s of sources) {
    try {
      read.push(readSource(s, handlers));
    } catch (err) {
      if (err instanceof UnjoinableTrack || err instanceof RangeError) return { ok: false, reason: `${s.key}: ${err.message}` };
      throw err;
    }
  }
  for (let j = 1; j < read.length; j++) {
    for (let k = 0; k < handlers.length; k++) {
      const why = sameTrackSetup(read[0].tracks[k], read[j].tracks[k]);
      if (why) return { ok: false, reason: `${sources[j].key}: ${why}` };
    }
  }
  const { tables, mediaDurations } = joinTables(read);
  const dataBytes = read.reduce((n, s) => n + s.range.end - s.range.start, 0);
  const head = ftyp(read[0].tracks.find((t) => t.handler === "vide")?.stsd.toString("latin1", 20, 24));
  const mdat = mdatHeader(dataBytes);
  // The moov's size depends on the offsets it holds (stco or co64), and they on its size: settle in a few rounds.
  // Chunk offsets are written relative to the media data, then moved by the moov's own size once it is known (one
  // build). 64-bit offsets are chosen on a bound of that size: co64 is valid for small offsets too.
  const moovBound = sources.reduce((n, s) => n + s.moov.length, 0) * 2 + (1 << 20);
  const wide = head.length + mdat.length + moovBound + dataBytes > 0xffffffff;
  const built = buildMoov(sources[0].moov, read[0], tables, mediaDurations, wide);
  const dataStart = head.length + built.moov.length + mdat.length;
  shiftChunkOffsets(built.moov, dataStart);
  const header = Buffer.concat([head, built.moov, mdat]);
  const segments: LayoutSegment[] = [{ kind: "bytes", bytes: header }, ...read.map((s, source) => ({ kind: "range" as const, source, start: s.range.start, end: s.range.end }))];
  const digest = createHash("sha256")
    .update(header)
    .update(JSON.stringify(segments.slice(1)))
    .digest("hex")
    .slice(0, 32);
  return { ok: true, layout: { segments, totalBytes: header.length + dataBytes, durationSeconds: built.movieDuration / read[0].movieTimescale, digest } };
}

/** One source's bytes as they are: the relay's layout. */
export function wholeObjectLayout(size: number, etag: string): ByteLayout {
  return { segments: [{ kind: "range", source: 0, start: 0, end: size }], totalBytes: size, durationSeconds: 0, digest: `whole:${etag}` };
}
