// API Gateway key-pair authentication (auth_type SECRET), modelled on Tencent's "signature generation" doc:
// `Authorization: hmac id="<SecretId>", algorithm="hmac-sha1", headers="x-date source", signature="<base64>"`,
// signature = base64(HMAC(SecretKey, "x-date: <X-Date>\nsource: <Source>")) over the listed headers in order, and
// X-Date within 15 minutes of now. Errors carry the gateway's own messages and statuses. Keys are the local cloud's
// (usage plans and key binding are not modelled: every configured key may call every SECRET route).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface ApiKeyPair {
  secretId: string;
  secretKey: string;
}

export type AuthVerdict = { ok: true; secretId: string } | { ok: false; status: number; message: string };

const MAX_SKEW_MS = 15 * 60 * 1000;
const ALGORITHMS: Record<string, "sha1" | "sha256"> = { "hmac-sha1": "sha1", "hmac-sha256": "sha256" };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function parseAuthorization(value: string): Record<string, string> | undefined {
  const m = /^hmac\s+(.*)$/i.exec(value.trim());
  if (!m) return undefined;
  const fields: Record<string, string> = {};
  for (const part of m[1].split(/\s*,\s*/)) {
    const kv = /^([a-z]+)="([^"]*)"$/i.exec(part);
    if (!kv) return undefined;
    fields[kv[1].toLowerCase()] = kv[2];
  }
  return fields;
}

/** The signature a client sends for `headerValues` (name → value, in signing order). */
export function keyPairSignature(secretKey: string, headerValues: Array<[string, string]>, algorithm: "hmac-sha1" | "hmac-sha256" = "hmac-sha1"): string {
  const text = headerValues.map(([k, v]) => `${k.toLowerCase()}: ${v}`).join("\n");
  return createHmac(ALGORITHMS[algorithm], secretKey).update(text).digest("base64");
}

/** Headers that authenticate one request (for the printed curl examples and the tests). */
export function signedHeaders(key: ApiKeyPair, now = new Date(), source = "local-cloud"): Record<string, string> {
  const xDate = now.toUTCString();
  const signature = keyPairSignature(key.secretKey, [["x-date", xDate], ["source", source]]);
  return {
    "X-Date": xDate,
    Source: source,
    Authorization: `hmac id="${key.secretId}", algorithm="hmac-sha1", headers="x-date source", signature="${signature}"`,
  };
}

export function verifyKeyPair(headers: IncomingHttpHeaders, keys: ApiKeyPair[], nowMs: number): AuthVerdict {
  const authorization = header(headers, "authorization");
  if (!authorization) return { ok: false, status: 401, message: "HMAC signature cannot be verified, a validate authorization header is required" };
  const fields = parseAuthorization(authorization);
  if (!fields) return { ok: false, status: 403, message: "authorization headers is invalidate" };
  if (!fields.id || !fields.signature) return { ok: false, status: 403, message: "id or signature missing" };
  const algorithm = ALGORITHMS[(fields.algorithm ?? "hmac-sha1").toLowerCase()];
  if (!algorithm) return { ok: false, status: 403, message: `HMAC algorithm ${fields.algorithm} is not supported` };
  const names = (fields.headers ?? "").split(/\s+/).filter(Boolean).map((n) => n.toLowerCase());
  if (!names.includes("x-date") && !names.includes("date")) return { ok: false, status: 403, message: "HMAC signature cannot be verified, a valid date header is required" };
  const values: Array<[string, string]> = [];
  for (const name of names) {
    const v = header(headers, name);
    if (v === undefined) return { ok: false, status: 403, message: `HMAC signature cannot be verified, a valid ${name} header is required` };
    values.push([name, v]);
  }
  const dateText = header(headers, "x-date") ?? header(headers, "date") ?? "";
  const date = Date.parse(dateText);
  if (!Number.isFinite(date) || Math.abs(nowMs - date) > MAX_SKEW_MS) {
    return { ok: false, status: 403, message: "HMAC signature cannot be verified, the x-date header is out of date for hmac signature" };
  }
  const key = keys.find((k) => k.secretId === fields.id);
  if (!key) return { ok: false, status: 403, message: "HMAC id does not exist or is not bound to this API" };
  const expected = createHmac(algorithm, key.secretKey).update(values.map(([k, v]) => `${k}: ${v}`).join("\n")).digest();
  const given = Buffer.from(fields.signature, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 403, message: "HMAC signature does not match" };
  return { ok: true, secretId: key.secretId };
}
