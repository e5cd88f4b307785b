// Request/response header rules shared by the object operations: stored metadata, Content-MD5, and the
// headers COS returns for an object.
import type { IncomingHttpHeaders } from "node:http";
import { CosError } from "./errors";
import { header } from "./request";
import { md5Hex, type StoredObject } from "./store";

/** x-cos-meta-* headers, which COS stores with the object and returns on GET/HEAD. */
export function metaHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (name.startsWith("x-cos-meta-")) meta[name] = header(headers, name) ?? "";
  }
  return meta;
}

/** Content-Type as stored: the SDK sends an empty one when it has none, which COS treats as absent. */
export function contentTypeOf(headers: IncomingHttpHeaders): string {
  return header(headers, "content-type") || "application/octet-stream";
}

/** COS checks Content-MD5 whenever a request carries one: 400 InvalidDigest if malformed, BadDigest if different. */
export function checkContentMd5(headers: IncomingHttpHeaders, body: Buffer): void {
  const given = header(headers, "content-md5");
  if (given === undefined) return;
  const decoded = Buffer.from(given, "base64");
  if (decoded.length !== 16 || decoded.toString("base64") !== given) {
    throw new CosError(400, "InvalidDigest", `The Content-MD5 you specified is not valid (got "${given}")`);
  }
  if (decoded.toString("hex") !== md5Hex(body)) {
    throw new CosError(400, "BadDigest", "The Content-MD5 you specified did not match what we received");
  }
}

export function forbidsOverwrite(headers: IncomingHttpHeaders): boolean {
  return (header(headers, "x-cos-forbid-overwrite") ?? "").toLowerCase() === "true";
}

export function objectHeaders(obj: StoredObject): Record<string, string> {
  return {
    "Content-Type": obj.contentType,
    ETag: obj.etag,
    "Last-Modified": obj.lastModified.toUTCString(),
    "Accept-Ranges": "bytes",
    ...obj.meta,
  };
}
