// Proves the COS double verifies signatures like COS: the real SDK's requests (permanent and temporary keys) pass,
// and wrong keys, wrong tokens, expired key times, tampering and unsigned x-cos-* headers are refused.
import { afterEach, describe, expect, it } from "vitest";
import type { CosDouble } from "../../../emulator/cos/double";
import { BUCKET, cosClient, failureOf, rawSigned, REGION, startFixture, TEMP } from "./fixture";

let double: CosDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

const put = (c: ReturnType<typeof cosClient>, Key = "k") => c.putObject({ Bucket: BUCKET, Region: REGION, Key, Body: Buffer.from("x") });

describe("COS double signature checks", () => {
  it("accepts temporary credentials carrying the matching SecurityToken", async () => {
    const d = (double = await startFixture());
    await put(cosClient(d, { SecretId: TEMP.secretId, SecretKey: TEMP.secretKey, SecurityToken: TEMP.token }), "tmp");
    expect(d.getObjectDirect(BUCKET, "tmp")?.toString()).toBe("x");
  });

  it("rejects temporary credentials with a wrong or missing token (403 InvalidAccessKeyId)", async () => {
    const d = (double = await startFixture());
    const wrong = await failureOf(put(cosClient(d, { SecretId: TEMP.secretId, SecretKey: TEMP.secretKey, SecurityToken: "stolen" })));
    expect([wrong.statusCode, wrong.code]).toEqual([403, "InvalidAccessKeyId"]);
    const missing = await failureOf(put(cosClient(d, { SecretId: TEMP.secretId, SecretKey: TEMP.secretKey })));
    expect([missing.statusCode, missing.code]).toEqual([403, "InvalidAccessKeyId"]);
    expect(d.listKeys(BUCKET)).toEqual([]);
  });

  it("rejects a wrong SecretKey with 403 SignatureDoesNotMatch, and never retries a 4xx", async () => {
    const d = (double = await startFixture());
    const err = await failureOf(put(cosClient(d, { SecretKey: "not-the-key" })));
    expect([err.statusCode, err.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(err.headers?.["x-cos-request-id"]).toBeTruthy();
    expect(d.requests).toHaveLength(1);
  });

  it("rejects an unknown SecretId with 403 InvalidAccessKeyId", async () => {
    const d = (double = await startFixture());
    const err = await failureOf(put(cosClient(d, { SecretId: "AKIDunknown" })));
    expect([err.statusCode, err.code]).toEqual([403, "InvalidAccessKeyId"]);
  });

  it("rejects a request outside its key time with AccessDenied \"Request has expired\"", async () => {
    const d = (double = await startFixture());
    const err = await failureOf(put(cosClient(d, { CorrectClockSkew: false, SystemClockOffset: -2000 * 1000 })));
    expect([err.statusCode, err.code, err.message]).toEqual([403, "AccessDenied", "Request has expired"]);
  });

  it("serves its own clock in Date, so the SDK's clock-skew correction recovers from an expired signature", async () => {
    const d = (double = await startFixture(() => Date.now() + 3600_000));
    await put(cosClient(d), "skewed");
    expect(d.requests.map((r) => r.status)).toEqual([403, 200]);
  });

  it("accepts a raw request signed by COS.getAuthorization, and rejects it once the path is changed", async () => {
    const d = (double = await startFixture());
    const ok = await rawSigned(d, { method: "PUT", key: "raw/a.txt", body: Buffer.from("r") });
    expect(ok.status).toBe(200);
    const moved = await rawSigned(d, { method: "PUT", key: "raw/a.txt", sentPath: "/raw/b.txt", body: Buffer.from("r") });
    expect(moved.status).toBe(403);
    expect(moved.body).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(moved.body).toContain("<RequestId>");
    expect(moved.headers["x-cos-request-id"]).toBeTruthy();
    expect(d.listKeys(BUCKET)).toEqual(["raw/a.txt"]);
  });

  it("rejects an x-cos-* header added after signing, and a signature that does not cover host", async () => {
    const d = (double = await startFixture());
    const unsigned = await rawSigned(d, { method: "PUT", key: "raw/u", body: Buffer.from("u"), extraHeaders: { "x-cos-meta-sneaky": "1" } });
    expect(unsigned.status).toBe(403);
    expect(unsigned.body).toContain("<Code>AccessDenied</Code>");
    expect(unsigned.body).toContain("x-cos-meta-sneaky");
    const hostless = await rawSigned(d, { method: "PUT", key: "raw/h", body: Buffer.from("h"), signHost: false });
    expect(hostless.status).toBe(403);
    expect(hostless.body).toContain("host must be signed");
    expect(d.listKeys(BUCKET)).toEqual([]);
  });

  it("refuses anonymous requests (no Authorization) with 403 AccessDenied", async () => {
    const d = (double = await startFixture());
    d.putObjectDirect(BUCKET, "k", "private");
    const raw = await rawSigned(d, { method: "GET", key: "k", anonymous: true });
    expect(raw.status).toBe(403);
    expect(raw.body).toContain("<Code>AccessDenied</Code>");
  });
});
