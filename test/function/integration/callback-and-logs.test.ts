// The end of a recording as the caller sees it: a signed, retried callback with the seed's result, the result kept
// next to the recording and in the status record when the callback is dead — and logs that never carry a secret.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type HarnessOptions, type RecorderHarness } from "../harness";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

async function recordOneClass(id: string, opts: Partial<HarnessOptions> = {}, cos: Record<string, unknown> = {}) {
  h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, ...opts });
  const room = h.trtc.room(HARNESS.sdkAppId, 1234);
  room.join("teacher");
  await h.recorder(h.apigwPost("/record", h.recordRequest({}, cos)), { requestId: id });
  await h.trtc.advance(10_000);
  room.leave("teacher");
  await h.trtc.advance(300_000);
  await h.settleTrtc();
  await h.recorder(h.timerEvent());
  await h.runQueued();
}

describe("the result callback", () => {
  it("POSTs the seed's result, signed with the deployment's key, with the recording id as Idempotency-Key", async () => {
    await recordOneClass("rec-cb");
    const [cb] = await h.sink.waitFor(1, 5000);
    expect(cb.headers["x-signature"]).toBe(createHmac("sha256", HARNESS.secrets.callbackSigningKey).update(cb.body).digest("hex"));
    expect(cb.headers["idempotency-key"]).toBe("rec-cb");
    const record = await h.record("rec-cb");
    expect(cb.json).toEqual(record?.result);
    expect(Object.keys(cb.json as object)).toEqual(["SdkAppId", "RoomId", "StrRoomId", "UserId", "Files"]);
    expect(record?.callback).toMatchObject({ delivered: true, attempts: 1, signed: true, lastStatus: 200 });
  });

  it("retries a failing endpoint with exponential backoff until it accepts", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.sink.setFailures(2);
    const room = h.trtc.room(HARNESS.sdkAppId, 1234);
    room.join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "rec-retry" });
    await h.trtc.advance(10_000);
    room.leave("teacher");
    await h.trtc.advance(300_000);
    await h.settleTrtc();
    await h.recorder(h.timerEvent());
    await h.runQueued();
    expect(h.sink.received.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(h.sleeps).toEqual([1000, 2000]);
    expect((await h.record("rec-retry"))?.callback).toMatchObject({ delivered: true, attempts: 3 });
  });

  it("a dead callback loses nothing: the result is in the status record and next to the recording", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    await h.sink.close();
    const room = h.trtc.room(HARNESS.sdkAppId, 1234);
    room.join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "rec-dead" });
    await h.trtc.advance(10_000);
    room.leave("teacher");
    await h.trtc.advance(300_000);
    await h.settleTrtc();
    await h.recorder(h.timerEvent());
    await h.runQueued();
    const record = await h.record("rec-dead");
    expect(record).toMatchObject({ status: "FINISHED", callback: { delivered: false, attempts: 3 } });
    const stored = h.cos.getObjectDirect(HARNESS.buckets.caller, `${record?.target?.key}.result.json`);
    expect(JSON.parse(stored?.toString() ?? "null")).toEqual(record?.result);
    expect(record?.resultObject).toEqual({ bucket: HARNESS.buckets.caller, region: HARNESS.region, key: `${record?.target?.key}.result.json` });
  });

  it("goes out unsigned, and says so, when no signing key was provisioned", async () => {
    await recordOneClass("rec-unsigned", { provision: { callbackSigningKey: false } });
    const [cb] = await h.sink.waitFor(1, 5000);
    expect(cb.headers["x-signature"]).toBeUndefined();
    expect((await h.record("rec-unsigned"))?.callback?.signed).toBe(false);
  });
});

describe("logs", () => {
  it("are JSON lines with the recording id, and never contain a UserSig, key, token or HMAC key in use", async () => {
    await recordOneClass("rec-logs", { trtcEvents: true }, { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey });
    // A refused request with secrets in it is logged too.
    await h.recorder(h.apigwPost("/record", h.recordRequest({ Mode: "x" }, { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey })), { requestId: "rec-bad" });
    expect((await h.record("rec-logs"))?.status).toBe("FINISHED");
    expect(h.logs.length).toBeGreaterThan(10);
    const parsed = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.some((l) => l.recordingId === "rec-logs" && l.msg === "recording started")).toBe(true);
    const secrets = [
      h.userSig("recorder_1"),
      HARNESS.callerKeys.secretKey,
      HARNESS.callerKeys.secretId,
      HARNESS.role.secretKey,
      HARNESS.role.token,
      HARNESS.role.secretId,
      HARNESS.stagingKeys.secretKey,
      HARNESS.secrets.callbackSigningKey,
      HARNESS.secrets.trtcEventKey,
    ];
    const all = h.logs.join("\n");
    for (const s of secrets) expect(all.includes(s), `a log line contains ${s.slice(0, 6)}…`).toBe(false);
    // UserSigs are minted per call: check the prefix that is stable for a given user and key.
    expect(all).not.toContain(h.userSig("recorder_1").slice(0, 60));
  });
});
