import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { jsonResponse, parseHttpEvent } from "../../../function/events/apigw";
import { classifyEvent } from "../../../function/events/inbound";
import { invocationContext } from "../../../function/events/scf-context";
import { eventIdentity, parseTrtcEvent, verifyTrtcSign } from "../../../function/events/trtc-callback";

// A real captured API Gateway event's shape (apigw.md §4).
const apigwEvent = {
  requestContext: { serviceId: "service-f94sy04v", path: "/recordings/{id}", httpMethod: "ANY", requestId: "c6af9ac6", identity: {}, sourceIp: "1.2.3.4", stage: "release" },
  headers: { host: "service-x.gz.apigw.tencentcs.com", "content-type": "application/json", "x-anonymous-consumer": "true" },
  body: '{"a":1}',
  pathParameters: {},
  queryStringParameters: {},
  headerParameters: {},
  path: "/recordings/abc",
  queryString: { foo: "bar", many: ["1", "2"], flag: true },
  httpMethod: "GET",
};

describe("HTTP trigger events", () => {
  it("reads an API Gateway event: actual method and path, lower-cased headers, query, raw body", () => {
    const r = parseHttpEvent(apigwEvent);
    expect(r).toMatchObject({ method: "GET", path: "/recordings/abc", query: { foo: "bar", many: "1", flag: "" }, via: "apigw" });
    expect(r?.headers["content-type"]).toBe("application/json");
    expect(r?.rawBody.toString()).toBe('{"a":1}');
  });

  it("decodes base64 bodies byte-exactly", () => {
    const raw = Buffer.from([0x7b, 0x7d, 0xff]);
    const r = parseHttpEvent({ ...apigwEvent, body: raw.toString("base64"), isBase64Encoded: true });
    expect(r?.rawBody.equals(raw)).toBe(true);
  });

  it("reads Tencent's function-URL event (API Gateway's shape without requestContext): {body, headers, httpMethod, path, queryString}", () => {
    const r = parseHttpEvent({ body: '{"test":"hello world"}', headers: { accept: "*/*", "content-length": "22" }, httpMethod: "POST", path: "/record", queryString: { a: "1", b: "2" } });
    expect(r).toMatchObject({ method: "POST", path: "/record", query: { a: "1", b: "2" }, via: "function-url", headers: { accept: "*/*" } });
    expect(r?.rawBody.toString()).toBe('{"test":"hello world"}');
    expect(r?.gatewaySecretId).toBeUndefined();
  });

  it("reads another cloud's function-URL event (rawPath, requestContext.http) with mixed-case headers", () => {
    const r = parseHttpEvent({ rawPath: "/record", rawQueryString: "a=1", requestContext: { http: { method: "post", path: "/record" } }, headers: { "Content-Type": "application/json", Sign: "x" }, body: "{}" });
    expect(r).toMatchObject({ method: "POST", path: "/record", query: { a: "1" }, via: "function-url", headers: { "content-type": "application/json", sign: "x" } });
  });

  it("classifies timers, our own messages, HTTP and direct request bodies", () => {
    expect(classifyEvent({ Type: "Timer", TriggerName: "watchdog", Time: "2026-01-01T00:00:00Z", Message: "" })).toMatchObject({ kind: "timer", timer: { triggerName: "watchdog" } });
    expect(classifyEvent({ action: "deliver", recordingId: "r1", lease: "t" })).toEqual({ kind: "internal", message: { action: "deliver", recordingId: "r1", lease: "t" } });
    expect(classifyEvent({ action: "start", recordingId: "r1", request: { a: 1 } })).toMatchObject({ kind: "internal", message: { action: "start" } });
    expect(classifyEvent(apigwEvent).kind).toBe("http");
    expect(classifyEvent({ SdkAppId: 1, RoomId: 2 })).toEqual({ kind: "direct", body: { SdkAppId: 1, RoomId: 2 } });
    expect(classifyEvent('{"Type":"Timer"}').kind).toBe("timer");
    expect(classifyEvent({ action: "deliver" }).kind).toBe("direct");
  });

  it("answers in the integrated response shape", () => {
    expect(jsonResponse(404, { error: "NotFound" })).toEqual({ isBase64Encoded: false, statusCode: 404, headers: { "content-type": "application/json; charset=utf-8" }, body: '{"error":"NotFound"}' });
  });
});

describe("SCF context", () => {
  it("uses request_id and getRemainingTimeInMillis", () => {
    const ctx = invocationContext({ request_id: "req-1", getRemainingTimeInMillis: () => 12_345 }, () => 0, () => "new");
    expect(ctx.requestId).toBe("req-1");
    expect(ctx.remainingMs()).toBe(12_345);
  });

  it("falls back to time_limit_in_ms minus elapsed time, and a fresh id", () => {
    let now = 1000;
    const ctx = invocationContext({ time_limit_in_ms: 30_000 }, () => now, () => "new-id");
    now += 5000;
    expect(ctx.requestId).toBe("new-id");
    expect(ctx.remainingMs()).toBe(25_000);
  });
});

describe("TRTC event callbacks", () => {
  const key = "TrtcCallbackKey0123456789";
  const body = Buffer.from(JSON.stringify({ EventGroupId: 1, EventType: 103, CallbackTs: 1, EventInfo: { RoomId: 1234, EventTs: 1700000000, EventMsTs: 1700000000123, UserId: "alice", UniqueId: 9, Role: 20 } }));
  const sign = createHmac("sha256", key).update(body).digest("base64");

  it("accepts the right Sign and refuses a wrong, missing or truncated one", () => {
    expect(verifyTrtcSign(key, body, sign)).toBe(true);
    expect(verifyTrtcSign("other-key", body, sign)).toBe(false);
    expect(verifyTrtcSign(key, body, undefined)).toBe(false);
    expect(verifyTrtcSign(key, body, sign.slice(0, 10))).toBe(false);
    expect(verifyTrtcSign(key, Buffer.concat([body, Buffer.from(" ")]), sign)).toBe(false);
  });

  it("parses room events typed like the room, and recording events by TaskId", () => {
    const e = parseTrtcEvent(body, "1400000001");
    expect(e).toMatchObject({ groupId: 1, type: 103, sdkAppId: 1400000001, room: { kind: "int", roomId: 1234 }, userId: "alice", eventMsTs: 1700000000123 });
    const rec = parseTrtcEvent(Buffer.from(JSON.stringify({ EventGroupId: 3, EventType: 302, CallbackTs: 5, EventInfo: { RoomId: "1234", EventTs: "1700000001", UserId: "rec", TaskId: "T+1", Payload: { LeaveCode: 1 } } })), undefined);
    expect(rec).toMatchObject({ groupId: 3, type: 302, taskId: "T+1", eventMsTs: 1700000001000, payload: { LeaveCode: 1 } });
    expect(parseTrtcEvent(Buffer.from("{}"), undefined)).toBeUndefined();
  });

  it("identifies retried events as the same event even when CallbackTs differs", () => {
    const a = parseTrtcEvent(body, "1");
    const b = parseTrtcEvent(Buffer.from(body.toString().replace('"CallbackTs":1', '"CallbackTs":2')), "1");
    expect(a && b && eventIdentity(a)).toBe(b && eventIdentity(b));
  });
});
