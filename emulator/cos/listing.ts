// Bucket-level reads: HEAD Bucket, GET Bucket (list objects) and List Multipart Uploads, with COS's paging
// (marker / max-keys, key-marker / upload-id-marker / max-uploads) and delimiter grouping.
import { ownerOf, type CosOpHandler } from "./context";
import { CosError } from "./errors";
import { compareKeys } from "./store";
import type { XmlObject } from "./xml";

const MAX_LIST = 1000;

function limit(value: string | undefined, name: string): number {
  if (value === undefined || value === "") return MAX_LIST;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CosError(400, "InvalidArgument", `${name} must be a non-negative integer (got "${value}")`);
  return Math.min(n, MAX_LIST);
}

function encoder(encodingType: string | undefined): (s: string) => string {
  if (encodingType === undefined || encodingType === "") return (s) => s;
  if (encodingType !== "url") throw new CosError(400, "InvalidArgument", `encoding-type must be url (got "${encodingType}")`);
  return (s) => encodeURIComponent(s).replace(/%2F/g, "/");
}

/** Groups keys under a delimiter into common prefixes, in key order. */
function group(keys: string[], prefix: string, delimiter: string): Array<{ key: string } | { prefix: string }> {
  const out: Array<{ key: string } | { prefix: string }> = [];
  let lastPrefix: string | undefined;
  for (const key of keys) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut < 0) {
      out.push({ key });
      continue;
    }
    const common = key.slice(0, cut + delimiter.length);
    if (common !== lastPrefix) out.push({ prefix: common });
    lastPrefix = common;
  }
  return out;
}

export const headBucket: CosOpHandler = ({ respond }) => respond.send(200, {});

export const getBucket: CosOpHandler = ({ req, bucket, respond }) => {
  const q = req.queryLower;
  const prefix = q["prefix"] ?? "";
  const delimiter = q["delimiter"] ?? "";
  const marker = q["marker"] ?? "";
  const maxKeys = limit(q["max-keys"], "max-keys");
  const enc = encoder(q["encoding-type"]);
  const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && compareKeys(k, marker) > 0).sort(compareKeys);
  // A common prefix at or before the marker was already returned on an earlier page.
  const entries = group(keys, prefix, delimiter).filter((e) => !("prefix" in e) || compareKeys(e.prefix, marker) > 0);
  const page = entries.slice(0, maxKeys);
  const truncated = entries.length > page.length;
  const last = page[page.length - 1];
  const owner = ownerOf(bucket);
  const content: XmlObject = {
    Name: bucket.name,
    EncodingType: q["encoding-type"],
    Prefix: enc(prefix),
    Marker: enc(marker),
    MaxKeys: maxKeys,
    Delimiter: delimiter ? enc(delimiter) : undefined,
    IsTruncated: truncated ? "true" : "false",
    NextMarker: truncated && last ? enc("key" in last ? last.key : last.prefix) : undefined,
    CommonPrefixes: page.flatMap((e) => ("prefix" in e ? [{ Prefix: enc(e.prefix) }] : [])),
    Contents: page.flatMap((e) => {
      if (!("key" in e)) return [];
      const obj = bucket.objects.get(e.key);
      if (!obj) return [];
      return [{ Key: enc(e.key), LastModified: obj.lastModified.toISOString(), ETag: obj.etag, Size: obj.body.length, Owner: owner, StorageClass: "STANDARD" }];
    }),
  };
  respond.xml(200, "ListBucketResult", content);
};

export const listMultipartUploads: CosOpHandler = ({ req, bucket, respond }) => {
  const q = req.queryLower;
  const prefix = q["prefix"] ?? "";
  const keyMarker = q["key-marker"] ?? "";
  const uploadIdMarker = keyMarker ? (q["upload-id-marker"] ?? "") : "";
  const maxUploads = limit(q["max-uploads"], "max-uploads");
  const enc = encoder(q["encoding-type"]);
  const all = [...bucket.uploads.values()]
    .filter((u) => u.key.startsWith(prefix))
    .filter((u) => {
      const c = compareKeys(u.key, keyMarker);
      return c > 0 || (c === 0 && uploadIdMarker !== "" && u.uploadId > uploadIdMarker);
    })
    .sort((a, b) => compareKeys(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime() || (a.uploadId < b.uploadId ? -1 : 1));
  const page = all.slice(0, maxUploads);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  const owner = ownerOf(bucket);
  respond.xml(200, "ListMultipartUploadsResult", {
    Bucket: bucket.name,
    "Encoding-Type": q["encoding-type"],
    KeyMarker: enc(keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: truncated && last ? enc(last.key) : undefined,
    NextUploadIdMarker: truncated && last ? last.uploadId : undefined,
    MaxUploads: maxUploads,
    IsTruncated: truncated ? "true" : "false",
    Prefix: enc(prefix),
    Upload: page.map((u) => ({ Key: enc(u.key), UploadId: u.uploadId, StorageClass: "STANDARD", Initiator: owner, Owner: owner, Initiated: u.initiated.toISOString() })),
  });
};
