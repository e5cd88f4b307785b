// State store on COS, using the role's temporary credentials. The exclusive create relies on COS's
// `x-cos-forbid-overwrite: true`, which refuses an existing key with 409 FileAlreadyExists.
import type COS from "cos-nodejs-sdk-v5";
import type { StateStore } from "./store";

export interface CosStoreOptions {
  cos: COS;
  bucket: string;
  region: string;
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
