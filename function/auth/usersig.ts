// UserSig (TLS-Sig v2) verification inside the recorder, so a caller proves who it is before anything is written.
// The algorithm is tls-sig-api-v2's: the token is base64 with `+/=` swapped for `*-_` of zlib-deflated JSON
// {"TLS.ver":"2.0","TLS.identifier","TLS.sdkappid","TLS.time","TLS.expire","TLS.sig"[, "TLS.userbuf"]}; TLS.sig is
// base64(HMAC-SHA256(SDK secret key, "TLS.identifier:…\nTLS.sdkappid:…\nTLS.time:…\nTLS.expire:…\n"[+"TLS.userbuf:…\n"])).
// TLS.expire is a lifetime in seconds counted from TLS.time. Reasons never quote the token or the key.
import { createHmac, timingSafeEqual } from "node:crypto";
import { inflateSync } from "node:zlib";

export interface UserSigCheck {
  sdkAppId: number;
  userId: string;
  /** The TRTC application's SDK secret key (console "SDKSecretKey"). */
  key: string;
  /** Now, in ms since the epoch. */
  nowMs: number;
}

export type UserSigVerdict = { ok: true; expiresAtMs: number } | { ok: false; reason: string };

// A genuine UserSig is a few hundred characters; anything far larger is refused before inflating (no zip bombs).
const MAX_TOKEN_CHARS = 4096;
const MAX_DOCUMENT_BYTES = 8192;
const TOKEN_CHARS = /^[A-Za-z0-9*_-]+$/;
// Canonical base64 of a 32-byte HMAC-SHA256: 43 characters and one "=".
const SIG_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

function fail(reason: string): UserSigVerdict {
  return { ok: false, reason };
}

function decodeDocument(token: string): Record<string, unknown> | string {
  if (token.length > MAX_TOKEN_CHARS) return `UserSig is too long (${token.length} characters; a UserSig is a few hundred)`;
  if (!TOKEN_CHARS.test(token)) return "UserSig is not a TLS-Sig v2 token (unexpected characters)";
  const b64 = token.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  let text: string;
  try {
    text = inflateSync(Buffer.from(b64, "base64"), { maxOutputLength: MAX_DOCUMENT_BYTES }).toString("utf8");
  } catch {
    return "UserSig is not a TLS-Sig v2 token (not a deflated document: corrupted or truncated)";
  }
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc === "object" && doc !== null && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch {
    // fall through
  }
  return "UserSig is not a TLS-Sig v2 token (its document is not a JSON object)";
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Verifies `token` for (sdkAppId, userId) with the app's key; the first problem found is the reason. */
export function verifyUserSig(token: string, check: UserSigCheck): UserSigVerdict {
  const doc = decodeDocument(token);
  if (typeof doc === "string") return fail(doc);
  const identifier = doc["TLS.identifier"];
  const sdkAppId = doc["TLS.sdkappid"];
  const time = doc["TLS.time"];
  const expire = doc["TLS.expire"];
  const sig = doc["TLS.sig"];
  const userbuf = doc["TLS.userbuf"];
  if (doc["TLS.ver"] !== "2.0") return fail('UserSig is not a TLS-Sig v2 token (TLS.ver is not "2.0")');
  if (typeof identifier !== "string" || !isInt(sdkAppId) || !isInt(time) || !isInt(expire) || typeof sig !== "string") {
    return fail("UserSig lacks TLS.identifier, TLS.sdkappid, TLS.time, TLS.expire or TLS.sig");
  }
  if (userbuf !== undefined && typeof userbuf !== "string") return fail("UserSig has a TLS.userbuf that is not a string");
  if (sdkAppId !== check.sdkAppId) return fail(`UserSig was issued for SdkAppId ${sdkAppId}, not ${check.sdkAppId}`);
  if (identifier !== check.userId) return fail(`UserSig was issued for another UserId, not ${JSON.stringify(check.userId)}`);
  let content = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (typeof userbuf === "string") content += `TLS.userbuf:${userbuf}\n`;
  const expected = createHmac("sha256", check.key).update(content).digest();
  const given = SIG_BASE64.test(sig) ? Buffer.from(sig, "base64") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(`UserSig signature does not verify with the SDK secret key of SdkAppId ${check.sdkAppId} (forged, altered, or signed with another key)`);
  }
  const expiresAtMs = (time + expire) * 1000;
  if (check.nowMs > expiresAtMs) return fail(`UserSig expired at ${new Date(expiresAtMs).toISOString()}`);
  return { ok: true, expiresAtMs };
}
