// Verifies the COS XML API signature (q-sign-algorithm=sha1) as signing.md V2 "COS verifier" describes, plus the
// policy checks a real bucket would enforce on these SDK requests: host signed, every x-cos-* header signed except
// the security token (which cos-nodejs-sdk-v5 3.0.0 adds after signing), token matching the temporary key, and
// the key time window containing now.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Tc3Credential } from "../tc3/types";
import { CosError } from "./errors";
import { header, type CosRequest } from "./request";

/** URL-encode as the SDK does: encodeURIComponent plus !'()* (RFC 3986 unreserved only). */
export function cosEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseAuthorization(value: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of value.split("&")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return fields;
}

function parseWindow(value: string | undefined, name: string): [number, number] {
  const m = /^(\d+);(\d+)$/.exec(value ?? "");
  if (!m) throw new CosError(403, "AccessDenied", `${name} must be "<start>;<end>" in unix seconds (got "${value ?? ""}")`);
  return [Number(m[1]), Number(m[2])];
}

function list(value: string | undefined): string[] {
  return value ? value.split(";").filter((s) => s !== "") : [];
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Returns the credential that signed the request, or throws the CosError the real service would answer. */
export function verifyCosSignature(req: CosRequest, credentials: readonly Tc3Credential[], nowSeconds: number): Tc3Credential {
  const authorization = header(req.headers, "authorization");
  if (!authorization) throw new CosError(403, "AccessDenied", "Access Denied. (no Authorization header: anonymous access to a private bucket)");
  const f = parseAuthorization(authorization);
  if (f.get("q-sign-algorithm") !== "sha1") throw new CosError(403, "AccessDenied", `q-sign-algorithm must be sha1 (got "${f.get("q-sign-algorithm") ?? ""}")`);
  const credential = credentials.find((c) => c.secretId === f.get("q-ak"));
  if (!credential) throw new CosError(403, "InvalidAccessKeyId", "The Access Key Id you provided does not exist in our records");

  const signTime = f.get("q-sign-time") ?? "";
  const keyTime = f.get("q-key-time") ?? "";
  for (const [name, value] of [["q-sign-time", signTime], ["q-key-time", keyTime]] as const) {
    const [start, end] = parseWindow(value, name);
    // The SDK classifies exactly this message as a clock problem (and may correct its skew and retry).
    if (nowSeconds < start || nowSeconds > end) throw new CosError(403, "AccessDenied", "Request has expired");
  }

  const headerList = list(f.get("q-header-list"));
  const paramList = list(f.get("q-url-param-list"));
  if (!headerList.includes("host")) throw new CosError(403, "AccessDenied", "host must be signed (q-header-list lacks host)");
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith("x-cos-") && name !== "x-cos-security-token" && !headerList.includes(name)) {
      throw new CosError(403, "AccessDenied", `header ${name} is not signed (q-header-list: ${headerList.join(";")})`);
    }
  }

  const headerPairs: string[] = [];
  for (const name of headerList) {
    const value = header(req.headers, decodeURIComponent(name));
    if (value === undefined) throw new CosError(403, "SignatureDoesNotMatch", `signed header ${name} is not in the request`);
    headerPairs.push(`${name}=${cosEncode(value)}`);
  }
  const paramPairs: string[] = [];
  for (const name of paramList) {
    const value = req.queryLower[decodeURIComponent(name)];
    if (value === undefined) throw new CosError(403, "SignatureDoesNotMatch", `signed parameter ${name} is not in the request`);
    paramPairs.push(`${name}=${cosEncode(value)}`);
  }
  const httpString = `${req.method.toLowerCase()}\n${req.path}\n${paramPairs.join("&")}\n${headerPairs.join("&")}\n`;
  const stringToSign = `sha1\n${signTime}\n${createHash("sha1").update(httpString, "utf8").digest("hex")}\n`;
  const signKey = createHmac("sha1", credential.secretKey).update(keyTime).digest("hex");
  const expected = createHmac("sha1", signKey).update(stringToSign).digest("hex");
  if (!safeEqual(expected, f.get("q-signature") ?? "")) {
    throw new CosError(403, "SignatureDoesNotMatch", "The Signature you specified does not match what we calculated");
  }

  const token = header(req.headers, "x-cos-security-token");
  if ((credential.token ?? "") !== (token ?? "")) {
    throw new CosError(
      403,
      "InvalidAccessKeyId",
      credential.token ? "x-cos-security-token is missing or does not match the temporary SecretId" : "x-cos-security-token was sent with a permanent SecretId",
    );
  }
  return credential;
}
