// Turns a node:http request into what COS reasons about: which bucket and region the virtual host names, the
// decoded object key, and the query. Accepts origin-form targets (SDK `Ip` option) and absolute-form targets
// (SDK `Proxy` option, a plain forward proxy).
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { CosError } from "./errors";

export interface CosRequest {
  method: string;
  /** Host header as received (the virtual host the SDK signed). */
  host: string;
  bucket: string;
  region: string;
  /** Path as sent, still percent-encoded. */
  rawPath: string;
  /** Query string as sent (no "?"), still percent-encoded: what an AWS SigV4 signature covers. */
  rawQuery: string;
  /** Decoded path: what the SDK signs. */
  path: string;
  /** Decoded object key without the leading "/"; "" for bucket-level requests. */
  key: string;
  /** Query parameters, names and values decoded, names as sent (partNumber, uploadId). */
  query: Record<string, string>;
  /** The same, names lower-cased, for lookups and for the signature. */
  queryLower: Record<string, string>;
  headers: IncomingHttpHeaders;
}

const COS_HOST = /^([a-z0-9-]+-\d+)\.cos\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)(?::\d+)?$/;

export function parseCosHost(host: string): { bucket: string; region: string } | undefined {
  const m = COS_HOST.exec(host.toLowerCase());
  return m ? { bucket: m[1], region: m[2] } : undefined;
}

function decode(s: string, what: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new CosError(400, "InvalidURI", `Couldn't parse the specified URI: bad percent-encoding in ${what}`);
  }
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

export function parseCosRequest(req: IncomingMessage): CosRequest {
  let target = req.url ?? "/";
  let host = header(req.headers, "host") ?? "";
  const absolute = /^https?:\/\/([^/?]+)(.*)$/i.exec(target);
  if (absolute) {
    if (!host) host = absolute[1];
    target = absolute[2] || "/";
  }
  const named = parseCosHost(host);
  if (!named) {
    throw new CosError(400, "InvalidURI", `Host "${host}" is not a COS virtual host <bucket>-<appid>.cos.<region>.myqcloud.com (or .tencentcos.cn)`);
  }
  const q = target.indexOf("?");
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? "" : target.slice(q + 1);
  const path = decode(rawPath, "path");
  const query: Record<string, string> = {};
  const queryLower: Record<string, string> = {};
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq < 0 ? pair : pair.slice(0, eq), "query");
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1), "query");
    query[name] = value;
    queryLower[name.toLowerCase()] = value;
  }
  return {
    method: (req.method ?? "GET").toUpperCase(),
    host,
    bucket: named.bucket,
    region: named.region,
    rawPath,
    rawQuery,
    path,
    key: path.replace(/^\//, ""),
    query,
    queryLower,
    headers: req.headers,
  };
}
