// A target that can never work fails within the start (no TRTC task, a clear status and callback), a DELETE always
// ends in a final state, and a failed recording never swallows a later request for the same recorder.
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

const ROOM = 7070;
const createCalls = () => h.trtc.calls.filter((c) => c.action === "CreateCloudRecording");
const CALLER = { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey };

describe("a storage target that can never work", () => {
  it.each([
    ["a bucket that does not exist (caller keys)", { ...CALLER, Bucket: "no-such-bucket-1250000000" }, /staging bucket no-such-bucket-1250000000 \(ap-guangzhou\) answered NoSuchBucket/],
    ["a region the bucket is not in (caller keys)", { ...CALLER, Region: "ap-chengdu" }, /staging bucket caller-media-1250000000 \(ap-chengdu\) answered NoSuchBucket/],
    ["keys that do not work", { SecretId: HARNESS.callerKeys.secretId, SecretKey: "wrong-secret-key-00000000000000000" }, /staging bucket caller-media-1250000000 \(ap-guangzhou\) answered (SignatureDoesNotMatch|403)/],
    ["a bucket that does not exist (role keys, deployment staging)", { Bucket: "no-such-bucket-1250000000" }, /target bucket no-such-bucket-1250000000 \(ap-guangzhou\) answered NoSuchBucket/],
  ])("%s: FAILED during the start, no TRTC task, the callback says record failed", async (_name, cos, detail) => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, env: { RECORDER_ROLE_BUCKETS: "no-such-bucket-1250000000,caller-media-1250000000" } });
    h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher");
    const report = await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM }, cos)), { requestId: "rec-doomed" });
    expect(report).toMatchObject({ status: "FAILED" });
    const record = await h.record("rec-doomed");
    expect(record).toMatchObject({ status: "FAILED", failure: { message: "record failed" }, stop: { reason: "start-failed" } });
    expect(record?.failure?.detail).toMatch(detail);
    expect(JSON.stringify(record)).not.toContain("wrong-secret-key");
    expect(createCalls()).toEqual([]);
    const [cb] = await h.sink.waitFor(1, 5000);
    expect(cb.json).toMatchObject({ Files: [{ Status: 0, Message: "record failed" }] });

    // The failed recording does not hold the recorder: a correct request starts a new recording.
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM }, CALLER)), { requestId: "rec-good" });
    expect(await h.record("rec-good")).toMatchObject({ status: "RUNNING" });
    expect((await h.record("rec-good"))?.sameAs).toBeUndefined();
  });
});

describe("a storage target that works", () => {
  it("passes the preflight with the operator's write-only staging key (it is probed by writing, never by reading)", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher");
    // The staging key may only write (docs/storage-and-secrets.md): any read of the staging bucket is refused.
    h.cos.faults.add({ match: (r) => (r.action === "GetObject" || r.action === "HeadObject") && (r.host ?? "").startsWith(HARNESS.buckets.staging), times: Infinity, fault: { kind: "status", status: 403, code: "AccessDenied" } });
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM })), { requestId: "rec-wo" });
    expect(await h.record("rec-wo")).toMatchObject({ status: "RUNNING" });
    expect(createCalls()).toHaveLength(1);
    // The probe object is gone again.
    expect(h.cos.listKeys(HARNESS.buckets.staging).filter((k) => k.includes("preflight"))).toEqual([]);
  });
});

describe("uploads TRTC can never make", () => {
  it("DELETE ends in FAILED as soon as the task is gone when COS refused TRTC's upload for good (308), and the recorder is free again", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, trtcEvents: true });
    h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher", { color: "red", toneHz: 440 });
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM, Mode: "12" })), { requestId: "rec-refused" });
    await h.trtc.advance(3_000);
    // The staging bucket starts refusing the operator's key after the start (a revoked key).
    const intoStaging = (action: string) => (r: { action?: string; host?: string }) => r.action === action && (r.host ?? "").startsWith(HARNESS.buckets.staging);
    h.cos.faults.add({ match: intoStaging("PutObject"), times: Infinity, fault: { kind: "status", status: 403, code: "AccessDenied" } });
    h.cos.faults.add({ match: intoStaging("InitiateMultipartUpload"), times: Infinity, fault: { kind: "status", status: 403, code: "AccessDenied" } });
    const del = await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-refused"));
    expect(del.statusCode).toBe(202);
    await h.settleTrtc();
    await h.runQueued();
    expect(h.trtc.events.emitted.some((e) => e.body.EventType === 308)).toBe(true);
    const record = await h.record("rec-refused");
    expect(record).toMatchObject({ status: "FAILED", failure: { message: "record failed" } });
    expect(record?.failure?.detail).toMatch(/AccessDenied \(event 308\)/);
    h.cos.faults.clear();
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM })), { requestId: "rec-next" });
    expect(await h.record("rec-next")).toMatchObject({ status: "RUNNING" });
  });

  it("a recording whose task has ended does not swallow a new request while it is still delivering", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM })), { requestId: "rec-old" });
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-old"));
    expect((await h.record("rec-old"))?.status).toBe("RUNNING");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM })), { requestId: "rec-new" });
    const fresh = await h.record("rec-new");
    expect(fresh?.sameAs).toBeUndefined();
    expect(fresh?.status).toBe("RUNNING");
  });
});
