// Verifies a TC3-HMAC-SHA256 request the way signing.md V1 "Verifier" describes: rebuild the canonical request from
// the SignedHeaders the client sent, run the HMAC chain with the scope's service, then separately require that the
// scope names the service this host plays. Failures carry the API 3.0 error code the real gateway uses.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Tc3Credential } from "./types";

/** The real gateway rejects a timestamp more than five minutes from its clock (AuthFailure.SignatureExpire). */
export const TC3_MAX_SKEW_SECONDS = 300;

export interface Tc3SignedRequest {
  method: string;
  /** Request path, "/" for every SDK call. */
  path: string;
  /** Raw query string without "?", "" for POST. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Tc3VerifyOptions {
  credentials: readonly Tc3Credential[];
  /** The service the Host header names; the credential scope must name the same one. */
  service: string;
  nowMs: number;
}

export type Tc3VerifyResult =
  | { ok: true; credential: Tc3Credential; timestamp: number }
  | { ok: false; code: string; message: string };

const AUTH_RE =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();

export function tc3Signature(secretKey: string, date: string, service: string, stringToSign: string): string {
  const kDate = hmac(`TC3${secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, "tc3_request");
  return createHmac("sha256", kSigning).update(stringToSign).digest("hex");
}

function canonicalRequest(req: Tc3SignedRequest, signedHeaders: string[], host: string): string | undefined {
  let canonicalHeaders = "";
  for (const name of signedHeaders) {
    const value = name === "host" ? host : header(req.headers, name);
    if (value === undefined) return undefined;
    canonicalHeaders += `${name}:${value.trim().toLowerCase()}\n`;
  }
  return [req.method, req.path, req.query, canonicalHeaders, signedHeaders.join(";"), sha256Hex(req.body)].join("\n");
}

const fail = (code: string, message: string): Tc3VerifyResult => ({ ok: false, code, message });

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifyTc3Request(req: Tc3SignedRequest, opts: Tc3VerifyOptions): Tc3VerifyResult {
  const authorization = header(req.headers, "authorization");
  if (!authorization) return fail("AuthFailure.SignatureFailure", "Authorization header is missing");
  const m = AUTH_RE.exec(authorization);
  if (!m) {
    return fail(
      "AuthFailure.InvalidAuthorization",
      "Authorization must be `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=..., Signature=<64 hex>`",
    );
  }
  const [, secretId, scopeDate, scopeService, signedHeaderList, signature] = m;
  const credential = opts.credentials.find((c) => c.secretId === secretId);
  if (!credential) return fail("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.");

  const tsHeader = header(req.headers, "x-tc-timestamp");
  const timestamp = Number(tsHeader);
  if (!tsHeader || !Number.isInteger(timestamp)) {
    return fail("MissingParameter", "X-TC-Timestamp must be the unix time in seconds");
  }
  const skew = Math.abs(opts.nowMs / 1000 - timestamp);
  if (skew > TC3_MAX_SKEW_SECONDS) {
    return fail("AuthFailure.SignatureExpire", `Signature expired: X-TC-Timestamp ${timestamp} is ${Math.round(skew)}s from server time (max ${TC3_MAX_SKEW_SECONDS}s)`);
  }
  const tsDate = new Date(timestamp * 1000).toISOString().slice(0, 10);
  if (scopeDate !== tsDate) {
    return fail("AuthFailure.SignatureFailure", `credential scope date ${scopeDate} is not the UTC date of X-TC-Timestamp (${tsDate})`);
  }

  const signedHeaders = signedHeaderList.split(";");
  for (const required of ["content-type", "host"]) {
    if (!signedHeaders.includes(required)) return fail("AuthFailure.SignatureFailure", `SignedHeaders must include ${required} (got ${signedHeaderList})`);
  }
  const hostHeader = header(req.headers, "host") ?? "";
  // Node SDK signs URL.hostname (no port) while its Host header keeps the port: accept either form.
  const hostCandidates = [...new Set([hostHeader, hostHeader.replace(/:\d+$/, "")])];
  const scope = `${scopeDate}/${scopeService}/tc3_request`;
  const matched = hostCandidates.some((host) => {
    const canonical = canonicalRequest(req, signedHeaders, host);
    if (canonical === undefined) return false;
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
    return safeEqualHex(tc3Signature(credential.secretKey, scopeDate, scopeService, stringToSign), signature);
  });
  if (!matched) {
    return fail("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
  }
  if (scopeService !== opts.service) {
    return fail("AuthFailure.SignatureFailure", `credential scope service "${scopeService}" does not match the service of this host ("${opts.service}")`);
  }

  const token = header(req.headers, "x-tc-token");
  if ((credential.token ?? "") !== (token ?? "")) {
    return fail("AuthFailure.TokenFailure", credential.token ? "X-TC-Token is missing or does not match the temporary credential" : "X-TC-Token was sent with a permanent credential");
  }
  return { ok: true, credential, timestamp };
}
