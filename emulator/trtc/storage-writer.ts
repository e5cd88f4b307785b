// Where recording files go: the bucket named in CloudStorage, written with the caller's AccessKey/SecretKey
// through the real cos-nodejs-sdk-v5 (so the COS double checks the signature as COS would), or captured in
// memory for unit tests that do not run a COS double.
import COS from "cos-nodejs-sdk-v5";
import { readFile } from "node:fs/promises";
import type { CloudStorageConfig } from "./recording-params";

export interface StorageWriter {
  /** Uploads a local file to `key` in the task's bucket; rejects with `{ code, message }` as COS answered. */
  put(target: CloudStorageConfig, key: string, filePath: string): Promise<void>;
}

export class StorageUploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "StorageUploadError";
  }
}

/** Writes with cos-nodejs-sdk-v5, connecting to the COS double at `hostPort` with the virtual-hosted Host kept. */
export function cosStorageWriter(opts: { hostPort: string }): StorageWriter {
  return {
    async put(target, key, filePath) {
      const cos = new COS({ SecretId: target.accessKey, SecretKey: target.secretKey, Protocol: "http:", Ip: opts.hostPort });
      const body = await readFile(filePath);
      try {
        // A Buffer body gives COS a Content-Length (a chunked PUT Object is refused, as by the real service).
        await cos.putObject({ Bucket: target.bucket, Region: target.region, Key: key, Body: body, ContentLength: body.length });
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown; statusCode?: unknown };
        throw new StorageUploadError(String(err.code ?? err.statusCode ?? "UploadFailed"), String(err.message ?? e));
      }
    },
  };
}

export interface StoredFile {
  bucket: string;
  region: string;
  key: string;
  /** The AccessKey the file was written with (the SecretKey is never kept). */
  accessKey: string;
  data: Buffer;
}

/** Keeps every file in memory; `failWith` makes the next puts fail like a COS error. */
export class MemoryStorageWriter implements StorageWriter {
  readonly files = new Map<string, StoredFile>();
  failWith: { code: string; message: string } | undefined;

  async put(target: CloudStorageConfig, key: string, filePath: string): Promise<void> {
    if (this.failWith) throw new StorageUploadError(this.failWith.code, this.failWith.message);
    this.files.set(`${target.bucket}/${key}`, { bucket: target.bucket, region: target.region, key, accessKey: target.accessKey, data: await readFile(filePath) });
  }
}
