// startCosDouble: the COS double on its own port, plus direct (unsigned) access to its contents so tests can seed
// inputs and inspect outputs without going through the SDK.
import { createServer } from "node:http";
import { FaultInjector } from "../faults";
import { listenLocal } from "../tc3/listen";
import type { Tc3Credential } from "../tc3/types";
import { contentTypeOf, metaHeaders } from "./object-headers";
import { createCosListener, type CosRequestRecord } from "./server";
import { compareKeys, CosStore, md5Hex, type CosBucket, type StoredObject } from "./store";

export interface CosDoubleOptions {
  /** Keys accepted; with `token`, x-cos-security-token must carry it (temporary credentials). */
  credentials: Tc3Credential[];
  /** Buckets that exist from the start, `name` in the long form `<name>-<appid>`. @default [] */
  buckets?: Array<{ name: string; region: string }>;
  /** @default a new, empty FaultInjector (exposed as `faults`) */
  faults?: FaultInjector;
  /** Clock in ms since the epoch, for signature windows and Last-Modified. @default Date.now */
  now?: () => number;
}

export interface CosDouble {
  port: number;
  /** "127.0.0.1:<port>": pass as the SDK's `Ip` with `Protocol: "http:"`. */
  hostPort: string;
  close(): Promise<void>;
  createBucket(name: string, region: string): void;
  putObjectDirect(bucket: string, key: string, body: Buffer | string, headers?: Record<string, string>): void;
  getObjectDirect(bucket: string, key: string): Buffer | undefined;
  /** Stored object with its ETag, Content-Type and x-cos-meta-* headers. */
  statObjectDirect(bucket: string, key: string): StoredObject | undefined;
  listKeys(bucket: string, prefix?: string): string[];
  /** In-progress multipart uploads, to assert that aborted or completed uploads are gone. */
  listUploadsDirect(bucket: string): Array<{ key: string; uploadId: string; parts: number[] }>;
  requests: CosRequestRecord[];
  faults: FaultInjector;
}

export async function startCosDouble(opts: CosDoubleOptions): Promise<CosDouble> {
  const store = new CosStore();
  const createBucket = (name: string, region: string) => {
    store.createBucket(name, region);
  };
  for (const b of opts.buckets ?? []) createBucket(b.name, b.region);
  const bucketNamed = (name: string): CosBucket => {
    const b = store.named(name);
    if (!b) throw new Error(`COS double: no bucket "${name}"`);
    return b;
  };

  const faults = opts.faults ?? new FaultInjector();
  const now = opts.now ?? Date.now;
  const requests: CosRequestRecord[] = [];
  const listening = await listenLocal(createServer(createCosListener({ credentials: opts.credentials, store, faults, now, requests })));

  return {
    ...listening,
    createBucket,
    putObjectDirect(bucket, key, body, headers = {}) {
      const data = Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(body, "utf8");
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      bucketNamed(bucket).objects.set(key, { body: data, etag: `"${md5Hex(data)}"`, contentType: contentTypeOf(lower), meta: metaHeaders(lower), lastModified: new Date(now()) });
    },
    getObjectDirect: (bucket, key) => {
      const obj = bucketNamed(bucket).objects.get(key);
      return obj ? Buffer.from(obj.body) : undefined;
    },
    statObjectDirect: (bucket, key) => bucketNamed(bucket).objects.get(key),
    listKeys: (bucket, prefix = "") => [...bucketNamed(bucket).objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys),
    listUploadsDirect: (bucket) =>
      [...bucketNamed(bucket).uploads.values()].map((u) => ({ key: u.key, uploadId: u.uploadId, parts: [...u.parts.keys()].sort((a, b) => a - b) })),
    requests,
    faults,
  };
}
