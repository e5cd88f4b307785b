// Starting a recording through the real SDKs against the doubles: what TRTC is asked, what the status record says,
// what is refused, and that a second start for the same recorder joins the first.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;

function createCalls(harness: RecorderHarness) {
  return harness.trtc.calls.filter((c) => c.action === "CreateCloudRecording").map((c) => c.params);
}

async function start(harness: RecorderHarness, body: unknown, requestId: string) {
  return harness.recorder(harness.apigwPost("/record", body), { requestId });
}

describe("start through API Gateway (async function)", () => {
  beforeEach(async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("alice");
  });
  afterEach(async () => {
    await h.close();
  });

  it.each([
    ["10", 1, 4],
    ["11", 2, 3],
    ["12", 0, 3],
  ])("Mode %s asks TRTC for a mixed recording with StreamType %i and OutputFormat %i, as the caller's robot", async (mode, streamType, outputFormat) => {
    const body = h.recordRequest({ Mode: mode });
    const report = await start(h, body, "rec-mode");
    expect(report).toMatchObject({ recordingId: "rec-mode", status: "RUNNING" });
    const [params] = createCalls(h);
    expect(params).toMatchObject({
      SdkAppId: HARNESS.sdkAppId,
      RoomId: "1234",
      RoomIdType: 1,
      UserId: "recorder_1",
      UserSig: body.UserSig,
      RecordParams: { RecordMode: 2, MaxIdleTime: 300, StreamType: streamType, OutputFormat: outputFormat },
      MixLayoutParams: { MixLayoutMode: 3 },
    });
    const task = h.trtc.tasks()[0];
    expect(task.request.robotUserId).toBe("recorder_1");
    expect(h.trtc.room(HARNESS.sdkAppId, 1234).has("recorder_1")).toBe(true);
  });

  it("addresses a string room with RoomIdType 0", async () => {
    h.trtc.room(HARNESS.sdkAppId, "class-a").join("bob");
    await start(h, h.recordRequest({ RoomId: undefined, StrRoomId: "class-a" }), "rec-str");
    expect(createCalls(h)[0]).toMatchObject({ RoomId: "class-a", RoomIdType: 0 });
    expect((await h.record("rec-str"))?.target?.key).toMatch(/^classes\/class-a_recorder_1_\d{8}T\d{6}Z\.mp3$/);
  });

  it("keeps a RUNNING status record with the task, the target and no secret", async () => {
    const body = h.recordRequest({}, { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey });
    await start(h, body, "rec-1");
    const res = await h.recorderApi(h.apigwRequest("GET", "/recordings/rec-1"));
    expect(res.statusCode).toBe(200);
    const record = JSON.parse(res.body);
    expect(record).toMatchObject({
      recordingId: "rec-1",
      status: "RUNNING",
      spec: { sdkAppId: HARNESS.sdkAppId, room: { kind: "int", roomId: 1234 }, userId: "recorder_1", mode: "10", isReserve: true, cos: { keys: "caller", path: "classes" } },
      engine: { name: "trtc-cloud-recording", taskId: h.trtc.tasks()[0].taskId },
      target: { bucket: HARNESS.buckets.caller, region: HARNESS.region },
    });
    expect(record.history.map((s: { status: string }) => s.status)).toEqual(["STARTING", "RUNNING"]);
    for (const secret of [body.UserSig as string, HARNESS.callerKeys.secretKey, HARNESS.callerKeys.secretId]) expect(res.body).not.toContain(secret);
  });

  it("with the caller's keys, TRTC writes into the caller's bucket below Path, and the keys are kept only sealed", async () => {
    await start(h, h.recordRequest({}, { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey }), "rec-keys");
    expect(createCalls(h)[0]).toMatchObject({
      StorageParams: {
        CloudStorage: { Vendor: 0, Bucket: HARNESS.buckets.caller, Region: HARNESS.region, AccessKey: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey, FileNamePrefix: ["classes", "recorder-staging", "rec-keys"] },
      },
    });
    const record = await h.record("rec-keys");
    expect(record?.staging).toMatchObject({ owner: "caller", bucket: HARNESS.buckets.caller, prefix: `classes/recorder-staging/rec-keys/${h.trtc.tasks()[0].taskId}/` });
    const sealed = h.cos.getObjectDirect(HARNESS.buckets.state, "sealed/rec-keys/cos-keys.json")?.toString() ?? "";
    expect(JSON.parse(sealed)).toMatchObject({ v: 1, alg: "AES-256-GCM" });
    const everything = h.cos.listKeys(HARNESS.buckets.state).map((k) => h.cos.getObjectDirect(HARNESS.buckets.state, k)?.toString() ?? "").join("\n");
    expect(everything).not.toContain(HARNESS.callerKeys.secretKey);
  });

  it("without the caller's keys, TRTC writes into the deployment's staging bucket with the operator's sub-account key", async () => {
    await start(h, h.recordRequest(), "rec-stage");
    expect(createCalls(h)[0]).toMatchObject({
      StorageParams: { CloudStorage: { Bucket: HARNESS.buckets.staging, AccessKey: HARNESS.stagingKeys.secretId, SecretKey: HARNESS.stagingKeys.secretKey, FileNamePrefix: ["recorder-staging", "rec-stage"] } },
    });
    expect((await h.record("rec-stage"))?.staging?.owner).toBe("deployment");
    expect(h.cos.listKeys(HARNESS.buckets.state, "sealed/")).toEqual([]);
  });

  it("answers a second start for the same recorder with the running recording's id, and starts nothing", async () => {
    await start(h, h.recordRequest(), "rec-first");
    const second = await start(h, h.recordRequest(), "rec-second");
    expect(second).toMatchObject({ recordingId: "rec-second", sameAs: "rec-first" });
    expect(createCalls(h)).toHaveLength(1);
    const res = await h.recorderApi(h.apigwRequest("GET", "/recordings/rec-second"));
    expect(JSON.parse(res.body)).toMatchObject({ recordingId: "rec-first", requestedId: "rec-second", status: "RUNNING" });
    // Another recorder UserId in the same room is another recording.
    await start(h, h.recordRequest({ UserId: "recorder_2" }), "rec-other");
    expect(createCalls(h)).toHaveLength(2);
  });

  it("lets concurrent starts for the same recorder create exactly one task", async () => {
    const reports = await Promise.all(["c-1", "c-2", "c-3"].map((id) => start(h, h.recordRequest(), id)));
    expect(createCalls(h)).toHaveLength(1);
    const winners = reports.filter((r) => (r as { sameAs?: string }).sameAs === undefined);
    expect(winners).toHaveLength(1);
  });

  it("fails the record on a wrong UserSig before calling TRTC (the recorder verifies it), and claims nothing", async () => {
    const report = await start(h, h.recordRequest({ UserSig: h.userSig("someone_else") }), "rec-badsig");
    expect(report).toMatchObject({ status: "FAILED" });
    const record = await h.record("rec-badsig");
    expect(record).toMatchObject({ status: "FAILED", stop: { reason: "invalid-request" }, failure: { message: "unauthenticated" } });
    expect(record?.errors?.[0]).toMatchObject({ field: "UserSig" });
    expect(h.trtc.calls.filter((c) => c.action === "CreateCloudRecording")).toEqual([]);
    expect(h.sink.received).toEqual([]);
    expect(await h.stateKeys("claims/")).toEqual([]);
    await start(h, h.recordRequest(), "rec-retry");
    expect((await h.record("rec-retry"))?.status).toBe("RUNNING");
  });

  it("starts from the seed's body invoked directly, under the invocation's request id", async () => {
    const report = await h.recorder(h.recordRequest(), { requestId: "direct-1" });
    expect(report).toMatchObject({ recordingId: "direct-1", status: "RUNNING" });
  });
});

