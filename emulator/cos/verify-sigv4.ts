// COS also accepts AWS Signature Version 4 (its S3-compatible API). The real Terraform provider depends on it: v1.83.25
// creates, deletes and configures buckets through aws-sdk-go's S3 client (tencentcloud/connectivity/client.go
// UseCosClient; services/cos/service_tencentcloud_cos.go PutBucket, DeleteBucket, Get/PutBucketVersioning, lifecycle,
// tagging, ...), which signs AWS4-HMAC-SHA256 with service "s3". This verifier follows the AWS SigV4 specification
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Tc3Credential } from "../tc3/types";
import { CosError } from "./errors";
import { header, type CosRequest } from "./request";
import { verifyCosSignature } from "./verify-signature";

/** AWS rejects a request whose x-amz-date is more than 15 minutes from its clock. */
const MAX_SKEW_SECONDS = 15 * 60;
const UNSIGNED = "UNSIGNED-PAYLOAD";

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
function awsEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function canonicalQuery(rawQuery: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, "%20"));
    const value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, "%20"));
    pairs.push([awsEncode(name), awsEncode(value)]);
  }
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/** "20261207T063000Z" -> seconds since the epoch. */
function amzDateSeconds(amzDate: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 : undefined;
}

export function isSigV4(req: CosRequest): boolean {
  return (header(req.headers, "authorization") ?? "").startsWith("AWS4-HMAC-SHA256 ");
}

/** Returns the credential that signed the request, or throws the error S3-compatible COS answers. */
export function verifySigV4(req: CosRequest, body: Buffer, credentials: readonly Tc3Credential[], nowSeconds: number): Tc3Credential {
  const authorization = header(req.headers, "authorization") ?? "";
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!m) throw new CosError(400, "AuthorizationHeaderMalformed", "The authorization header is malformed: expected AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/s3/aws4_request, SignedHeaders=..., Signature=<64 hex>");
  const [, accessKey, date, region, service, signedHeaderList, signature] = m;
  const credential = credentials.find((c) => c.secretId === accessKey);
  if (!credential) throw new CosError(403, "InvalidAccessKeyId", "The Access Key Id you provided does not exist in our records");
  if (service !== "s3") throw new CosError(400, "AuthorizationHeaderMalformed", `the credential scope's service must be s3 (got ${service})`);
  if (region !== req.region) throw new CosError(400, "AuthorizationHeaderMalformed", `the credential scope's region ${region} is wrong; this bucket's region is ${req.region}`);

  const amzDate = header(req.headers, "x-amz-date") ?? "";
  const signedAt = amzDateSeconds(amzDate);
  if (signedAt === undefined || amzDate.slice(0, 8) !== date) throw new CosError(403, "AccessDenied", `x-amz-date must be <yyyymmdd>T<hhmmss>Z and match the credential date ${date} (got "${amzDate}")`);
  if (Math.abs(nowSeconds - signedAt) > MAX_SKEW_SECONDS) throw new CosError(403, "RequestTimeTooSkewed", "The difference between the request time and the server's time is too large");

  const signedHeaders = signedHeaderList.split(";");
  if (!signedHeaders.includes("host")) throw new CosError(403, "AccessDenied", "host must be signed (SignedHeaders lacks host)");
  const payloadHash = header(req.headers, "x-amz-content-sha256");
  if (payloadHash === undefined) throw new CosError(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  if (payloadHash !== UNSIGNED && payloadHash !== sha256Hex(body)) {
    throw new CosError(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = header(req.headers, name);
      if (value === undefined) throw new CosError(403, "SignatureDoesNotMatch", `signed header ${name} is not in the request`);
      return `${name}:${value.trim().replace(/\s+/g, " ")}\n`;
    })
    .join("");
  const canonicalRequest = [req.method, req.rawPath || "/", canonicalQuery(req.rawQuery), canonicalHeaders, signedHeaderList, payloadHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${credential.secretKey}`, date), region), service), "aws4_request");
  const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw new CosError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
  }

  const token = header(req.headers, "x-amz-security-token") ?? header(req.headers, "x-cos-security-token");
  if ((credential.token ?? "") !== (token ?? "")) {
    throw new CosError(403, "InvalidAccessKeyId", credential.token ? "x-amz-security-token is missing or does not match the temporary key" : "a security token was sent with a permanent key");
  }
  return credential;
}

/** Either scheme COS accepts: its own q-sign (cos-nodejs-sdk-v5, cos-go-sdk-v5) or AWS SigV4 (aws-sdk-go's S3 client). */
export function verifyAnyCosSignature(req: CosRequest, body: Buffer, credentials: readonly Tc3Credential[], nowSeconds: number): Tc3Credential {
  return isSigV4(req) ? verifySigV4(req, body, credentials, nowSeconds) : verifyCosSignature(req, credentials, nowSeconds);
}
