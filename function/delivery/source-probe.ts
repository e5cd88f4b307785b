// What each TRTC output object is, read with HEAD and a few small ranged GETs (never the whole object): its size and
// ETag, its container (MP4/M4A, ADTS AAC, MP3), and for MP4 the moov: which streams, and whether the moov comes
// before the media so the file can be streamed front to back through a pipe.
import type COS from "cos-nodejs-sdk-v5";
import { asCosFailure, describeCosFailure, isNotFound, StageError } from "./cos-errors";
import { withCosRetry, type RetryPolicy } from "./cos-retry";
import { looksLikeAdts, id3v2Length } from "./adts";
import { readBoxHeader } from "./mp4-boxes";
import { parseMoov, type MoovInfo } from "./mp4-moov";
import { readMp3Header } from "./mp3-frame-reader";
import type { CosLocation } from "./types";

export type SourceFormat = "mp4" | "adts" | "mp3";

export interface ProbedSource {
  index: number;
  location: CosLocation;
  size: number;
  etag: string;
  format: SourceFormat;
  moov?: MoovInfo;
  /** The moov box's bytes (MP4), for joining files without re-muxing them. */
  moovBytes?: Buffer;
  /** Readable front to back from a pipe: ADTS/MP3 always, MP4 when the moov precedes the first mdat and it is not fragmented. */
  streamable: boolean;
}

const HEAD_BYTES = 64 * 1024;
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
const MAX_TOP_LEVEL_BOXES = 64;
const MP4_TOP_LEVEL = new Set(["ftyp", "styp", "moov", "free", "skip", "wide", "mdat", "pdin", "uuid", "moof", "sidx"]);

async function readRange(cos: COS, loc: CosLocation, first: number, last: number, retry: RetryPolicy): Promise<Buffer> {
  const r = await withCosRetry(() => cos.getObject({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, Range: `bytes=${first}-${last}` }), retry);
  if (!r.ok) throw new StageError("COS read failed", describeCosFailure("GET (range)", loc, r.failure), false);
  const body = r.value.Body;
  if (body.length !== last - first + 1) {
    throw new StageError("COS read failed", `GET ${loc.bucket}/${loc.key} bytes=${first}-${last}: got ${body.length} bytes (range not honoured?)`);
  }
  return body;
}

async function walkMp4(cos: COS, loc: CosLocation, size: number, head: Buffer, retry: RetryPolicy): Promise<{ moov: MoovInfo; moovBytes: Buffer; moovFirst: boolean }> {
  let buf = head;
  let bufStart = 0;
  let offset = 0;
  let mdatSeen = false;
  for (let n = 0; n < MAX_TOP_LEVEL_BOXES && offset < size; n++) {
    if (offset + 16 > bufStart + buf.length && offset + 8 <= size) {
      buf = await readRange(cos, loc, offset, Math.min(size, offset + 4096) - 1, retry);
      bufStart = offset;
    }
    const rel = offset - bufStart;
    const h = readBoxHeader(buf, rel, buf.length);
    if (!h || !MP4_TOP_LEVEL.has(h.type) || (buf.readUInt32BE(rel) !== 0 && h.size < h.headerSize)) {
      throw new StageError("transcode failed", `${loc.key}: not a readable MP4 (box at byte ${offset}: "${h?.type ?? "?"}")`);
    }
    // A size field of 0 means "to the end of the file" (only legal for the last box).
    const boxSize = buf.readUInt32BE(rel) === 0 ? size - offset : h.size;
    if (h.type === "moov") {
      if (boxSize > MAX_MOOV_BYTES) throw new StageError("transcode failed", `${loc.key}: moov of ${boxSize} bytes is implausibly large`);
      const inBuf = rel + boxSize <= buf.length;
      const bytes = inBuf ? buf.subarray(rel, rel + boxSize) : await readRange(cos, loc, offset, offset + boxSize - 1, retry);
      let moov: MoovInfo;
      try {
        moov = parseMoov(bytes);
      } catch (err) {
        throw new StageError("transcode failed", `${loc.key}: moov cannot be parsed (${err instanceof Error ? err.message : String(err)})`);
      }
      return { moov, moovBytes: Buffer.from(bytes), moovFirst: !mdatSeen };
    }
    if (h.type === "mdat") mdatSeen = true;
    if (offset + boxSize > size) break;
    offset += boxSize;
  }
  throw new StageError("transcode failed", `${loc.key}: MP4 without a moov box (an unfinished recording?)`);
}

/** HEAD + format detection. Missing object → "record failed"; COS errors → "COS read failed"; unreadable → "transcode failed". */
export async function probeSource(cos: COS, loc: CosLocation, index: number, retry: RetryPolicy): Promise<ProbedSource> {
  const head = await withCosRetry(() => cos.headObject({ Bucket: loc.bucket, Region: loc.region, Key: loc.key }), retry);
  if (!head.ok) {
    if (isNotFound(head.failure)) throw new StageError("record failed", `source ${loc.bucket}/${loc.key} does not exist`, true);
    throw new StageError("COS read failed", describeCosFailure("HEAD", loc, asCosFailure(head.failure)), false);
  }
  const headers = head.value.headers ?? {};
  const size = Number(headers["content-length"] ?? NaN);
  const etag = String(head.value.ETag ?? headers["etag"] ?? "");
  if (!Number.isFinite(size)) throw new StageError("COS read failed", `HEAD ${loc.bucket}/${loc.key}: no Content-Length`);
  if (size === 0) throw new StageError("record failed", `source ${loc.bucket}/${loc.key} is empty`, true);
  const first = await readRange(cos, loc, 0, Math.min(size, HEAD_BYTES) - 1, retry);
  const base = { index, location: loc, size, etag };
  const firstType = first.length >= 8 ? first.toString("latin1", 4, 8) : "";
  if (MP4_TOP_LEVEL.has(firstType)) {
    const { moov, moovBytes, moovFirst } = await walkMp4(cos, loc, size, first, retry);
    return { ...base, format: "mp4", moov, moovBytes, streamable: moovFirst && !moov.fragmented };
  }
  if (looksLikeAdts(first)) return { ...base, format: "adts", streamable: true };
  if (readMp3Header(first, id3v2Length(first))) return { ...base, format: "mp3", streamable: true };
  throw new StageError("transcode failed", `${loc.key}: unrecognised media (starts with ${first.subarray(0, 8).toString("hex")})`);
}
