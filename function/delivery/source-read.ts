// Streams a COS object into a Writable (ffmpeg's stdin, an input pipe, or a file) and survives a dropped connection
// by continuing with a ranged GET from the last byte delivered. Two SDK behaviours shape this:
// - getObject with `Output` is never retried by cos-nodejs-sdk-v5 (stream requests are excluded from its retries);
// - the SDK pipes the response body into `Output` whatever the status, so a 5xx's XML error body would reach the
//   consumer. A small gate holds the first bytes back until it is clear they are media (an error body is tiny).
import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";
import type COS from "cos-nodejs-sdk-v5";
import { asCosFailure, describeCosFailure, isNotFound, isPermanent, StageError } from "./cos-errors";
import type { RetryPolicy } from "./cos-retry";
import type { ProbedSource } from "./source-probe";

/** Error bodies from COS are well under this; media is released once this much arrived (or the response ended OK). */
const GATE_BYTES = 16 * 1024;
/** Room for the network to run ahead of a slow consumer. */
const HIGH_WATER = 1024 * 1024;

/**
 * The SDK's `Output`: forwards to the real consumer with its back-pressure, but holds the first GATE_BYTES until
 * they are known to be media. It finishes as soon as the response ends (the SDK waits for that before calling
 * back); held bytes are written afterwards, by `release`, once the SDK said the response was a success.
 */
class GatedOutput extends Writable {
  forwarded = 0;
  lastDataAt = Date.now();
  waitingDrain = false;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private open = false;

  constructor(private readonly out: Writable) {
    super({ highWaterMark: HIGH_WATER });
    const gone = () => this.destroy(new Error("the consumer of this download went away"));
    out.once("close", gone);
    out.once("error", gone);
    this.once("close", () => {
      out.off("close", gone);
      out.off("error", gone);
    });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.lastDataAt = Date.now();
    if (this.open) return this.forward(chunk, done);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes < GATE_BYTES) return done();
    this.open = true;
    const all = Buffer.concat(this.held);
    this.held = [];
    this.forward(all, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    done();
  }

  private forward(chunk: Buffer, done: (err?: Error | null) => void): void {
    this.forwarded += chunk.length;
    if (this.out.destroyed) return done(new Error("the consumer of this download went away"));
    if (this.out.write(chunk)) return done();
    // Wait for room, unless the consumer fails or closes first (then 'drain' never comes).
    this.waitingDrain = true;
    const settle = (err?: Error) => {
      this.out.off("drain", onDrain);
      this.out.off("close", onGone);
      this.out.off("error", onGone);
      this.waitingDrain = false;
      done(err);
    };
    const onDrain = () => settle();
    const onGone = () => settle(new Error("the consumer of this download went away"));
    this.out.on("drain", onDrain);
    this.out.on("close", onGone);
    this.out.on("error", onGone);
  }

  /** The response is known good: write what is still held. */
  async release(): Promise<void> {
    this.open = true;
    if (this.held.length === 0) return;
    const all = Buffer.concat(this.held);
    this.held = [];
    await new Promise<void>((resolve) => this.forward(all, () => resolve())); // a failed consumer shows as out.destroyed
  }

  /** The response failed: whatever is still held was not media. */
  discard(): void {
    this.held = [];
    this.heldBytes = 0;
  }
}

/** The reader stopped because its consumer (an ffmpeg input) closed: a consequence, not a COS problem. */
export class ConsumerGone extends Error {
  constructor(key: string) {
    super(`the consumer of ${key} closed before the object was fully read`);
  }
}

export interface StreamOptions {
  retry: RetryPolicy;
  /** Start at this byte of the object (resume). @default 0 */
  startByte?: number;
  /** Stop before this byte of the object. @default the object's size */
  endByte?: number;
  /** Give up on a response that delivers nothing for this long while the consumer has room. @default 60000 */
  idleMs?: number;
  onRetry?: (detail: string) => void;
}

interface AttemptResult {
  ok: boolean;
  detail?: string;
  permanent?: boolean;
  notFound?: boolean;
}

async function oneAttempt(cos: COS, src: ProbedSource, from: number, end: number, out: Writable, idleMs: number): Promise<AttemptResult & { forwarded: number }> {
  const loc = src.location;
  const gate = new GatedOutput(out);
  const watchdog = setInterval(() => {
    if (!gate.waitingDrain && Date.now() - gate.lastDataAt > idleMs) gate.destroy(new Error(`no data for ${idleMs} ms`));
  }, Math.min(1000, idleMs));
  try {
    const result = await cos.getObject({
      Bucket: loc.bucket,
      Region: loc.region,
      Key: loc.key,
      ...(from > 0 || end < src.size ? { Range: `bytes=${from}-${end - 1}` } : {}),
      Output: gate,
    });
    if (src.etag && result.ETag && result.ETag !== src.etag) {
      gate.discard();
      return { ok: false, permanent: true, forwarded: gate.forwarded, detail: `${loc.key} changed while being read (ETag ${src.etag} → ${result.ETag})` };
    }
    await gate.release();
    return { ok: true, forwarded: gate.forwarded };
  } catch (err) {
    gate.discard();
    const f = asCosFailure(err);
    return { ok: false, permanent: isPermanent(f), notFound: isNotFound(f), forwarded: gate.forwarded, detail: describeCosFailure("GET", loc, f) };
  } finally {
    clearInterval(watchdog);
  }
}

/**
 * Writes the object's bytes from `startByte` to `endByte` (its end) into `out` (not ending it). Throws StageError
 * ("record failed" if it vanished, else "COS read failed") when the bytes cannot all be delivered.
 */
export async function streamSource(cos: COS, src: ProbedSource, out: Writable, opts: StreamOptions): Promise<void> {
  let pos = opts.startByte ?? 0;
  const end = Math.min(opts.endByte ?? src.size, src.size);
  let failures = 0;
  while (pos < end) {
    if (out.destroyed || out.writableEnded) throw new ConsumerGone(src.location.key);
    const r = await oneAttempt(cos, src, pos, end, out, opts.idleMs ?? 60_000);
    pos += r.forwarded;
    if (r.ok) {
      if (pos !== end) throw new StageError("COS read failed", `GET ${src.location.key}: delivered up to byte ${pos}, expected ${end} (of ${src.size})`);
      return;
    }
    if (out.destroyed || out.writableEnded) throw new ConsumerGone(src.location.key);
    if (r.notFound) throw new StageError("record failed", `source ${src.location.bucket}/${src.location.key} disappeared while being read`, true);
    failures += 1;
    if (r.permanent || failures > opts.retry.rounds + 3) throw new StageError("COS read failed", `${r.detail} (at byte ${pos} of ${end}, ${failures} attempts)`, r.permanent);
    opts.onRetry?.(`${r.detail}; continuing from byte ${pos}`);
    await opts.retry.sleep(Math.min(opts.retry.baseDelayMs * 2 ** (failures - 1), 8000));
  }
}

/** Downloads the object to `path` (same resume-on-failure behaviour). */
export async function downloadSource(cos: COS, src: ProbedSource, path: string, opts: StreamOptions): Promise<void> {
  const file = createWriteStream(path);
  const closed = new Promise<void>((resolve, reject) => {
    file.once("close", () => resolve());
    file.once("error", reject);
  });
  try {
    await streamSource(cos, src, file, opts);
  } finally {
    file.end();
    await closed;
  }
}
