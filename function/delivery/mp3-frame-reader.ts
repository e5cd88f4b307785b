// MPEG audio Layer III framing of the encoder's stdout: parts end on frame boundaries and a frame count is an exact
// media position (frames x samples-per-frame), which is what a checkpoint records.

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

export interface Mp3FrameHeader {
  frameLength: number;
  sampleRate: number;
  samplesPerFrame: number;
}

/** Parses a Layer III frame header at `at`; undefined when there is none. */
export function readMp3Header(buf: Buffer, at: number): Mp3FrameHeader | undefined {
  if (at + 4 > buf.length) return undefined;
  if (buf[at] !== 0xff || (buf[at + 1] & 0xe0) !== 0xe0) return undefined;
  const version = (buf[at + 1] >> 3) & 0x03; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = (buf[at + 1] >> 1) & 0x03; // 1 = Layer III
  if (version === 1 || layer !== 1) return undefined;
  const bitrateIndex = buf[at + 2] >> 4;
  const rateIndex = (buf[at + 2] >> 2) & 0x03;
  const padding = (buf[at + 2] >> 1) & 0x01;
  const kbps = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex];
  const sampleRate = SAMPLE_RATES[version]?.[rateIndex];
  if (!kbps || !sampleRate) return undefined; // free-format and reserved values are not produced by LAME CBR
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const frameLength = Math.floor(((samplesPerFrame / 8) * kbps * 1000) / sampleRate) + padding;
  return { frameLength, sampleRate, samplesPerFrame };
}

export interface Mp3Chunk {
  /** Whole frames (plus a leading ID3v2 tag if the stream had one). */
  bytes: Buffer;
  frames: number;
}

export class Mp3FrameReader {
  sampleRate?: number;
  samplesPerFrame?: number;
  private pending: Buffer = Buffer.alloc(0);
  private atStart = true;

  /** Returns the whole frames completed by `chunk` (possibly none). Throws on bytes that are not MP3 frames. */
  push(chunk: Buffer): Mp3Chunk {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    if (this.atStart) {
      if (this.pending.length < 10) return { bytes: Buffer.alloc(0), frames: 0 };
      if (this.pending.toString("latin1", 0, 3) === "ID3") {
        const b = this.pending;
        const tag = 10 + (((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f));
        if (b.length < tag) return { bytes: Buffer.alloc(0), frames: 0 };
        at = tag;
      }
      this.atStart = false;
    }
    let frames = 0;
    while (at + 4 <= this.pending.length) {
      const h = readMp3Header(this.pending, at);
      if (!h) throw new Error(`encoder output is not MP3 frames (after ${frames} frames in this chunk)`);
      if (at + h.frameLength > this.pending.length) break;
      this.sampleRate ??= h.sampleRate;
      this.samplesPerFrame ??= h.samplesPerFrame;
      at += h.frameLength;
      frames += 1;
    }
    const bytes = this.pending.subarray(0, at);
    this.pending = this.pending.subarray(at);
    return { bytes, frames };
  }

  /** End of stream: leftover bytes mean the encoder was cut off mid-frame. */
  end(): void {
    if (this.pending.length > 0) throw new Error(`encoder output ends inside an MP3 frame (${this.pending.length} bytes)`);
  }
}
