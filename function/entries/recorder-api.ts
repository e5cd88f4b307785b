// `index.recorderApi` — the sync function: GET/DELETE /recordings/{id}, POST /trtc-events and, with the function-URL
// ingress, a validate-then-start POST /record. Answers are integrated responses (statusCode/headers/body).
import { decodeJsonBody, MAX_RECORD_BODY_BYTES } from "../contract/request";
import { jsonResponse, type HttpRequest, type HttpResponse } from "../events/apigw";
import { classifyEvent } from "../events/inbound";
import type { Logger } from "../log/logger";
import type { InvocationContext } from "../recording/deps";
import type { Recorder } from "../recording/recorder";
import type { StopResult } from "../recording/stop";
import { authenticateClient, type ClientAuth } from "./client-auth";

export type Ingress = "apigw" | "function-url";
export type RecorderApiHandler = (event: unknown, ctx: InvocationContext) => Promise<HttpResponse>;

function notFound(recordingId: string): HttpResponse {
  return jsonResponse(404, { error: "NotFound", message: `no recording with id ${JSON.stringify(recordingId)}`, recordingId });
}

function stopResponse(r: StopResult): HttpResponse {
  switch (r.outcome) {
    case "stopping":
      return jsonResponse(202, { recordingId: r.recordingId, status: r.status, stopRequested: true }, { "x-recording-id": r.recordingId });
    case "not-found":
      return notFound(r.recordingId);
    case "not-running":
      return jsonResponse(409, { error: "NotRunning", message: `recording is ${r.status}; only a RUNNING recording can be stopped`, recordingId: r.recordingId, status: r.status });
    case "engine-error":
      return jsonResponse(502, { error: "EngineError", message: `DeleteCloudRecording failed: ${r.code}: ${r.message}`, recordingId: r.recordingId });
  }
}

async function startResponse(recorder: Recorder, req: HttpRequest, ctx: InvocationContext, client: string | undefined): Promise<HttpResponse> {
  const body = decodeJsonBody(req.rawBody);
  if (!body.ok) return jsonResponse(req.rawBody.length > MAX_RECORD_BODY_BYTES ? 413 : 400, { error: "InvalidRequest", errors: [body.error] });
  const r = await recorder.accept(body.value, ctx.requestId, client);
  switch (r.outcome) {
    case "invalid":
      return jsonResponse(400, { error: "InvalidRequest", errors: r.errors });
    case "unauthenticated":
      return r.kind === "forged"
        ? jsonResponse(401, { error: "Unauthenticated", message: "the UserSig does not prove UserId for SdkAppId", errors: r.errors })
        : jsonResponse(503, { error: "UserSigKeyNotProvisioned", message: "this deployment cannot verify UserSigs for this SdkAppId", errors: r.errors });
    case "conflict":
      return jsonResponse(409, { error: "AlreadyRecording", message: r.message });
    case "accepted":
      return jsonResponse(202, { recordingId: r.recordingId, status: "STARTING" }, { "x-recording-id": r.recordingId });
    case "duplicate":
      return jsonResponse(200, { recordingId: r.recordingId, status: "RUNNING", duplicate: true }, { "x-recording-id": r.recordingId });
    case "failed":
      return jsonResponse(502, { error: "StartFailed", message: r.detail, recordingId: r.recordingId });
    case "throttled":
      return jsonResponse(
        429,
        { error: "RequestLimitExceeded", message: `TRTC's CreateCloudRecording limit (20 requests/s) is turning starts away; nothing was started; try again after ${r.retryAfterSeconds} s`, retryAfterSeconds: r.retryAfterSeconds },
        { "retry-after": String(r.retryAfterSeconds) },
      );
  }
}

async function route(recorder: Recorder, ingress: Ingress, req: HttpRequest, ctx: InvocationContext, auth?: ClientAuth): Promise<HttpResponse> {
  // TRTC authenticates with its Sign header; every other route is a client route.
  let client: string | undefined;
  if (!/(^|\/)trtc-events\/?$/.test(req.path)) {
    const outcome = await authenticateClient(auth, req);
    if ("refused" in outcome) return outcome.refused;
    client = outcome.client;
  }
  const recording = /\/recordings\/([^/]+)\/?$/.exec(req.path);
  if (recording) {
    const id = decodeURIComponent(recording[1]);
    if (req.method === "GET") {
      const view = await recorder.status(id, { client });
      return view ? jsonResponse(200, view) : notFound(id);
    }
    if (req.method === "DELETE") return stopResponse(await recorder.stop(id, { client }));
    return jsonResponse(405, { error: "MethodNotAllowed", message: "use GET or DELETE on /recordings/{id}" }, { allow: "GET, DELETE" });
  }
  if (/(^|\/)trtc-events\/?$/.test(req.path)) {
    if (req.method !== "POST") return jsonResponse(405, { error: "MethodNotAllowed", message: "TRTC events are POSTed" }, { allow: "POST" });
    const reply = await recorder.trtcEvent(req.rawBody, req.headers);
    return jsonResponse(reply.statusCode, reply.body);
  }
  if (/(^|\/)record\/?$/.test(req.path)) {
    if (ingress !== "function-url") {
      return jsonResponse(404, { error: "NotFound", message: "POST /record is served by the async recorder function through API Gateway" });
    }
    if (req.method !== "POST") return jsonResponse(405, { error: "MethodNotAllowed", message: "POST /record" }, { allow: "POST" });
    return startResponse(recorder, req, ctx, client);
  }
  return jsonResponse(404, { error: "NotFound", message: `no route for ${req.method} ${req.path}` });
}

export function recorderApiHandler(recorder: Recorder, log: Logger, ingress: Ingress, auth?: ClientAuth): RecorderApiHandler {
  return async (event, ctx) => {
    const inbound = classifyEvent(event);
    const entryLog = log.child({ requestId: ctx.requestId });
    if (inbound.kind !== "http") {
      return jsonResponse(400, { error: "NotHttp", message: "recorder-api serves HTTP triggers (API Gateway or function URL) only" });
    }
    try {
      return await route(recorder, ingress, inbound.request, ctx, auth);
    } catch (err) {
      entryLog.error("recorder-api request failed", { method: inbound.request.method, path: inbound.request.path, error: err });
      return jsonResponse(500, { error: "InternalError", message: "the request failed; see the function logs", requestId: ctx.requestId });
    }
  };
}
