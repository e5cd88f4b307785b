// The COS multipart calls delivery makes on the target, each with the retry layer and an outcome-shaped error
// ("COS write failed", permanent or not).
import { createHash } from "node:crypto";
import type COS from "cos-nodejs-sdk-v5";
import { describeCosFailure, isNotFound, StageError } from "./cos-errors";
import { withCosRetry, type RetryPolicy } from "./cos-retry";
import type { CosLocation, DeliveryLog, UploadedPart } from "./types";

/** COS limits: parts 1..10000; every part but the last at least 1 MiB. */
export const MAX_PARTS = 10_000;
export const MIN_PART_BYTES = 1024 * 1024;

export function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, "");
}

export async function initUpload(cos: COS, target: CosLocation, contentType: string, retry: RetryPolicy): Promise<string> {
  const r = await withCosRetry(() => cos.multipartInit({ Bucket: target.bucket, Region: target.region, Key: target.key, ContentType: contentType }), retry);
  if (!r.ok) throw new StageError("COS write failed", describeCosFailure("InitiateMultipartUpload", target, r.failure), r.failure.status !== undefined && r.failure.status < 500);
  return r.value.UploadId;
}

export async function uploadPart(
  cos: COS,
  target: CosLocation,
  uploadId: string,
  partNumber: number,
  body: Buffer,
  retry: RetryPolicy,
  log: DeliveryLog,
  /** The body's MD5 when the caller hashed it already (as the bytes arrived). */
  bodyMd5?: Buffer,
): Promise<UploadedPart> {
  // Content-MD5 makes COS check the part on arrival (BadDigest instead of a silently corrupted recording).
  const md5 = bodyMd5 ?? createHash("md5").update(body).digest();
  const r = await withCosRetry(
    () =>
      cos.multipartUpload({
        Bucket: target.bucket,
        Region: target.region,
        Key: target.key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
        Headers: { "Content-MD5": md5.toString("base64") },
      }),
    retry,
    (f, round) => log.warn("part upload failed, retrying", { part: partNumber, round, code: f.code, status: f.status }),
  );
  if (!r.ok) {
    const permanent = r.failure.status !== undefined && r.failure.status < 500 && r.failure.status !== 408 && r.failure.status !== 429;
    throw new StageError("COS write failed", `${describeCosFailure(`UploadPart ${partNumber}`, target, r.failure)} (after ${r.rounds} rounds of retries)`, permanent);
  }
  const etag = r.value.ETag;
  // COS's part ETag is the part's MD5 unless server-side encryption with KMS is on: a mismatch is worth a log line.
  if (etag && unquote(etag) !== md5.toString("hex")) log.warn("part ETag is not the MD5 of what we sent (SSE-KMS?)", { part: partNumber, etag });
  return { PartNumber: partNumber, ETag: etag, size: body.length };
}

/** Parts COS holds for the upload, or "gone" when the upload no longer exists (completed, aborted or expired). */
export async function listUploadedParts(cos: COS, target: CosLocation, uploadId: string, retry: RetryPolicy): Promise<UploadedPart[] | "gone"> {
  const parts: UploadedPart[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PARTS / 1000 + 1; page++) {
    const r = await withCosRetry(
      () => cos.multipartListPart({ Bucket: target.bucket, Region: target.region, Key: target.key, UploadId: uploadId, ...(marker ? { PartNumberMarker: marker } : {}) }),
      retry,
    );
    if (!r.ok) {
      if (isNotFound(r.failure) || r.failure.code === "NoSuchUpload") return "gone";
      throw new StageError("COS write failed", describeCosFailure("ListParts", target, r.failure));
    }
    for (const p of r.value.Part ?? []) parts.push({ PartNumber: Number(p.PartNumber), ETag: p.ETag, size: Number(p.Size) });
    if (String(r.value.IsTruncated) !== "true") break;
    marker = String(r.value.NextPartNumberMarker);
  }
  return parts;
}

export type CompleteResult = { kind: "completed"; etag: string } | { kind: "upload-gone" };

export async function completeUpload(cos: COS, target: CosLocation, uploadId: string, parts: UploadedPart[], retry: RetryPolicy): Promise<CompleteResult> {
  const r = await withCosRetry(
    () =>
      cos.multipartComplete({
        Bucket: target.bucket,
        Region: target.region,
        Key: target.key,
        UploadId: uploadId,
        Parts: parts.map((p) => ({ PartNumber: p.PartNumber, ETag: p.ETag })),
      }),
    retry,
  );
  if (!r.ok) {
    // A Complete retried (by the SDK or by us) after a first try that did succeed but whose reply was lost finds no
    // upload any more: the caller decides by looking at the target object.
    if (r.failure.code === "NoSuchUpload" || isNotFound(r.failure)) return { kind: "upload-gone" };
    throw new StageError("COS write failed", describeCosFailure("CompleteMultipartUpload", target, r.failure), r.failure.status !== undefined && r.failure.status < 500);
  }
  return { kind: "completed", etag: r.value.ETag };
}

/** Best effort: an upload we cannot abort expires by the bucket's lifecycle rules (or costs storage until it does). */
export async function abortUpload(cos: COS, target: CosLocation, uploadId: string, retry: RetryPolicy, log: DeliveryLog): Promise<void> {
  const r = await withCosRetry(() => cos.multipartAbort({ Bucket: target.bucket, Region: target.region, Key: target.key, UploadId: uploadId }), retry);
  if (!r.ok && !isNotFound(r.failure)) log.warn("could not abort the multipart upload", { uploadId, code: r.failure.code, status: r.failure.status });
}
