// One source that already is the requested output is copied inside COS: no bytes through the function, no local
// disk, seconds even for gigabytes. PUT Object - Copy handles up to 5 GB; above that, sliceCopyFile's multipart
// copy (UploadPartCopy). The copy runs with the target's credentials, which must be allowed to read the source;
// when they are not (AccessDenied), the caller falls back to relaying the bytes.
import type COS from "cos-nodejs-sdk-v5";
import { asCosFailure, describeCosFailure, StageError } from "./cos-errors";
import { withCosRetry, type RetryPolicy } from "./cos-retry";
import { copySource } from "./cos-url";
import type { ProbedSource } from "./source-probe";
import type { CosLocation } from "./types";

const SINGLE_COPY_LIMIT = 5 * 1024 * 1024 * 1024;

export type CopyResult = { kind: "copied"; etag?: string } | { kind: "refused"; detail: string };

export async function serverSideCopy(cos: COS, source: ProbedSource, target: CosLocation, retry: RetryPolicy): Promise<CopyResult> {
  const base = { Bucket: target.bucket, Region: target.region, Key: target.key, CopySource: copySource(source.location) };
  if (source.size <= SINGLE_COPY_LIMIT) {
    const r = await withCosRetry(() => cos.putObjectCopy(base), retry);
    if (r.ok) return { kind: "copied", etag: r.value.ETag };
    if (r.failure.status === 403) return { kind: "refused", detail: describeCosFailure("PUT Object - Copy", target, r.failure) };
    throw new StageError("COS write failed", describeCosFailure("PUT Object - Copy", target, r.failure), r.failure.status !== undefined && r.failure.status < 500);
  }
  // sliceCopyFile retries its parts itself; one more round for a transient failure of the whole.
  const r = await withCosRetry(() => cos.sliceCopyFile(base), retry);
  if (r.ok) return { kind: "copied" };
  const f = asCosFailure(r.failure);
  if (f.status === 403) return { kind: "refused", detail: describeCosFailure("multipart copy", target, f) };
  throw new StageError("COS write failed", describeCosFailure("multipart copy", target, f), f.status !== undefined && f.status < 500);
}
