// In-memory buckets of the COS double: objects and in-progress multipart uploads. Holds data only; the rules
// (limits, ETag formats, error codes) live with the operations that enforce them.
import { createHash } from "node:crypto";

export interface StoredObject {
  body: Buffer;
  /** Quoted, as COS returns it: `"<md5hex>"`, or `"<md5-of-part-md5s>-<n>"` after a multipart upload. */
  etag: string;
  contentType: string;
  /** x-cos-meta-* headers, names lower-cased. */
  meta: Record<string, string>;
  lastModified: Date;
}

export interface StoredPart {
  body: Buffer;
  etag: string;
  lastModified: Date;
}

export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiated: Date;
  contentType: string;
  meta: Record<string, string>;
  /** x-cos-forbid-overwrite given at initiation; checked again at completion. */
  forbidOverwrite: boolean;
  parts: Map<number, StoredPart>;
}

/** COS bucket versioning: never enabled, or Enabled/Suspended (once enabled it can only be suspended, never removed). */
export type VersioningState = "Never" | "Enabled" | "Suspended";

/** Canned ACLs a COS bucket takes (PUT Bucket / PUT Bucket acl, x-cos-acl). */
export type CannedBucketAcl = "private" | "public-read" | "public-read-write";

/**
 * Bucket-level configuration set through the bucket APIs (bucket-config.ts). Sub-documents are kept as parsed XML
 * (fast-xml-parser objects) and answered back as sent, which is what the provider's read compares with its config.
 */
export interface BucketConfig {
  acl: CannedBucketAcl;
  lifecycle?: Record<string, unknown>[];
  cors?: { rules: Record<string, unknown>[]; responseVary?: string };
  tags?: Record<string, string>;
}

export class CosBucket {
  readonly objects = new Map<string, StoredObject>();
  /** See bucket-config.ts. */
  config: BucketConfig = { acl: "private" };
  readonly uploads = new Map<string, MultipartUpload>();
  /** See versioning.ts: decides whether x-cos-forbid-overwrite is honoured and whether old versions are kept. */
  versioning: VersioningState = "Never";
  /** Noncurrent versions per key (oldest first), kept only while versioning is or was on. */
  readonly noncurrent = new Map<string, StoredObject[]>();
  constructor(
    /** Long name, `<name>-<appid>`. */
    readonly name: string,
    readonly region: string,
  ) {}
}

const BUCKET_NAME = /^[a-z0-9-]+-\d+$/;

export class CosStore {
  private readonly buckets = new Map<string, CosBucket>();

  createBucket(name: string, region: string): CosBucket {
    if (!BUCKET_NAME.test(name)) throw new Error(`CosStore.createBucket: name must be <name>-<appid> like rec-1250000000 (got "${name}")`);
    if (!/^[a-z]+(-[a-z]+)+(-\d+)?$/.test(region)) throw new Error(`CosStore.createBucket: region must look like ap-guangzhou (got "${region}")`);
    const existing = this.buckets.get(name);
    if (existing) {
      if (existing.region !== region) throw new Error(`CosStore.createBucket: ${name} already exists in ${existing.region}`);
      return existing;
    }
    const bucket = new CosBucket(name, region);
    this.buckets.set(name, bucket);
    return bucket;
  }

  /** Removes a bucket (DELETE Bucket checks emptiness first). */
  deleteBucket(name: string): void {
    this.buckets.delete(name);
  }

  /** Every bucket, for listing and persistence. */
  all(): CosBucket[] {
    return [...this.buckets.values()];
  }

  named(name: string): CosBucket | undefined {
    return this.buckets.get(name);
  }

  /** The bucket only when it lives in `region`: a bucket is addressed through its own region's endpoint. */
  bucket(name: string, region: string): CosBucket | undefined {
    const b = this.buckets.get(name);
    return b && b.region === region ? b : undefined;
  }
}

/** MD5s of request bodies already hashed (the Content-MD5 check, then the ETag): one pass per body, as one would expect of COS. */
const bodyMd5s = new WeakMap<Buffer, string>();

export function md5Hex(data: Buffer | string): string {
  if (typeof data === "string") return createHash("md5").update(data).digest("hex");
  let hex = bodyMd5s.get(data);
  if (hex === undefined) {
    hex = createHash("md5").update(data).digest("hex");
    bodyMd5s.set(data, hex);
  }
  return hex;
}

/** COS (like S3) lists keys in UTF-8 binary order, not UTF-16 code-unit order. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
