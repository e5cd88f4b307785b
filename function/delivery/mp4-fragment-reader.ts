// Splits ffmpeg's fragmented-MP4 output (ftyp, moov, then moof+mdat pairs, then mfra) into whole units as bytes
// arrive on its stdout, so parts can be cut at fragment boundaries only and each cut has a known media position.
import { readBoxHeader } from "./mp4-boxes";
import { parseMoov } from "./mp4-moov";

export interface InitTrack {
  trackId: number;
  handler: string;
  timescale: number;
}

export type Mp4Unit =
  | { kind: "init"; bytes: Buffer; tracks: InitTrack[] }
  /**
   * A moof and the mdat after it; `prefix` holds any other top-level boxes seen before the moof (styp, sidx, free).
   * The mdat stays as the chunks it arrived in (views, not copies): media bytes are copied once, into a part.
   */
  | { kind: "fragment"; prefix: Buffer[]; moof: Buffer; mdat: Buffer[] }
  /** mfra and anything after the last fragment: an index with offsets into this run's own output. */
  | { kind: "trailer"; bytes: Buffer };

/** Largest top-level box we accept; far above one fragment of any recording TRTC can produce. */
const MAX_BOX_BYTES = 1024 * 1024 * 1024;

export class Mp4FragmentReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ftyp: Buffer[] = [];
  private prefix: Buffer[][] = [];
  private pendingMoof?: Buffer;
  private seenInit = false;

  /** Feeds bytes; returns the units completed by them. Throws on data that is not a box stream. */
  push(chunk: Buffer): Mp4Unit[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Mp4Unit[] = [];
    for (;;) {
      const box = this.nextBox();
      if (!box) break;
      const unit = this.accept(box.type, box.bytes);
      if (unit) out.push(unit);
    }
    return out;
  }

  /** Call at end of stream: returns a trailer for leftovers; throws if a fragment was cut short. */
  end(): Mp4Unit[] {
    if (this.pendingMoof) throw new Error("fragmented MP4 ended between a moof and its mdat");
    if (this.buffered > 0) throw new Error(`fragmented MP4 ended inside a box (${this.buffered} bytes left over)`);
    const rest = this.prefix.flat();
    this.prefix = [];
    return rest.length > 0 ? [{ kind: "trailer", bytes: Buffer.concat(rest) }] : [];
  }

  private nextBox(): { type: string; bytes: Buffer[] } | undefined {
    if (this.buffered < 8) return undefined;
    const head = this.peekHead();
    const sizeField = head.readUInt32BE(0);
    if (sizeField === 1 && head.length < 16) return undefined;
    if (sizeField === 0) throw new Error("size-0 (to end of file) box on a stream");
    const h = readBoxHeader(head, 0);
    if (!h || h.size < h.headerSize || h.size > MAX_BOX_BYTES) throw new Error(`not an MP4 box stream (box "${h?.type ?? "?"}" of ${h?.size ?? 0} bytes)`);
    if (this.buffered < h.size) return undefined;
    return { type: h.type, bytes: this.take(h.size) };
  }

  /** The first min(16, buffered) bytes. */
  private peekHead(): Buffer {
    if (this.chunks[0].length >= 16 || this.chunks.length === 1) return this.chunks[0].subarray(0, 16);
    return Buffer.concat(this.chunks.slice(0, 16)).subarray(0, 16);
  }

  /** Removes the first n buffered bytes, as views of the chunks they arrived in. */
  private take(n: number): Buffer[] {
    const out: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const c = this.chunks[0];
      if (c.length <= left) {
        out.push(c);
        this.chunks.shift();
        left -= c.length;
      } else {
        out.push(c.subarray(0, left));
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.buffered -= n;
    return out;
  }

  private accept(type: string, bytes: Buffer[]): Mp4Unit | undefined {
    if (!this.seenInit) {
      if (type === "moov") {
        this.seenInit = true;
        const moov = Buffer.concat(bytes);
        const info = parseMoov(moov);
        const init = Buffer.concat([...this.ftyp, moov]);
        this.ftyp = [];
        return { kind: "init", bytes: init, tracks: info.tracks.map((t) => ({ trackId: t.trackId, handler: t.handler, timescale: t.timescale })) };
      }
      this.ftyp.push(Buffer.concat(bytes));
      return undefined;
    }
    if (type === "moof") {
      if (this.pendingMoof) throw new Error("two moof boxes without an mdat between them");
      this.pendingMoof = Buffer.concat(bytes);
      return undefined;
    }
    if (type === "mdat" && this.pendingMoof) {
      const unit: Mp4Unit = { kind: "fragment", prefix: this.prefix.flat(), moof: this.pendingMoof, mdat: bytes };
      this.pendingMoof = undefined;
      this.prefix = [];
      return unit;
    }
    this.prefix.push(bytes);
    return undefined;
  }
}
