// Attack: without keys the recorder writes with the execution role, which can reach the deployment's own buckets:
// "Bucket: <state bucket>, Path: /secrets" would put an MP3 and a result next to the runtime secrets.
import { afterEach, describe, expect, it } from "vitest";
import { checkStorageReach } from "../../function/auth/storage-reach";
import { securityFromEnv } from "../../function/auth/policy";
import { scriptedDeliver } from "../function/copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../function/harness";

let h: RecorderHarness;
afterEach(async () => h?.close());

const creates = () => h.trtc.calls.filter((c) => c.action === "CreateCloudRecording");

describe("where a recording may be delivered", () => {
  const policy = securityFromEnv({ RECORDER_STATE_BUCKET: "st-1", RECORDER_STAGING_BUCKET: "sg-1", RECORDER_RESERVED_BUCKETS: "art-1", RECORDER_ROLE_BUCKETS: "media-1, st-1" });
  const target = (bucket: string, keys = false) => ({ region: "ap-guangzhou", bucket, path: "x", ...(keys ? { secretId: "AKIDx", secretKey: "k" } : {}) });

  it("never the deployment's own buckets, whatever the allow-list or the keys", () => {
    for (const b of ["st-1", "sg-1", "art-1", "ST-1"]) {
      expect(checkStorageReach(target(b), policy)?.field).toBe("CosConfig.Bucket");
      expect(checkStorageReach(target(b, true), policy)?.field).toBe("CosConfig.Bucket");
    }
  });

  it("with the role, only allow-listed buckets; with the caller's keys, what the keys allow", () => {
    expect(checkStorageReach(target("media-1"), policy)).toBeUndefined();
    expect(checkStorageReach(target("other-1"), policy)?.expected).toContain("media-1");
    expect(checkStorageReach(target("other-1", true), policy)).toBeUndefined();
  });
});

describe("end to end", () => {
  it("refuses the state bucket's /secrets as a target with the role: FAILED, nothing started, nothing written there", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, env: { RECORDER_ROLE_BUCKETS: `${HARNESS.buckets.caller},${HARNESS.buckets.state}` } });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    const before = h.cos.listKeys(HARNESS.buckets.state, "secrets/");
    await h.recorder(h.apigwPost("/record", h.recordRequest({}, { Bucket: HARNESS.buckets.state, Path: "/secrets" })), { requestId: "reach-1" });
    const record = await h.record("reach-1");
    expect(record).toMatchObject({ status: "FAILED", errors: [expect.objectContaining({ field: "CosConfig.Bucket" })] });
    expect(creates()).toEqual([]);
    expect(h.cos.listKeys(HARNESS.buckets.state, "secrets/")).toEqual(before);
  });

  it("refuses the staging bucket even with keys, and a bucket the environment did not allow-list for the role", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    const keys = { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey };
    await h.recorder(h.apigwPost("/record", h.recordRequest({}, { Bucket: HARNESS.buckets.staging, ...keys })), { requestId: "reach-2" });
    await h.recorder(h.apigwPost("/record", h.recordRequest({}, { Bucket: "someone-else-1250000000" })), { requestId: "reach-3" });
    for (const id of ["reach-2", "reach-3"]) expect((await h.record(id))?.errors?.[0]?.field).toBe("CosConfig.Bucket");
    expect(creates()).toEqual([]);
  });

  it("still delivers with the role to an allow-listed bucket", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "reach-ok" });
    expect((await h.record("reach-ok"))?.status).toBe("RUNNING");
  });
});
