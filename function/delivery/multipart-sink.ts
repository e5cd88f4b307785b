// Buffers the output stream into parts of at least `partSize` bytes, cut only where the producer says a cut is
// safe (a fragment or frame boundary with a known media position), uploads them with bounded concurrency, and keeps
// the progress a checkpoint may record: the parts COS confirmed without gaps and where the media continues after
// them. Local memory stays at about (concurrency + 1) x partSize; nothing touches the disk.
import { createHash } from "node:crypto";
import { StageError } from "./cos-errors";
import type { RetryPolicy } from "./cos-retry";
import { MAX_PARTS, MIN_PART_BYTES, uploadPart } from "./multipart-upload";
import type COS from "cos-nodejs-sdk-v5";
import type { CosLocation, DeliveryLog, ResumePoint, UploadedPart } from "./types";

export interface SinkUnit {
  /** One buffer, or several in order (kept as views until the part is assembled). */
  bytes: Buffer | Buffer[];
  /** A part may end right before this unit; a checkpoint taken there resumes from this point. */
  cut?: ResumePoint;
  /** Media position of this unit (seconds), for progress. */
  mediaSeconds?: number;
}

export interface SinkProgress {
  parts: UploadedPart[];
  bytes: number;
  /** Where the media continues after `parts` (undefined before the first part is confirmed in a fresh upload). */
  resume?: ResumePoint;
  mediaSeconds?: number;
}

export interface SinkOptions {
  cos: COS;
  target: CosLocation;
  uploadId: string;
  partSize: number;
  concurrency: number;
  retry: RetryPolicy;
  log: DeliveryLog;
  /** Parts already in COS (resume), numbered 1..n without gaps, and where the media continues after them. */
  start: SinkProgress;
  /** Asked at every possible cut right after a part was handed over: true = stop here. */
  shouldStop: () => boolean;
  onConfirmed?: (progress: SinkProgress) => void;
}

interface Pending {
  part?: UploadedPart;
  resumeAfter?: ResumePoint;
  mediaSecondsAfter?: number;
}

export class MultipartSink {
  private buffer: Buffer[] = [];
  private buffered = 0;
  /**
   * The MD5 of the buffered part, fed as units arrive: hashing 8 MiB at hand-over would stall the event loop
   * (reads, uploads) at every part boundary; spread over the arrivals it overlaps with the waiting for I/O.
   */
  private partHash = createHash("md5");
  private nextPart: number;
  private readonly inflight = new Set<Promise<void>>();
  private readonly pending = new Map<number, Pending>();
  private confirmed: SinkProgress;
  private failure?: StageError;
  private readonly partSize: number;
  /** Parts handed to COS in this invocation (the progress guarantee: stop only after at least one). */
  partsThisRun = 0;

  constructor(private readonly opts: SinkOptions) {
    this.partSize = Math.max(MIN_PART_BYTES, opts.partSize);
    this.confirmed = { ...opts.start, parts: [...opts.start.parts] };
    this.nextPart = opts.start.parts.length + 1;
  }

  /** Adds a unit; "stop" means the sink cut a part here and the producer should stop (the unit is not kept). */
  async write(unit: SinkUnit): Promise<"more" | "stop"> {
    if (this.failure) throw this.failure;
    if (unit.cut && this.buffered >= this.partSize) {
      this.handOver(unit.cut, unit.mediaSeconds);
      if (this.opts.shouldStop()) return "stop";
    }
    for (const b of Array.isArray(unit.bytes) ? unit.bytes : [unit.bytes]) {
      this.buffer.push(b);
      this.buffered += b.length;
      this.partHash.update(b);
    }
    while (this.inflight.size >= this.opts.concurrency) {
      await Promise.race(this.inflight);
      if (this.failure) throw this.failure;
    }
    return "more";
  }

  /** Uploads what is left as the last part and waits for every part. */
  async end(): Promise<SinkProgress> {
    if (this.failure) throw this.failure;
    if (this.buffered > 0 || this.nextPart === 1) this.handOver(undefined, undefined);
    await this.settle();
    if (this.failure) throw this.failure;
    return this.confirmed;
  }

  /** Waits for in-flight parts (after a stop or a failure) and returns the confirmed progress. */
  async settle(): Promise<SinkProgress> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    return this.confirmed;
  }

  get error(): StageError | undefined {
    return this.failure;
  }

  private handOver(resumeAfter: ResumePoint | undefined, mediaSecondsAfter: number | undefined): void {
    const partNumber = this.nextPart++;
    if (partNumber > MAX_PARTS) {
      this.failure ??= new StageError("COS write failed", `output needs more than ${MAX_PARTS} parts of ${this.partSize} bytes`, true);
      return;
    }
    const body = this.buffer.length === 1 ? this.buffer[0] : Buffer.concat(this.buffer);
    const md5 = this.partHash.digest();
    this.partHash = createHash("md5");
    this.buffer = [];
    this.buffered = 0;
    this.partsThisRun += 1;
    const slot: Pending = { resumeAfter, mediaSecondsAfter };
    this.pending.set(partNumber, slot);
    const { cos, target, uploadId, retry, log } = this.opts;
    const task = uploadPart(cos, target, uploadId, partNumber, body, retry, log, md5).then(
      (part) => {
        slot.part = part;
        this.advance();
      },
      (err: unknown) => {
        this.failure ??= err instanceof StageError ? err : new StageError("COS write failed", String(err));
      },
    );
    const tracked = task.finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }

  /** Moves the confirmed frontier over parts that are now complete without gaps. */
  private advance(): void {
    let moved = false;
    for (;;) {
      const n = this.confirmed.parts.length + 1;
      const slot = this.pending.get(n);
      if (!slot?.part) break;
      this.pending.delete(n);
      this.confirmed = {
        parts: [...this.confirmed.parts, slot.part],
        bytes: this.confirmed.bytes + slot.part.size,
        resume: slot.resumeAfter,
        mediaSeconds: slot.mediaSecondsAfter ?? this.confirmed.mediaSeconds,
      };
      moved = true;
    }
    if (moved) this.opts.onConfirmed?.(this.confirmed);
  }
}
