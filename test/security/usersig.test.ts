// Attack: start (or read, or stop) someone's recording with a forged UserSig. The recorder verifies UserSig itself
// (TLS-Sig v2, function/auth/usersig.ts) with the app's SDK secret key before anything is written.
import { deflateSync } from "node:zlib";
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { verifyUserSig } from "../../function/auth/usersig";
import { mintPrivateMapKey, mintUserSig } from "../../emulator/trtc/usersig-mint";
import { scriptedDeliver } from "../function/copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../function/harness";

const APP = 1400000001;
const KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const OTHER_KEY = "0000000000000000000000000000000000000000000000000000000000000000";

/** A TLS-Sig v2 token with chosen fields, signed with `key` (the reference library cannot backdate). */
function craft(fields: { id: string; app: number; time: number; expire: number }, key: string, mutate?: (doc: Record<string, unknown>) => void): string {
  const content = `TLS.identifier:${fields.id}\nTLS.sdkappid:${fields.app}\nTLS.time:${fields.time}\nTLS.expire:${fields.expire}\n`;
  const doc: Record<string, unknown> = {
    "TLS.ver": "2.0",
    "TLS.identifier": fields.id,
    "TLS.sdkappid": fields.app,
    "TLS.time": fields.time,
    "TLS.expire": fields.expire,
    "TLS.sig": createHmac("sha256", key).update(content).digest("base64"),
  };
  mutate?.(doc);
  return deflateSync(Buffer.from(JSON.stringify(doc))).toString("base64").replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
}

describe("verifyUserSig: the tls-sig-api-v2 algorithm", () => {
  const now = Date.now();
  const check = (token: string, over: Partial<{ sdkAppId: number; userId: string; key: string; nowMs: number }> = {}) =>
    verifyUserSig(token, { sdkAppId: APP, userId: "recorder_1", key: KEY, nowMs: now, ...over });

  it("accepts tokens minted by the reference library, with and without a userbuf", () => {
    expect(check(mintUserSig(APP, KEY, "recorder_1"))).toMatchObject({ ok: true });
    expect(check(mintPrivateMapKey(APP, KEY, "recorder_1", 1234))).toMatchObject({ ok: true });
  });

  it.each([
    ["signed with another key", () => mintUserSig(APP, OTHER_KEY, "recorder_1"), {}, /does not verify/],
    ["for another UserId", () => mintUserSig(APP, KEY, "victim"), {}, /another UserId/],
    ["for another SdkAppId", () => mintUserSig(1400000002, KEY, "recorder_1"), {}, /SdkAppId 1400000002, not 1400000001/],
    ["expired", () => mintUserSig(APP, KEY, "recorder_1", 60), { nowMs: now + 3_600_000 }, /expired at/],
    ["expired (backdated)", () => craft({ id: "recorder_1", app: APP, time: Math.floor(now / 1000) - 7200, expire: 3600 }, KEY), {}, /expired at/],
    ["with a lifetime altered after signing", () => craft({ id: "recorder_1", app: APP, time: Math.floor(now / 1000) - 7200, expire: 3600 }, KEY, (d) => (d["TLS.expire"] = 999_999)), {}, /does not verify/],
    ["with a non-canonical TLS.sig", () => craft({ id: "recorder_1", app: APP, time: Math.floor(now / 1000), expire: 3600 }, KEY, (d) => (d["TLS.sig"] = `${String(d["TLS.sig"])}junk`)), {}, /does not verify/],
    ["of version 1", () => craft({ id: "recorder_1", app: APP, time: Math.floor(now / 1000), expire: 3600 }, KEY, (d) => (d["TLS.ver"] = "1.0")), {}, /TLS.ver/],
    ["that is not a token", () => "x", {}, /not a TLS-Sig v2 token/],
    ["that is huge", () => "A".repeat(100_000), {}, /too long/],
  ])("refuses a UserSig %s with a specific reason", (_name, token, over, reason) => {
    const verdict = check(token(), over);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });

  it("never quotes the token or the key in its reason", () => {
    const token = mintUserSig(APP, OTHER_KEY, "recorder_1");
    const verdict = check(token);
    expect(JSON.stringify(verdict)).not.toContain(token.slice(10, 40));
    expect(JSON.stringify(verdict)).not.toContain(KEY.slice(0, 16));
  });

  it("refuses a deflate bomb without inflating it whole", () => {
    const bomb = deflateSync(Buffer.alloc(2_500_000, 0x20)).toString("base64").replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
    expect(bomb.length).toBeLessThan(4096);
    expect(check(bomb)).toMatchObject({ ok: false });
  });
});

