// The target counts as delivered only when COS itself says so: HEAD returns the ETag we were given by Complete (or
// Copy) and the size we uploaded. Only then may sources be deleted.
import type COS from "cos-nodejs-sdk-v5";
import { describeCosFailure, StageError } from "./cos-errors";
import { withCosRetry, type RetryPolicy } from "./cos-retry";
import { unquote } from "./multipart-upload";
import type { CosLocation } from "./types";

export interface Confirmed {
  etag: string;
  size: number;
}

export async function verifyTarget(cos: COS, target: CosLocation, expect: { etag?: string; size: number }, retry: RetryPolicy): Promise<Confirmed> {
  const r = await withCosRetry(() => cos.headObject({ Bucket: target.bucket, Region: target.region, Key: target.key }), retry);
  if (!r.ok) throw new StageError("COS write failed", `the delivered object cannot be confirmed: ${describeCosFailure("HEAD", target, r.failure)}`);
  const headers = r.value.headers ?? {};
  const size = Number(headers["content-length"]);
  const etag = String(r.value.ETag ?? headers["etag"] ?? "");
  if (size !== expect.size) throw new StageError("COS write failed", `${target.key}: COS holds ${size} bytes, ${expect.size} were uploaded`);
  if (expect.etag && unquote(etag) !== unquote(expect.etag)) {
    throw new StageError("COS write failed", `${target.key}: ETag is ${etag}, the upload ended with ${expect.etag}`);
  }
  return { etag, size };
}
