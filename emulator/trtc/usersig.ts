// UserSig (TLSSigAPIv2) verification, as TRTC checks the recording robot's credentials in CreateCloudRecording.
// The token is base64 (with +/= swapped for *-_) of zlib-deflated JSON; the HMAC covers a line-oriented
// rendering of the fields, not the JSON text, so key order and spacing in the JSON do not matter.
import { createHmac, timingSafeEqual } from "node:crypto";
import { inflateSync } from "node:zlib";

export interface UserSigVerifyOptions {
  sdkAppId: number;
  /** The UserId the robot claims; must equal TLS.identifier. */
  userId: string;
  /** The application's secret key (console "SDKSecretKey"). */
  key: string;
  /** Clock in milliseconds since the epoch. */
  now: number;
}

/** The real service answers every UserSig problem with this one code ("UserSig is expired or wrong"). */
export const USERSIG_ERROR_CODE = "InvalidParameter.UserSig";

export type UserSigVerdict = { ok: true } | { ok: false; code: typeof USERSIG_ERROR_CODE; reason: string };

function fail(reason: string): UserSigVerdict {
  return { ok: false, code: USERSIG_ERROR_CODE, reason };
}

function decodeDocument(userSig: string): Record<string, unknown> | string {
  const b64 = userSig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  let json: string;
  try {
    json = inflateSync(Buffer.from(b64, "base64")).toString("utf8");
  } catch {
    return "not a deflated TLS document (corrupted or truncated token)";
  }
  try {
    const doc: unknown = JSON.parse(json);
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return "TLS document is not a JSON object";
    return doc as Record<string, unknown>;
  } catch {
    return "TLS document is not JSON";
  }
}

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

export function verifyUserSig(userSig: string, opts: UserSigVerifyOptions): UserSigVerdict {
  if (typeof userSig !== "string" || userSig.length === 0) return fail("UserSig is empty");
  const doc = decodeDocument(userSig);
  if (typeof doc === "string") return fail(doc);

  const ver = doc["TLS.ver"];
  const identifier = doc["TLS.identifier"];
  const sdkAppId = doc["TLS.sdkappid"];
  const time = doc["TLS.time"];
  const expire = doc["TLS.expire"];
  const sig = doc["TLS.sig"];
  const userbuf = doc["TLS.userbuf"];
  if (ver !== "2.0") return fail(`TLS.ver must be "2.0" (got ${JSON.stringify(ver)})`);
  if (typeof identifier !== "string") return fail("TLS.identifier missing");
  if (!isInt(sdkAppId) || !isInt(time) || !isInt(expire)) return fail("TLS.sdkappid/TLS.time/TLS.expire must be integers");
  if (typeof sig !== "string") return fail("TLS.sig missing");
  if (userbuf !== undefined && typeof userbuf !== "string") return fail("TLS.userbuf must be a string");
  if (identifier !== opts.userId) return fail(`UserSig was issued for UserId "${identifier}", not "${opts.userId}"`);
  if (sdkAppId !== opts.sdkAppId) return fail(`UserSig was issued for SdkAppId ${sdkAppId}, not ${opts.sdkAppId}`);

  let content = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (typeof userbuf === "string") content += `TLS.userbuf:${userbuf}\n`;
  const expected = createHmac("sha256", opts.key).update(content).digest();
  const given = Buffer.from(sig, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail("signature does not match (signed with another key, or fields altered)");
  }
  // TLS.expire is a lifetime in seconds counted from TLS.time, not an absolute instant.
  const nowSeconds = Math.floor(opts.now / 1000);
  if (nowSeconds > time + expire) return fail(`UserSig expired at ${new Date((time + expire) * 1000).toISOString()}`);
  return { ok: true };
}
