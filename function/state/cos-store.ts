// State store on COS, using the role's temporary credentials. The exclusive create relies on COS's
// `x-cos-forbid-overwrite: true`, which refuses an existing key with 409 FileAlreadyExists — but only in a bucket
// that never had versioning (COS ignores the header once versioning was enabled, even suspended). So before its
// first exclusive create the store reads the bucket's versioning state and refuses to create anything in a bucket
// that had it: a start that fails loudly is better than two recordings racing for one room.
import type COS from "cos-nodejs-sdk-v5";
import type { StateStore } from "./store";

export interface CosStoreOptions {
  cos: COS;
  bucket: string;
  region: string;
  /** The environment variable naming the bucket, for the error when it cannot do exclusive creates. */
  bucketVariable?: string;
}

/** The bucket cannot guarantee an exclusive create (versioned, or its state cannot be read). */
export class ExclusiveCreateUnavailable extends Error {
  override name = "ExclusiveCreateUnavailable";
}

interface CosErrorLike {
  code?: unknown;
  statusCode?: unknown;
}

function errorInfo(err: unknown): CosErrorLike {
  return typeof err === "object" && err !== null ? (err as CosErrorLike) : {};
}

function isNotFound(err: unknown): boolean {
  const e = errorInfo(err);
  return e.statusCode === 404 || e.code === "NoSuchKey" || e.code === "404";
}

function isAlreadyExists(err: unknown): boolean {
  const e = errorInfo(err);
  return e.statusCode === 409 || e.code === "FileAlreadyExists";
}

function toBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  return Buffer.alloc(0);
}

export function createCosStore(opts: CosStoreOptions): StateStore {
  const { cos, bucket, region } = opts;
  const variable = opts.bucketVariable ?? "the state bucket";
  let verified: Promise<void> | undefined;
  const verifyNeverVersioned = async (): Promise<void> => {
    let status: unknown;
    try {
      status = (await cos.getBucketVersioning({ Bucket: bucket, Region: region })).VersioningConfiguration?.Status;
    } catch (err) {
      const e = errorInfo(err);
      throw new ExclusiveCreateUnavailable(
        `cannot read the versioning state of ${bucket} (${variable}): ${String(e.code ?? e.statusCode ?? err)}; the execution role needs cos:GetBucketVersioning on it`,
      );
    }
    if (status === "Enabled" || status === "Suspended") {
      throw new ExclusiveCreateUnavailable(
        `${bucket} (${variable}) has versioning ${status}: COS ignores x-cos-forbid-overwrite there, so claims and leases would not be exclusive; set RECORDER_LOCK_BUCKET/RECORDER_LOCK_REGION to a bucket that never had versioning`,
      );
    }
  };
  return {
    location: `cos://${bucket}/ (${region})`,
    async get(key) {
      try {
        const out = await cos.getObject({ Bucket: bucket, Region: region, Key: key });
        return toBuffer(out.Body);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async put(key, body) {
      await cos.putObject({ Bucket: bucket, Region: region, Key: key, Body: toBuffer(body) });
    },
    async create(key, body) {
      // Checked once per store (one invocation); a failed check is retried by the next create.
      verified ??= verifyNeverVersioned().catch((err: unknown) => {
        verified = undefined;
        throw err;
      });
      await verified;
      try {
        await cos.putObject({
          Bucket: bucket,
          Region: region,
          Key: key,
          Body: toBuffer(body),
          Headers: { "x-cos-forbid-overwrite": "true" },
        });
        return true;
      } catch (err) {
        if (isAlreadyExists(err)) return false;
        throw err;
      }
    },
    async delete(key) {
      try {
        await cos.deleteObject({ Bucket: bucket, Region: region, Key: key });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async list(prefix) {
      const keys: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await cos.getBucket({ Bucket: bucket, Region: region, Prefix: prefix, Marker: marker, MaxKeys: 1000 });
        for (const item of page.Contents ?? []) keys.push(item.Key);
        const truncated = String(page.IsTruncated) === "true";
        if (!truncated) break;
        marker = page.NextMarker || keys[keys.length - 1];
        if (marker === undefined) break;
      }
      return keys.sort();
    },
  };
}
