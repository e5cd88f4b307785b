// Multipart upload: initiate, UploadPart, UploadPartCopy, ListParts, Complete, Abort. COS limits enforced here:
// part numbers 1..10000, every part but the last at least 1 MiB, parts listed in ascending order with the ETags
// the service returned; the final ETag is "<md5 of the concatenated binary part MD5s>-<part count>".
import { randomBytes } from "node:crypto";
import { ownerOf, type CosOpHandler, type CosOpContext } from "./context";
import { parseCopyRange, parseCopySource } from "./copy-source";
import { CosError } from "./errors";
import { contentTypeOf, forbidsOverwrite, metaHeaders } from "./object-headers";
import { refuseOverwrite } from "./objects";
import { header } from "./request";
import { md5Hex, type MultipartUpload } from "./store";
import { writeVersion } from "./versioning";
import { parseXmlBody } from "./xml";

export const MIN_PART_BYTES = 1024 * 1024;
const MAX_PART_NUMBER = 10000;

function upload(ctx: CosOpContext): MultipartUpload {
  const uploadId = ctx.req.queryLower["uploadid"] ?? "";
  const found = ctx.bucket.uploads.get(uploadId);
  if (!found || found.key !== ctx.req.key) {
    throw new CosError(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
  }
  return found;
}

function partNumber(ctx: CosOpContext): number {
  const raw = ctx.req.queryLower["partnumber"] ?? "";
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PART_NUMBER) {
    throw new CosError(400, "InvalidArgument", `partNumber must be an integer 1..${MAX_PART_NUMBER} (got "${raw}")`);
  }
  return n;
}

const unquote = (etag: string): string => etag.replace(/^"|"$/g, "");

export const initiateMultipartUpload: CosOpHandler = ({ req, bucket, respond, now }) => {
  if (req.key === "") throw new CosError(400, "InvalidArgument", "initiating a multipart upload needs an object key");
  const initiated = now();
  const uploadId = `${Math.floor(initiated.getTime() / 1000)}${randomBytes(32).toString("hex")}`;
  bucket.uploads.set(uploadId, {
    uploadId,
    key: req.key,
    initiated,
    contentType: contentTypeOf(req.headers),
    meta: metaHeaders(req.headers),
    forbidOverwrite: forbidsOverwrite(req.headers),
    parts: new Map(),
  });
  respond.xml(200, "InitiateMultipartUploadResult", { Bucket: bucket.name, Key: req.key, UploadId: uploadId });
};

export const uploadPart: CosOpHandler = (ctx) => {
  const n = partNumber(ctx);
  const target = upload(ctx);
  const etag = `"${md5Hex(ctx.body)}"`;
  target.parts.set(n, { body: ctx.body, etag, lastModified: ctx.now() });
  ctx.respond.send(200, { ETag: etag });
};

export const uploadPartCopy: CosOpHandler = (ctx) => {
  const n = partNumber(ctx);
  const target = upload(ctx);
  const source = parseCopySource(header(ctx.req.headers, "x-cos-copy-source") ?? "");
  const sourceBucket = ctx.store.bucket(source.bucket, source.region);
  if (!sourceBucket) throw new CosError(404, "NoSuchBucket", `The source bucket ${source.bucket} does not exist in ${source.region}`);
  const src = sourceBucket.objects.get(source.key);
  if (!src) throw new CosError(404, "NoSuchKey", "The specified source key does not exist.");
  const rangeHeader = header(ctx.req.headers, "x-cos-copy-source-range");
  const [first, last] = rangeHeader === undefined ? [0, src.body.length - 1] : parseCopyRange(rangeHeader, src.body.length);
  const body = Buffer.from(src.body.subarray(first, last + 1));
  const part = { body, etag: `"${md5Hex(body)}"`, lastModified: ctx.now() };
  target.parts.set(n, part);
  ctx.respond.xml(200, "CopyPartResult", { ETag: part.etag, LastModified: part.lastModified.toISOString() });
};

