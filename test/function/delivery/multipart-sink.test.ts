// The part buffer: parts end only where the producer allows a cut, are at least 1 MiB except the last, and the
// progress a checkpoint would record never runs ahead of what COS confirmed without gaps.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StageError } from "../../../function/delivery/cos-errors";
import { MultipartSink, type SinkProgress, type SinkUnit } from "../../../function/delivery/multipart-sink";
import type { DeliveryLog } from "../../../function/delivery/types";
import { FAST, startHarness, TARGET, type Harness } from "./harness";

const MiB = 1024 * 1024;
const silent: DeliveryLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

/** 12 units of 300 KiB with distinct fill bytes; a cut is allowed before every even-numbered unit. */
function units(): Array<SinkUnit & { bytes: Buffer }> {
  return Array.from({ length: 12 }, (_, i) => ({
    bytes: Buffer.alloc(300 * 1024, i + 1),
    cut: i % 2 === 0 ? { kind: "bytes" as const, offset: i * 300 * 1024 } : undefined,
  }));
}

async function openSink(shouldStop: () => boolean, confirmed: SinkProgress[] = []) {
  const target = h.target("out/sink.bin");
  const { UploadId } = await h.client.multipartInit({ Bucket: target.bucket, Region: target.region, Key: target.key });
  const sink = new MultipartSink({
    cos: h.client,
    target,
    uploadId: UploadId,
    partSize: MiB,
    concurrency: 2,
    retry: FAST.retry!,
    log: silent,
    start: { parts: [], bytes: 0 },
    shouldStop,
    onConfirmed: (p) => confirmed.push(p),
  });
  return { sink, target, uploadId: UploadId };
}

describe("MultipartSink", () => {
  it("cuts only at allowed points, keeps parts >= 1 MiB but the last, and the parts reassemble the stream", async () => {
    const confirmed: SinkProgress[] = [];
    const { sink, target, uploadId } = await openSink(() => false, confirmed);
    const all = units();
    for (const u of all) expect(await sink.write(u)).toBe("more");
    const progress = await sink.end();
    const sizes = progress.parts.map((p) => p.size);
    // 4 units (1.17 MiB) reach the part size at a cut: parts of 4, 4 and the last 4 units.
    expect(sizes).toEqual([4 * 300 * 1024, 4 * 300 * 1024, 4 * 300 * 1024]);
    expect(confirmed[0].resume).toEqual({ kind: "bytes", offset: 4 * 300 * 1024 });
    expect(progress.bytes).toBe(12 * 300 * 1024);
    await h.client.multipartComplete({ Bucket: target.bucket, Region: target.region, Key: target.key, UploadId: uploadId, Parts: progress.parts.map((p) => ({ PartNumber: p.PartNumber, ETag: p.ETag })) });
    expect(h.cos.getObjectDirect(TARGET.bucket, "out/sink.bin")!.equals(Buffer.concat(all.map((u) => u.bytes)))).toBe(true);
  });

  it("stops right after handing over a part when asked; the checkpoint resumes at the unit it did not take", async () => {
    const { sink } = await openSink(() => true);
    const all = units();
    let stoppedAt = -1;
    for (let i = 0; i < all.length; i++) {
      if ((await sink.write(all[i])) === "stop") {
        stoppedAt = i;
        break;
      }
    }
    expect(stoppedAt).toBe(4);
    const progress = await sink.settle();
    expect(progress.parts.map((p) => p.PartNumber)).toEqual([1]);
    expect(progress.resume).toEqual(all[4].cut);
  });

  it("fails with COS write failed on a part that keeps failing and never confirms past the gap", async () => {
    h.cos.faults.add({ match: (r) => r.action === "UploadPart" && (r.query.partNumber ?? r.query.partnumber) === "2", times: Infinity, fault: { kind: "status", status: 500 } });
    const { sink } = await openSink(() => false);
    let failure: unknown;
    try {
      for (const u of units()) await sink.write(u);
      await sink.end();
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(StageError);
    expect((failure as StageError).outcome).toBe("COS write failed");
    const progress = await sink.settle();
    expect(progress.parts.map((p) => p.PartNumber)).toEqual([1]);
  });
});
