import { describe, expect, it } from "vitest";
import { recorderHandler } from "../../../function/entries/recorder";
import { recorderApiHandler } from "../../../function/entries/recorder-api";
import { createLogger } from "../../../function/log/logger";
import { createMasker } from "../../../function/log/mask";
import type { Recorder } from "../../../function/recording/recorder";
import type { InvocationContext } from "../../../function/recording/deps";

type Call = [string, ...unknown[]];

function fakeRecorder(over: Partial<Recorder> = {}) {
  const calls: Call[] = [];
  const recorder: Recorder = {
    start: async (id, raw, errors) => (calls.push(["start", id, raw, errors]), { recordingId: id, status: "RUNNING" }),
    accept: async (raw, id) => (calls.push(["accept", raw, id]), { outcome: "accepted", recordingId: id }),
    deliver: async (msg) => (calls.push(["deliver", msg]), { recordingId: msg.recordingId, outcome: "delivered" }),
    watchdog: async () => (calls.push(["watchdog"]), { checked: 0, described: 0, deliveriesStarted: [], rekicked: [], failed: [], errors: 0, deferred: 0, dropped: 0, throttled: 0 }),
    stop: async (id) => (calls.push(["stop", id]), { outcome: "not-found", recordingId: id }),
    status: async (id) => (calls.push(["status", id]), undefined),
    trtcEvent: async () => (calls.push(["trtcEvent"]), { statusCode: 401, body: { code: 401, message: "bad or missing Sign" } }),
    ...over,
  };
  return { recorder, calls };
}

const log = createLogger({ sink: () => {}, masker: createMasker(), now: () => 0 });
const ctx: InvocationContext = { requestId: "req-123", remainingMs: () => 900_000 };

function http(method: string, path: string, body = "", headers: Record<string, string> = {}) {
  return { httpMethod: method, path, headers, body, requestContext: { httpMethod: "ANY", path: "/x", stage: "release" }, isBase64Encoded: false };
}

describe("recorder entry", () => {
  it("starts a recording from an API Gateway POST /record with the SCF request id as recording id", async () => {
    const { recorder, calls } = fakeRecorder();
    await recorderHandler(recorder, log)(http("POST", "/release/record", '{"SdkAppId":1}'), ctx);
    expect(calls).toEqual([["start", "req-123", { SdkAppId: 1 }, undefined]]);
  });

  it("refuses a non-JSON body through the start path (so the record says why)", async () => {
    const { recorder, calls } = fakeRecorder();
    await recorderHandler(recorder, log)(http("POST", "/record", "{not json"), ctx);
    expect(calls[0][0]).toBe("start");
    expect(calls[0][3]).toEqual([{ field: "(body)", expected: expect.any(String), got: "text that is not JSON (9 bytes)" }]);
  });

  it("starts from a directly invoked seed body, runs the watchdog on a timer, and delivers on our message", async () => {
    const { recorder, calls } = fakeRecorder();
    const handler = recorderHandler(recorder, log);
    await handler({ SdkAppId: 1, RoomId: 2 }, ctx);
    await handler({ Type: "Timer", TriggerName: "watchdog", Time: "t", Message: "" }, ctx);
    await handler({ action: "deliver", recordingId: "r1", reason: "watchdog" }, ctx);
    await handler({ action: "start", recordingId: "r2", request: { a: 1 } }, ctx);
    expect(calls).toEqual([
      ["start", "req-123", { SdkAppId: 1, RoomId: 2 }, undefined],
      ["watchdog"],
      ["deliver", { action: "deliver", recordingId: "r1", reason: "watchdog" }],
      ["start", "r2", { a: 1 }, undefined],
    ]);
  });

  it("serves no other HTTP route", async () => {
    const { recorder, calls } = fakeRecorder();
    const out = await recorderHandler(recorder, log)(http("GET", "/recordings/x"), ctx);
    expect(out).toMatchObject({ error: "NotFound" });
    expect(calls).toEqual([]);
  });

  it("rethrows failures so SCF marks the invocation failed", async () => {
    const { recorder } = fakeRecorder({ watchdog: async () => Promise.reject(new Error("boom")) });
    await expect(recorderHandler(recorder, log)({ Type: "Timer" }, ctx)).rejects.toThrow("boom");
  });
});

describe("recorder-api entry", () => {
  it("answers 404 with a clear body for an unknown recording", async () => {
    const { recorder } = fakeRecorder();
    const res = await recorderApiHandler(recorder, log, "apigw")(http("GET", "/recordings/nope"), ctx);
    expect(res).toMatchObject({ isBase64Encoded: false, statusCode: 404 });
    expect(JSON.parse(res.body)).toEqual({ error: "NotFound", message: 'no recording with id "nope"', recordingId: "nope" });
  });

  it("maps stop outcomes to 202 / 409 / 502", async () => {
    const outcomes = [
      [{ outcome: "stopping", recordingId: "r", status: "RUNNING", alreadyGone: false }, 202],
      [{ outcome: "not-running", recordingId: "r", status: "FINISHED" }, 409],
      [{ outcome: "engine-error", recordingId: "r", code: "InternalError", message: "x" }, 502],
    ] as const;
    for (const [result, status] of outcomes) {
      const { recorder } = fakeRecorder({ stop: async () => result });
      expect((await recorderApiHandler(recorder, log, "apigw")(http("DELETE", "/recordings/r"), ctx)).statusCode).toBe(status);
    }
  });

  it("passes /trtc-events the raw body and headers and returns its status", async () => {
    const { recorder, calls } = fakeRecorder();
    const res = await recorderApiHandler(recorder, log, "apigw")(http("POST", "/trtc-events", "{}", { sign: "x" }), ctx);
    expect(res.statusCode).toBe(401);
    expect(calls).toEqual([["trtcEvent"]]);
  });

  it("validates and accepts POST /record only with the function-URL ingress", async () => {
    const { recorder, calls } = fakeRecorder();
    const viaApigw = await recorderApiHandler(recorder, log, "apigw")(http("POST", "/record", "{}"), ctx);
    expect(viaApigw.statusCode).toBe(404);
    const accepted = await recorderApiHandler(recorder, log, "function-url")({ rawPath: "/record", requestContext: { http: { method: "POST" } }, body: '{"a":1}', headers: {} }, ctx);
    expect(accepted.statusCode).toBe(202);
    expect(JSON.parse(accepted.body)).toEqual({ recordingId: "req-123", status: "STARTING" });
    expect(accepted.headers["x-recording-id"]).toBe("req-123");
    expect(calls).toEqual([["accept", { a: 1 }, "req-123"]]);
  });

  it("answers 400 with the field errors for an invalid function-URL start", async () => {
    const errors = [{ field: "Mode", expected: "x", got: '"9"' }];
    const { recorder } = fakeRecorder({ accept: async () => ({ outcome: "invalid", errors }) });
    const res = await recorderApiHandler(recorder, log, "function-url")(http("POST", "/record", "{}"), ctx);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: "InvalidRequest", errors });
  });

  it("turns an unexpected failure into a 500 without details", async () => {
    const { recorder } = fakeRecorder({ status: async () => Promise.reject(new Error("secret detail")) });
    const res = await recorderApiHandler(recorder, log, "apigw")(http("GET", "/recordings/x"), ctx);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("secret detail");
  });
});