describe("invalid requests", () => {
  beforeEach(async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
  });
  afterEach(async () => {
    await h.close();
  });

  const invalid: Array<[string, Record<string, unknown>, Record<string, unknown>, string]> = [
    ["a missing SdkAppId", { SdkAppId: undefined }, {}, "SdkAppId"],
    ["no room at all", { RoomId: undefined }, {}, "RoomId"],
    ["a bad StrRoomId", { RoomId: undefined, StrRoomId: "a/b" }, {}, "StrRoomId"],
    ["a UserId with spaces", { UserId: "bad user" }, {}, "UserId"],
    ["an empty UserSig", { UserSig: "" }, {}, "UserSig"],
    ["an empty Region", {}, { Region: "" }, "CosConfig.Region"],
    ["a Bucket without appid", {}, { Bucket: "media" }, "CosConfig.Bucket"],
    ["a climbing Path", {}, { Path: "/x/../../y" }, "CosConfig.Path"],
    ["half a key pair", {}, { SecretId: "AKIDonly" }, "CosConfig.SecretKey"],
    ["an unknown Mode", { Mode: "20" }, {}, "Mode"],
    ["a non-boolean IsReserve", { IsReserve: "maybe" }, {}, "IsReserve"],
  ];

  it.each(invalid)("refuses %s with a precise field error, records FAILED and starts nothing", async (_what, over, cos, field) => {
    const report = await h.recorder(h.apigwPost("/record", h.recordRequest(over, cos)), { requestId: "bad-1" });
    expect(report).toMatchObject({ recordingId: "bad-1", status: "FAILED", errors: [{ field }] });
    expect(h.trtc.calls.filter((c) => c.action === "CreateCloudRecording")).toEqual([]);
    const record = await h.record("bad-1");
    expect(record).toMatchObject({ status: "FAILED", stop: { reason: "invalid-request" }, errors: [{ field }] });
    const [cb] = await h.sink.waitFor(1, 5000);
    expect(cb.json).toMatchObject({ Files: [{ Status: 0, Message: "invalid request" }], Errors: [{ field }] });
  });

  it("says '//' is missing for the seed's sample Callback, and cannot call it back", async () => {
    const report = await h.recorder(h.apigwPost("/record", h.recordRequest({ Callback: "https:xxxxxxxx.com/post/xxx" })), { requestId: "bad-cb" });
    expect(report).toMatchObject({ status: "FAILED", errors: [{ field: "Callback", got: '"https:xxxxxxxx.com/post/xxx"' }] });
    expect((report as { errors: Array<{ expected: string }> }).errors[0].expected).toContain('"//" is missing');
    expect(h.sink.received).toEqual([]);
    const res = await h.recorderApi(h.apigwRequest("GET", "/recordings/bad-cb"));
    expect(JSON.parse(res.body)).toMatchObject({ status: "FAILED", errors: [{ field: "Callback" }] });
  });

  it("refuses a body that is not JSON without echoing it", async () => {
    const text = `{"UserSig":"${h.userSig("recorder_1")}"`;
    await h.recorder(h.apigwPost("/record", text), { requestId: "bad-json" });
    const record = await h.record("bad-json");
    expect(record?.errors).toEqual([{ field: "(body)", expected: expect.any(String), got: `text that is not JSON (${Buffer.byteLength(text)} bytes)` }]);
    expect(JSON.stringify(record)).not.toContain(h.userSig("recorder_1").slice(0, 40));
  });
});

