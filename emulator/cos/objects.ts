// Single-object operations: PUT, GET (with Range), HEAD, DELETE, and PUT Object - Copy.
import type { CosOpHandler } from "./context";
import { parseCopySource } from "./copy-source";
import { CosError } from "./errors";
import { contentTypeOf, forbidsOverwrite, metaHeaders, objectHeaders } from "./object-headers";
import { parseRange } from "./range";
import { header } from "./request";
import { md5Hex, type CosBucket, type StoredObject } from "./store";
import { honoursForbidOverwrite, removeCurrent, writeVersion } from "./versioning";

function requireKey(key: string): void {
  if (key === "") throw new CosError(400, "InvalidArgument", "this operation needs an object key");
}

function existing(bucket: CosBucket, key: string): StoredObject {
  const obj = bucket.objects.get(key);
  if (!obj) throw new CosError(404, "NoSuchKey", "The specified key does not exist.");
  return obj;
}

export function refuseOverwrite(bucket: CosBucket, key: string): void {
  // Ignored on a bucket that ever had versioning (enabled or suspended): the write goes through as a new version.
  if (honoursForbidOverwrite(bucket) && bucket.objects.has(key)) throw new CosError(409, "FileAlreadyExists", "The object already exists and x-cos-forbid-overwrite is true");
}

export const putObject: CosOpHandler = ({ req, body, bucket, respond, now }) => {
  requireKey(req.key);
  if (forbidsOverwrite(req.headers)) refuseOverwrite(bucket, req.key);
  const etag = `"${md5Hex(body)}"`;
  const version = writeVersion(bucket, req.key, { body, etag, contentType: contentTypeOf(req.headers), meta: metaHeaders(req.headers), lastModified: now() });
  respond.send(200, { ETag: etag, ...version });
};

export const getObject: CosOpHandler = ({ req, bucket, respond }) => {
  requireKey(req.key);
  const obj = existing(bucket, req.key);
  const range = parseRange(header(req.headers, "range"), obj.body.length);
  if (!range) return respond.send(200, objectHeaders(obj), obj.body);
  const [first, last] = range;
  respond.send(206, { ...objectHeaders(obj), "Content-Range": `bytes ${first}-${last}/${obj.body.length}` }, obj.body.subarray(first, last + 1));
};

export const headObject: CosOpHandler = ({ req, bucket, respond }) => {
  requireKey(req.key);
  const obj = existing(bucket, req.key);
  // HEAD announces the object's length without sending it; respond.send drops the body for HEAD.
  respond.send(200, objectHeaders(obj), obj.body);
};

export const deleteObject: CosOpHandler = ({ req, bucket, respond }) => {
  requireKey(req.key);
  // Deleting a missing key is still 204, as in COS and S3.
  removeCurrent(bucket, req.key);
  respond.send(204, {});
};

export const putObjectCopy: CosOpHandler = ({ req, bucket, store, respond, now }) => {
  requireKey(req.key);
  const source = parseCopySource(header(req.headers, "x-cos-copy-source") ?? "");
  const sourceBucket = store.bucket(source.bucket, source.region);
  if (!sourceBucket) throw new CosError(404, "NoSuchBucket", `The source bucket ${source.bucket} does not exist in ${source.region}`);
  const src = existing(sourceBucket, source.key);
  if (forbidsOverwrite(req.headers)) refuseOverwrite(bucket, req.key);
  const directive = header(req.headers, "x-cos-metadata-directive") ?? "Copy";
  if (directive !== "Copy" && directive !== "Replaced") {
    throw new CosError(400, "InvalidArgument", `x-cos-metadata-directive must be Copy or Replaced (got "${directive}")`);
  }
  if (directive === "Copy" && sourceBucket === bucket && source.key === req.key) {
    throw new CosError(400, "InvalidRequest", "copying an object onto itself requires x-cos-metadata-directive: Replaced");
  }
  const replaced = directive === "Replaced";
  const copy: StoredObject = {
    body: Buffer.from(src.body),
    etag: `"${md5Hex(src.body)}"`,
    contentType: replaced ? contentTypeOf(req.headers) : src.contentType,
    meta: replaced ? metaHeaders(req.headers) : { ...src.meta },
    lastModified: now(),
  };
  const version = writeVersion(bucket, req.key, copy);
  respond.xml(200, "CopyObjectResult", { ETag: copy.etag, LastModified: copy.lastModified.toISOString() }, version);
};
