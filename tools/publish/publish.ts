/**
 * Publishes content-addressed artifacts to the artifact bucket: `<kind>/<sha256>.zip`, the objects the stacks' functions
 * and layers name. Idempotent: an object that is already there with the same size and SHA-256 is left alone; an
 * upload is verified (size, and the ETag against the zip's MD5) before it counts; an object under a content address
 * that holds other bytes is an error, never overwritten silently. Staging and prod only ever *verify*: their pins name
 * artifacts a previous environment published, so promotion needs neither a rebuild nor the git history.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type COS from "cos-nodejs-sdk-v5";
import { artifactObjectKey, type ArtifactRef } from "../../infra/artifacts/artifact-store";
import type { ArtifactBucket } from "../../infra/constructs/artifact-bucket";

/** Object metadata holding the full SHA-256, so a later run can tell the same bytes from others without downloading. */
export const SHA256_META = "x-cos-meta-sha256";

export type PublishOutcome = "uploaded" | "already-published";

export class PublishError extends Error {
  override name = "PublishError";
}

const missingBucket = (bucket: ArtifactBucket) =>
  new PublishError(`artifact bucket ${bucket.bucket} (${bucket.region}) does not exist: create it once per account (docs/operations.md)`);

interface Head {
  size: number;
  etag: string;
  sha256?: string;
}

function headObject(cos: COS, bucket: ArtifactBucket, key: string): Promise<Head | undefined> {
  return new Promise((resolve, reject) => {
    cos.headObject({ Bucket: bucket.bucket, Region: bucket.region, Key: key }, (err, data) => {
      if (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 404) return resolve(undefined);
        const code = (err as { code?: string }).code ?? status ?? "error";
        if (code === "NoSuchBucket") return reject(missingBucket(bucket));
        return reject(new PublishError(`HEAD ${bucket.bucket}/${key}: ${code}: ${(err as unknown as Error).message ?? ""}`.trim()));
      }
      const headers = (data.headers ?? {}) as Record<string, string>;
      resolve({ size: Number(headers["content-length"]), etag: String(data.ETag ?? headers.etag ?? "").replace(/"/g, ""), sha256: headers[SHA256_META] });
    });
  });
}

function putObject(cos: COS, bucket: ArtifactBucket, key: string, body: Buffer, sha256: string): Promise<void> {
  return new Promise((resolve, reject) => {
    cos.putObject(
      {
        Bucket: bucket.bucket,
        Region: bucket.region,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: "application/zip",
        Headers: { [SHA256_META]: sha256, "Content-MD5": createHash("md5").update(body).digest("base64") },
      },
      (err) => {
        if (!err) return resolve();
        const code = (err as { code?: string }).code;
        // A HEAD cannot tell a missing bucket from a missing object (404, no body); the PUT's XML error can.
        if (code === "NoSuchBucket") return reject(missingBucket(bucket));
        reject(new PublishError(`PUT ${bucket.bucket}/${key}: ${code ?? ""} ${(err as unknown as Error).message ?? ""}`.trim()));
      },
    );
  });
}

function matches(head: Head, ref: ArtifactRef): boolean {
  return head.size === ref.size && head.sha256 === ref.sha256;
}

/** Makes sure `ref` is in the bucket; uploads it from the local store when it is not and `upload` allows. */
export async function publishArtifact(cos: COS, bucket: ArtifactBucket, ref: ArtifactRef, opts: { upload: boolean }): Promise<PublishOutcome> {
  const key = artifactObjectKey(ref);
  const existing = await headObject(cos, bucket, key);
  if (existing) {
    if (matches(existing, ref)) return "already-published";
    throw new PublishError(
      `${bucket.bucket}/${key} holds other bytes (size ${existing.size}, sha256 ${existing.sha256 ?? "not recorded"}; expected ${ref.size}, ${ref.sha256}): ` +
        "a content address must never change; delete that object and publish again",
    );
  }
  if (!opts.upload) {
    throw new PublishError(`${ref.kind} ${ref.hash} is not in ${bucket.bucket} (${key}): promotion never uploads; publish it from the environment it was promoted from`);
  }
  if (!ref.path) throw new PublishError(`${ref.kind} ${ref.hash} is neither in ${bucket.bucket} nor in the local artifact store: build it (npm run build)`);
  const body = readFileSync(ref.path);
  const sha256 = createHash("sha256").update(body).digest("hex");
  if (sha256 !== ref.sha256 || body.length !== ref.size) throw new PublishError(`${ref.path} is not ${ref.kind} ${ref.sha256} any more (sha256 ${sha256}); build again`);
  await putObject(cos, bucket, key, body, sha256);
  const after = await headObject(cos, bucket, key);
  const md5 = createHash("md5").update(body).digest("hex");
  if (!after || !matches(after, ref) || after.etag !== md5) {
    throw new PublishError(`${bucket.bucket}/${key}: the upload did not verify (size ${after?.size}, ETag ${after?.etag}; expected ${ref.size}, ${md5})`);
  }
  return "uploaded";
}