describe("start through the function-URL ingress (sync validate, async start)", () => {
  beforeEach(async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, ingress: "function-url" });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("alice");
  });
  afterEach(async () => {
    await h.close();
  });

  // Tencent's function-URL event (https://cloud.tencent.com/document/product/583/96099): API Gateway's shape without requestContext.
  const urlPost = (body: unknown) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json" }, httpMethod: "POST", path: "/record", queryString: {} });

  it("answers 400 with the field errors and starts nothing", async () => {
    const res = await h.recorderApi(urlPost(h.recordRequest({ Mode: "99" }, { Region: "" })), { requestId: "api-1" });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: "InvalidRequest",
      errors: [
        { field: "CosConfig.Region", expected: "a COS region like ap-guangzhou", got: '""' },
        { field: "Mode", expected: expect.any(String), got: '"99"' },
      ],
    });
    expect(h.scf.accepted).toEqual([]);
    expect(await h.stateKeys("recordings/")).toEqual([]);
  });

  it("answers 202 with the recording id, then the async recorder starts it under that id", async () => {
    const res = await h.recorderApi(urlPost(h.recordRequest()), { requestId: "api-2" });
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toEqual({ recordingId: "api-2", status: "STARTING" });
    expect((await h.record("api-2"))?.status).toBe("STARTING");
    expect(h.scf.accepted).toHaveLength(1);
    expect(h.scf.accepted[0].event).toMatchObject({ action: "start", recordingId: "api-2" });
    await h.runQueued();
    expect((await h.record("api-2"))?.status).toBe("RUNNING");
    const again = await h.recorderApi(urlPost(h.recordRequest()), { requestId: "api-3" });
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ recordingId: "api-2", status: "RUNNING", duplicate: true });
  });
});

describe("CFS state store", () => {
  afterEach(async () => {
    await h.close();
  });

  it("keeps records, claims and sealed keys under CFS_PATH instead of the state bucket", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, stateStore: "cfs" });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("alice");
    await h.recorder(h.apigwPost("/record", h.recordRequest({}, { SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey })), { requestId: "cfs-1" });
    expect((await h.record("cfs-1"))?.status).toBe("RUNNING");
    expect(await h.stateKeys("sealed/")).toEqual(["sealed/cfs-1/cos-keys.json"]);
    expect(await h.stateKeys("claims/")).toHaveLength(1);
    expect(h.cos.listKeys(HARNESS.buckets.state)).toEqual([]);
    expect(h.env.CFS_PATH).toBe(h.cfsPath);
  });
});
