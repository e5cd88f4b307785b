// COS object addresses: the public URL delivery reports and the x-cos-copy-source value (which cos-nodejs-sdk-v5
// sends verbatim, so the key must be URL-encoded here, '/' kept).
import type { CosLocation } from "./types";

export function encodeKey(key: string): string {
  return key
    .split("/")
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

/** https://<bucket>.cos.<region>.myqcloud.com/<key> */
export function objectUrl(loc: CosLocation): string {
  return `https://${loc.bucket}.cos.${loc.region}.myqcloud.com/${encodeKey(loc.key.replace(/^\/+/, ""))}`;
}

export function copySource(loc: CosLocation): string {
  return `${loc.bucket}.cos.${loc.region}.myqcloud.com/${encodeKey(loc.key.replace(/^\/+/, ""))}`;
}

export function sameObject(a: CosLocation, b: CosLocation): boolean {
  return a.bucket === b.bucket && a.region === b.region && a.key.replace(/^\/+/, "") === b.key.replace(/^\/+/, "");
}