describe("a start is authenticated before anything is written", () => {
  let h: RecorderHarness;
  afterEach(async () => h?.close());

  const createCalls = () => h.trtc.calls.filter((c) => c.action === "CreateCloudRecording");

  it("a forged UserSig for the victim's identity → FAILED with a clear message, no TRTC call, no claim, no callback", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    const forged = mintUserSig(HARNESS.sdkAppId, OTHER_KEY, "recorder_1");
    const report = await h.recorder(h.apigwPost("/record", h.recordRequest({ UserSig: forged })), { requestId: "attacker-1" });
    expect(report).toMatchObject({ recordingId: "attacker-1", status: "FAILED" });
    const record = await h.record("attacker-1");
    expect(record).toMatchObject({ status: "FAILED", failure: { message: "unauthenticated" } });
    expect(record?.errors).toEqual([expect.objectContaining({ field: "UserSig", got: expect.stringMatching(/does not verify with the SDK secret key of SdkAppId 1400000001/) })]);
    expect(createCalls()).toEqual([]);
    expect(await h.stateKeys("claims/")).toEqual([]);
    expect(await h.stateKeys("active/")).toEqual([]);
    expect(h.sink.received).toEqual([]);
  });

  it("an expired UserSig → FAILED saying when it expired", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    const expired = craft({ id: "recorder_1", app: HARNESS.sdkAppId, time: Math.floor(Date.now() / 1000) - 7200, expire: 3600 }, HARNESS.appKey);
    await h.recorder(h.apigwPost("/record", h.recordRequest({ UserSig: expired })), { requestId: "late-1" });
    expect((await h.record("late-1"))?.errors?.[0]).toMatchObject({ field: "UserSig", got: expect.stringMatching(/^UserSig expired at \d{4}-/) });
    expect(createCalls()).toEqual([]);
  });

  it("without the app's key provisioned, refuses every start and names the missing secret", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, provision: { userSigKey: false } });
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "nokey-1" });
    const record = await h.record("nokey-1");
    expect(record?.status).toBe("FAILED");
    expect(record?.errors?.[0]).toMatchObject({ field: "SdkAppId", got: expect.stringContaining("trtc-sdk-secret-key-1400000001 is not provisioned") });
    expect(createCalls()).toEqual([]);
  });

  it("function URL: 401 for a forged UserSig, 503 naming the secret without a key; nothing recorded or invoked", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, ingress: "function-url" });
    const forged = await h.recorderApi(h.apigwPost("/record", h.recordRequest({ UserSig: mintUserSig(HARNESS.sdkAppId, OTHER_KEY, "recorder_1") })), { requestId: "fu-1" });
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ error: "Unauthenticated", errors: [{ field: "UserSig" }] });
    const unknownApp = await h.recorderApi(h.apigwPost("/record", h.recordRequest({ SdkAppId: 1400000009 })), { requestId: "fu-2" });
    expect(unknownApp.statusCode).toBe(503);
    expect(unknownApp.body).toContain("trtc-sdk-secret-key-1400000009");
    expect(await h.record("fu-1")).toBeUndefined();
    expect(await h.record("fu-2")).toBeUndefined();
    expect(h.scf.queue).toEqual([]);
  });

  it("with the environment's opt-out, starts without a key but never aliases a repeat to the running recording", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, provision: { userSigKey: false }, env: { RECORDER_CALLER_CHECK: "off" } });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "open-1" });
    expect((await h.record("open-1"))?.status).toBe("RUNNING");
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "open-2" });
    const repeat = await h.record("open-2");
    expect(repeat?.sameAs).toBeUndefined();
    expect(repeat).toMatchObject({ status: "FAILED", failure: { detail: expect.stringContaining("not joined") } });
    const view = JSON.parse((await h.recorderApi(h.apigwRequest("GET", "/recordings/open-2"))).body) as Record<string, unknown>;
    expect(view.recordingId).toBe("open-2");
    expect(createCalls()).toHaveLength(1);
  });
});
