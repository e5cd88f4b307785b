// startCosDouble: the COS double on its own port, plus direct (unsigned) access to its contents so tests can seed
// inputs and inspect outputs without going through the SDK.
import { createServer } from "node:http";
import { FaultInjector } from "../faults";
import { listenLocal } from "../tc3/listen";
import type { Tc3Credential } from "../tc3/types";
import { contentTypeOf, metaHeaders } from "./object-headers";
import { setVersioning } from "./versioning";
import { persistBuckets } from "./bucket-state";
import { createCosListener, type CosRequestRecord } from "./server";
import { compareKeys, CosStore, md5Hex, type CosBucket, type StoredObject } from "./store";

export interface CosDoubleOptions {
  /** Keys accepted; with `token`, x-cos-security-token must carry it (temporary credentials). */
  credentials: Tc3Credential[];
  /** Buckets that exist from the start, `name` in the long form `<name>-<appid>`. @default [] */
  buckets?: Array<{ name: string; region: string; versioning?: "Enabled" | "Suspended" }>;
  /** @default a new, empty FaultInjector (exposed as `faults`) */
  faults?: FaultInjector;
  /** Clock in ms since the epoch, for signature windows and Last-Modified. @default Date.now */
  now?: () => number;
  /** Keeps buckets and their configuration in `<stateDir>/cos-buckets.json` across restarts. @default memory only */
  stateDir?: string;
  /** The account's APPID: PUT Bucket refuses names ending in another one. @default any APPID */
  appId?: string;
}

export interface CosDouble {
  port: number;
  /** "127.0.0.1:<port>": pass as the SDK's `Ip` with `Protocol: "http:"`. */
  hostPort: string;
  close(): Promise<void>;
  createBucket(name: string, region: string, versioning?: "Enabled" | "Suspended"): void;
  /** Every stored version of `key`, oldest first, the current one last (absent after a delete). */
  versionsDirect(bucket: string, key: string): Buffer[];
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
  const persisted = persistBuckets(store, opts.stateDir);
  const createBucket = (name: string, region: string, versioning?: "Enabled" | "Suspended") => {
    const bucket = store.createBucket(name, region);
    if (versioning) setVersioning(bucket, versioning);
  };
  for (const b of opts.buckets ?? []) createBucket(b.name, b.region, b.versioning);
  const bucketNamed = (name: string): CosBucket => {
    const b = store.named(name);
    if (!b) throw new Error(`COS double: no bucket "${name}"`);
    return b;
  };

  const faults = opts.faults ?? new FaultInjector();
  const now = opts.now ?? Date.now;
  const requests: CosRequestRecord[] = [];
  const listening = await listenLocal(createServer(createCosListener({ credentials: opts.credentials, store, faults, now, requests, appId: opts.appId, onBucketChange: () => persisted.save() })));

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
    versionsDirect(bucket, key) {
      const b = bucketNamed(bucket);
      const current = b.objects.get(key);
      return [...(b.noncurrent.get(key) ?? []), ...(current ? [current] : [])].map((o) => Buffer.from(o.body));
    },
    statObjectDirect: (bucket, key) => bucketNamed(bucket).objects.get(key),
    listKeys: (bucket, prefix = "") => [...bucketNamed(bucket).objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys),
    listUploadsDirect: (bucket) =>
      [...bucketNamed(bucket).uploads.values()].map((u) => ({ key: u.key, uploadId: u.uploadId, parts: [...u.parts.keys()].sort((a, b) => a - b) })),
    requests,
    faults,
  };
}
