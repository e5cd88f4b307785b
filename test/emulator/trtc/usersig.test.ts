import { deflateSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { mintPrivateMapKey, mintUserSig } from "../../../emulator/trtc/usersig-mint";
import { verifyUserSig } from "../../../emulator/trtc/usersig";

const APP = 1400000001;
const KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const now = Date.now();

function reencode(token: string, edit: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(inflateSync(Buffer.from(token.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64")).toString()) as Record<string, unknown>;
  edit(doc);
  return deflateSync(Buffer.from(JSON.stringify(doc))).toString("base64").replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
}

describe("verifyUserSig (TLSSigAPIv2)", () => {
  it("accepts a UserSig minted by tls-sig-api-v2 for the same app, user and key", () => {
    expect(verifyUserSig(mintUserSig(APP, KEY, "recorder_1"), { sdkAppId: APP, userId: "recorder_1", key: KEY, now })).toEqual({ ok: true });
  });

  it("accepts a token with a userbuf (PrivateMapKey), whose HMAC covers the extra TLS.userbuf line", () => {
    expect(verifyUserSig(mintPrivateMapKey(APP, KEY, "recorder_1", 1234), { sdkAppId: APP, userId: "recorder_1", key: KEY, now }).ok).toBe(true);
  });

  it("rejects a UserSig signed with another key", () => {
    const v = verifyUserSig(mintUserSig(APP, "another-key", "recorder_1"), { sdkAppId: APP, userId: "recorder_1", key: KEY, now });
    expect(v).toMatchObject({ ok: false, code: "InvalidParameter.UserSig" });
  });

  it("rejects a UserSig issued to another user or another app", () => {
    const sig = mintUserSig(APP, KEY, "recorder_1");
    expect(verifyUserSig(sig, { sdkAppId: APP, userId: "recorder_2", key: KEY, now })).toMatchObject({ ok: false, reason: expect.stringContaining("recorder_1") });
    expect(verifyUserSig(sig, { sdkAppId: APP + 1, userId: "recorder_1", key: KEY, now }).ok).toBe(false);
  });

  it("rejects an expired UserSig (TLS.expire is a lifetime counted from TLS.time)", () => {
    const sig = mintUserSig(APP, KEY, "recorder_1", 60);
    expect(verifyUserSig(sig, { sdkAppId: APP, userId: "recorder_1", key: KEY, now: now + 30_000 }).ok).toBe(true);
    expect(verifyUserSig(sig, { sdkAppId: APP, userId: "recorder_1", key: KEY, now: now + 120_000 })).toMatchObject({ ok: false, reason: expect.stringContaining("expired") });
  });

  it("rejects altered fields, a corrupted token and an empty one", () => {
    const sig = mintUserSig(APP, KEY, "recorder_1", 60);
    const longer = reencode(sig, (d) => (d["TLS.expire"] = 999_999));
    expect(verifyUserSig(longer, { sdkAppId: APP, userId: "recorder_1", key: KEY, now }).ok).toBe(false);
    expect(verifyUserSig(`x${sig.slice(1)}`, { sdkAppId: APP, userId: "recorder_1", key: KEY, now }).ok).toBe(false);
    expect(verifyUserSig("", { sdkAppId: APP, userId: "recorder_1", key: KEY, now }).ok).toBe(false);
  });

  it("does not depend on the JSON's key order or spacing", () => {
    const sig = mintUserSig(APP, KEY, "recorder_1");
    const reordered = reencode(sig, (d) => {
      const entries = Object.entries(d).reverse();
      for (const k of Object.keys(d)) delete d[k];
      for (const [k, v] of entries) d[k] = v;
    });
    expect(verifyUserSig(reordered, { sdkAppId: APP, userId: "recorder_1", key: KEY, now }).ok).toBe(true);
  });
});