export const listParts: CosOpHandler = (ctx) => {
  const target = upload(ctx);
  const q = ctx.req.queryLower;
  const marker = Number(q["part-number-marker"] ?? "0") || 0;
  const maxParts = Math.min(Number(q["max-parts"] ?? "1000") || 1000, 1000);
  const numbers = [...target.parts.keys()].filter((p) => p > marker).sort((a, b) => a - b);
  const page = numbers.slice(0, maxParts);
  const truncated = numbers.length > page.length;
  const owner = ownerOf(ctx.bucket);
  ctx.respond.xml(200, "ListPartsResult", {
    Bucket: ctx.bucket.name,
    "Encoding-type": q["encoding-type"],
    Key: target.key,
    UploadId: target.uploadId,
    Initiator: owner,
    Owner: owner,
    StorageClass: "STANDARD",
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1] : marker,
    MaxParts: maxParts,
    IsTruncated: truncated ? "true" : "false",
    Part: page.map((p) => {
      const part = target.parts.get(p);
      return { PartNumber: p, LastModified: part?.lastModified.toISOString(), ETag: part?.etag, Size: part?.body.length };
    }),
  });
};

interface CompletePart {
  partNumber: number;
  etag: string;
}

function completeParts(body: Buffer): CompletePart[] {
  const doc = parseXmlBody(body, ["Part"]);
  const root = doc["CompleteMultipartUpload"];
  const parts = typeof root === "object" && root !== null ? (root as Record<string, unknown>)["Part"] : undefined;
  if (!Array.isArray(parts) || parts.length === 0) throw new CosError(400, "MalformedXML", "CompleteMultipartUpload must list at least one <Part>");
  return parts.map((p: unknown) => {
    const rec = (typeof p === "object" && p !== null ? p : {}) as Record<string, unknown>;
    const num = Number(rec["PartNumber"]);
    if (!Number.isInteger(num) || typeof rec["ETag"] !== "string") {
      throw new CosError(400, "MalformedXML", "every <Part> needs an integer <PartNumber> and an <ETag>");
    }
    return { partNumber: num, etag: rec["ETag"] };
  });
}

export const completeMultipartUpload: CosOpHandler = (ctx) => {
  const target = upload(ctx);
  const listed = completeParts(ctx.body);
  listed.forEach((p, i) => {
    if (i > 0 && p.partNumber <= listed[i - 1].partNumber) {
      throw new CosError(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
    }
  });
  const parts = listed.map((p) => {
    const stored = target.parts.get(p.partNumber);
    if (!stored || unquote(stored.etag) !== unquote(p.etag)) {
      throw new CosError(400, "InvalidPart", `One or more of the specified parts could not be found or the ETag did not match (part ${p.partNumber})`);
    }
    return stored;
  });
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.body.length < MIN_PART_BYTES) {
      throw new CosError(400, "EntityTooSmall", `Your proposed upload is smaller than the minimum allowed object size: part ${listed[i].partNumber} is ${part.body.length} bytes, parts but the last must be >= ${MIN_PART_BYTES}`);
    }
  });
  if (target.forbidOverwrite || forbidsOverwrite(ctx.req.headers)) refuseOverwrite(ctx.bucket, target.key);

  const md5s = Buffer.concat(parts.map((p) => Buffer.from(unquote(p.etag), "hex")));
  const etag = `"${md5Hex(md5s)}-${parts.length}"`;
  const version = writeVersion(ctx.bucket, target.key, {
    body: Buffer.concat(parts.map((p) => p.body)),
    etag,
    contentType: target.contentType,
    meta: target.meta,
    lastModified: ctx.now(),
  });
  ctx.bucket.uploads.delete(target.uploadId);
  ctx.respond.xml(200, "CompleteMultipartUploadResult", {
    Location: `${ctx.bucket.name}.cos.${ctx.bucket.region}.myqcloud.com/${target.key}`,
    Bucket: ctx.bucket.name,
    Key: target.key,
    ETag: etag,
  }, version);
};

export const abortMultipartUpload: CosOpHandler = (ctx) => {
  const target = upload(ctx);
  ctx.bucket.uploads.delete(target.uploadId);
  ctx.respond.send(204, {});
};
