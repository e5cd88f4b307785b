// ADTS (raw AAC) framing. ADTS streams concatenate byte-wise into a valid stream, which is how several TRTC audio
// files become one encoder input; counting frames on the way gives exact media positions for checkpoints, and
// skipping whole frames is how a resumed run starts where the previous one stopped.
import { Transform, type TransformCallback } from "node:stream";

export const ADTS_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

export interface AdtsHeader {
  /** Whole ADTS frame length in bytes (header included). */
  frameLength: number;
  sampleRate: number;
  /** AAC frames (raw data blocks) in this ADTS frame; each codes 1024 samples at the core rate. */
  aacFrames: number;
}

/** Parses the 7-byte ADTS header at `at`; undefined if there is no valid header there. */
export function readAdtsHeader(buf: Buffer, at: number): AdtsHeader | undefined {
  if (at + 7 > buf.length) return undefined;
  if (buf[at] !== 0xff || (buf[at + 1] & 0xf6) !== 0xf0) return undefined; // syncword 0xFFF, layer 00
  const sfIndex = (buf[at + 2] >> 2) & 0x0f;
  const sampleRate = ADTS_SAMPLE_RATES[sfIndex];
  const frameLength = ((buf[at + 3] & 0x03) << 11) | (buf[at + 4] << 3) | (buf[at + 5] >> 5);
  if (sampleRate === undefined || frameLength < 7) return undefined;
  return { frameLength, sampleRate, aacFrames: (buf[at + 6] & 0x03) + 1 };
}

/** Does the buffer start like an ADTS stream (optionally after an ID3v2 tag)? Needs two consecutive headers. */
export function looksLikeAdts(head: Buffer): boolean {
  const at = id3v2Length(head);
  const h = readAdtsHeader(head, at);
  if (!h) return false;
  const next = at + h.frameLength;
  return next + 7 > head.length || readAdtsHeader(head, next) !== undefined;
}

/** Length of an ID3v2 tag at the start of the buffer (0 if none). */
export function id3v2Length(buf: Buffer): number {
  if (buf.length < 10 || buf.toString("latin1", 0, 3) !== "ID3") return 0;
  const size = ((buf[6] & 0x7f) << 21) | ((buf[7] & 0x7f) << 14) | ((buf[8] & 0x7f) << 7) | (buf[9] & 0x7f);
  return 10 + size + (buf[5] & 0x10 ? 10 : 0);
}

/**
 * Passes whole ADTS frames through, counting AAC frames, after dropping the first `skipAacFrames` of them (and any
 * leading ID3v2 tag, which would be garbage in the middle of a concatenated stream). Fails on bytes that are not
 * ADTS, so a corrupt source is reported rather than fed to the encoder as noise.
 */
export class AdtsFramer extends Transform {
  /** AAC frames seen, the skipped ones included: the stream's position in frames. */
  aacFrames = 0;
  sampleRate?: number;
  private pending: Buffer = Buffer.alloc(0);
  private skip: number;
  private atStart = true;

  constructor(skipAacFrames = 0) {
    super();
    this.skip = skipAacFrames;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    if (this.atStart) {
      if (this.pending.length < 10) return done();
      const tag = id3v2Length(this.pending);
      if (this.pending.length < tag) return done();
      this.pending = this.pending.subarray(tag);
      this.atStart = false;
    }
    let at = 0;
    let passFrom = 0;
    while (at + 7 <= this.pending.length) {
      const h = readAdtsHeader(this.pending, at);
      if (!h) return done(new Error(`not an ADTS frame after ${this.aacFrames} AAC frames`));
      if (at + h.frameLength > this.pending.length) break;
      this.sampleRate ??= h.sampleRate;
      if (this.skip > 0) {
        // Skip whole ADTS frames; a frame with several raw data blocks is skipped only if all of them are due.
        if (h.aacFrames <= this.skip) {
          this.skip -= h.aacFrames;
          this.aacFrames += h.aacFrames;
          at += h.frameLength;
          passFrom = at;
          continue;
        }
        this.skip = 0;
      }
      this.aacFrames += h.aacFrames;
      at += h.frameLength;
    }
    if (at > passFrom) this.push(this.pending.subarray(passFrom, at));
    this.pending = this.pending.subarray(at);
    done();
  }

  /** Bytes of an incomplete last frame that were dropped (a recording cut short mid-frame). */
  droppedTailBytes = 0;

  override _flush(done: TransformCallback): void {
    this.droppedTailBytes = this.pending.length;
    done();
  }
}
