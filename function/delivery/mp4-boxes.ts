// ISO BMFF (MP4) box headers: enough to walk a file's top level from ranged reads and to descend into moov/moof.
// Pure functions over Buffers; no I/O.

export interface BoxHeader {
  type: string;
  /** Offset of the box start within the buffer (or file) it was read from. */
  offset: number;
  /** 8, or 16 with a 64-bit size. */
  headerSize: number;
  /** Whole box size in bytes; for a size-0 box ("to end of file") the caller's `end` minus offset. */
  size: number;
}

/** Reads the box header at `offset`, or undefined when fewer than the header's bytes are available. */
export function readBoxHeader(buf: Buffer, offset: number, end = buf.length): BoxHeader | undefined {
  if (offset + 8 > end) return undefined;
  let size = buf.readUInt32BE(offset);
  const type = buf.toString("latin1", offset + 4, offset + 8);
  let headerSize = 8;
  if (size === 1) {
    if (offset + 16 > end) return undefined;
    size = Number(buf.readBigUInt64BE(offset + 8));
    headerSize = 16;
  } else if (size === 0) {
    size = end - offset;
  }
  return { type, offset, headerSize, size };
}

/** The complete child boxes of [start, end) in order; stops at a truncated or malformed box. */
export function childBoxes(buf: Buffer, start: number, end: number): BoxHeader[] {
  const out: BoxHeader[] = [];
  let at = start;
  while (at < end) {
    const h = readBoxHeader(buf, at, end);
    if (!h || h.size < h.headerSize || at + h.size > end) break;
    out.push(h);
    at += h.size;
  }
  return out;
}

/** First child of the given type. */
export function findChild(buf: Buffer, parent: BoxHeader, type: string): BoxHeader | undefined {
  return childBoxes(buf, parent.offset + parent.headerSize, parent.offset + parent.size).find((b) => b.type === type);
}

/** Descends through `path` ("mdia", "minf", ...) from `parent`. */
export function findPath(buf: Buffer, parent: BoxHeader, path: string[]): BoxHeader | undefined {
  let at: BoxHeader | undefined = parent;
  for (const type of path) {
    if (!at) return undefined;
    at = findChild(buf, at, type);
  }
  return at;
}

/** Offset of a full box's payload (after version + flags). */
export function fullBoxBody(box: BoxHeader): number {
  return box.offset + box.headerSize + 4;
}

export function fullBoxVersion(buf: Buffer, box: BoxHeader): number {
  return buf.readUInt8(box.offset + box.headerSize);
}

export function fullBoxFlags(buf: Buffer, box: BoxHeader): number {
  return buf.readUInt32BE(box.offset + box.headerSize) & 0xffffff;
}

export function u32(buf: Buffer, at: number): number {
  return buf.readUInt32BE(at);
}

/** A full box holding an entry count then that many [u32, u32] entries (stts, ctts). */
export function readEntryPairs(buf: Buffer, box: BoxHeader): Array<[number, number]> {
  const body = fullBoxBody(box);
  const n = u32(buf, body);
  const out: Array<[number, number]> = new Array(n);
  for (let i = 0; i < n; i++) out[i] = [u32(buf, body + 4 + i * 8), u32(buf, body + 8 + i * 8)];
  return out;
}

/** A full box holding an entry count then that many u32 entries (stss, stco). */
export function readEntryList(buf: Buffer, box: BoxHeader): number[] {
  const body = fullBoxBody(box);
  const n = u32(buf, body);
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = u32(buf, body + 4 + i * 4);
  return out;
}

/** Builds a box from its type and payload. */
export function makeBox(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, payload]);
}
