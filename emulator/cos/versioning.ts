// Bucket versioning as COS documents it, and what it changes for object writes:
// - PUT Bucket versioning (https://cloud.tencent.com/document/product/436/19889): Status Enabled or Suspended; once
//   enabled, versioning can only be suspended, never turned off; GET Bucket versioning returns no Status for a bucket
//   that never had it.
// - PUT Object (https://cloud.tencent.com/document/product/436/7749): with versioning enabled every write gets a new
//   version id (x-cos-version-id); suspended writes use the version id "null". `x-cos-forbid-overwrite` applies only
//   to buckets that never had versioning: on an enabled *or suspended* bucket it is ignored and the write succeeds.
// - DELETE Object on a versioned bucket adds a delete marker: the object disappears, its versions are kept.
import { randomBytes } from "node:crypto";
import type { CosOpHandler } from "./context";
import { CosError } from "./errors";
import type { CosBucket, StoredObject, VersioningState } from "./store";
import { parseXmlBody } from "./xml";

/** True when x-cos-forbid-overwrite means anything on this bucket. */
export function honoursForbidOverwrite(bucket: CosBucket): boolean {
  return bucket.versioning === "Never";
}

/**
 * Stores `obj` as the current version of `key`, keeping the previous one as noncurrent on a versioned bucket.
 * Returns the headers COS adds for the write (x-cos-version-id on an Enabled bucket).
 */
export function writeVersion(bucket: CosBucket, key: string, obj: StoredObject): Record<string, string> {
  const previous = bucket.objects.get(key);
  if (previous && bucket.versioning !== "Never") {
    const kept = bucket.noncurrent.get(key) ?? [];
    kept.push(previous);
    bucket.noncurrent.set(key, kept);
  }
  bucket.objects.set(key, obj);
  return bucket.versioning === "Enabled" ? { "x-cos-version-id": randomBytes(16).toString("base64url") } : {};
}

/** Deletes the current version; on a versioned bucket it stays as a noncurrent version (behind a delete marker). */
export function removeCurrent(bucket: CosBucket, key: string): void {
  const previous = bucket.objects.get(key);
  if (previous && bucket.versioning !== "Never") {
    const kept = bucket.noncurrent.get(key) ?? [];
    kept.push(previous);
    bucket.noncurrent.set(key, kept);
  }
  bucket.objects.delete(key);
}

/** Changes the bucket's state, refusing the one transition COS does not allow (back to never-versioned). */
export function setVersioning(bucket: CosBucket, status: VersioningState): void {
  if (status === "Never") {
    if (bucket.versioning !== "Never") throw new CosError(400, "InvalidArgument", "versioning, once enabled, can only be suspended");
    return;
  }
  bucket.versioning = status;
}

export const getBucketVersioning: CosOpHandler = ({ bucket, respond }) => {
  respond.xml(200, "VersioningConfiguration", bucket.versioning === "Never" ? {} : { Status: bucket.versioning });
};

export const putBucketVersioning: CosOpHandler = ({ body, bucket, respond }) => {
  const doc = parseXmlBody(body, []);
  const config = doc.VersioningConfiguration;
  const status = typeof config === "object" && config !== null ? (config as Record<string, unknown>).Status : undefined;
  if (status !== "Enabled" && status !== "Suspended") {
    throw new CosError(400, "InvalidArgument", `VersioningConfiguration.Status must be Enabled or Suspended (got ${JSON.stringify(status ?? "")})`);
  }
  setVersioning(bucket, status);
  respond.send(200, {});
};
