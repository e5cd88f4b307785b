// An SCF function URL (tencentcloud_scf_trigger type "http") on its own 127.0.0.1 port: every method and path goes
// to the function. The event is Tencent's documented function-URL event for event functions ("compatible with the
// API Gateway protocol, without headerParameters, isBase64Encoded, pathParameters, queryStringParameters and
// requestContext": {body, headers, httpMethod, path, queryString}, https://cloud.tencent.com/document/product/583/96099);
// the function answers with the integrated shape {statusCode, headers, body}.
// Only AuthType NONE is served (CAM-signed function URLs are not modelled; the stack's recorder-api authenticates
// clients itself).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLocal } from "../tc3/listen";
import { readBoundedBody } from "./bounded-body";
import { SYNC_EVENT_MAX_BYTES } from "../scf/event-limits";
import { FunctionLookupError, type ScfRuntime } from "../scf/runtime";
import type { LocalFunctionUrl } from "../deployment";
import { ASYNC_SUBMITTED } from "./apigw-server";
import { reply, replyJson } from "./http-reply";
import { parseIntegratedResponse } from "./integrated-response";

export interface FunctionUrlServer {
  trigger: LocalFunctionUrl;
  url: string;
  close(): Promise<void>;
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(",") : v;
  return out;
}

// As API Gateway's queryString: one value → a string, a repeated key → an array of its values.
function queryStringOf(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

async function handle(trigger: LocalFunctionUrl, runtime: ScfRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  // Function URLs carry the SCF sync event limit (6 MB); a larger body is refused before it is buffered.
  const read = await readBoundedBody(req, SYNC_EVENT_MAX_BYTES);
  if (!read.ok) return replyJson(res, 413, { errorCode: 406, errorMessage: `RequestTooLarge: the request body exceeds ${SYNC_EVENT_MAX_BYTES} bytes`, requestId });
  const body = read.body;
  const url = new URL(req.url ?? "/", "http://function-url");
  const method = (req.method ?? "GET").toUpperCase();
  const event = {
    body: body.toString("utf8"),
    headers: lowerHeaders(req),
    httpMethod: method,
    path: url.pathname,
    queryString: queryStringOf(url.searchParams),
  };
  try {
    const result = await runtime.invokeSync({ functionName: trigger.functionName, namespace: trigger.namespace, qualifier: trigger.qualifier, event, trigger: "function-url", requestId });
    if (result.asyncRun) return reply(res, 200, { "Content-Type": "text/plain; charset=utf-8", "x-scf-reqid": result.requestId }, ASYNC_SUBMITTED);
    const o = result.outcome;
    if (!("json" in o)) return replyJson(res, 502, o.error, { "x-scf-reqid": requestId });
    const parsed = parseIntegratedResponse(JSON.parse(o.json) as unknown);
    if (!parsed.ok) return reply(res, 200, { "Content-Type": "application/json", "x-scf-reqid": requestId }, o.json);
    return reply(res, parsed.response.statusCode, { ...parsed.response.headers, "x-scf-reqid": requestId }, parsed.response.body);
  } catch (e) {
    if (e instanceof FunctionLookupError) return replyJson(res, 502, { errorCode: e.status, errorMessage: e.message, requestId });
    throw e;
  }
}

export async function startFunctionUrl(trigger: LocalFunctionUrl, runtime: ScfRuntime): Promise<FunctionUrlServer> {
  if (trigger.authType !== "NONE") throw new Error(`${trigger.address}: function URL AuthType ${trigger.authType} is not modelled locally (only NONE)`);
  const server = createServer((req, res) => {
    handle(trigger, runtime, req, res).catch((e: unknown) => {
      if (!res.headersSent) replyJson(res, 500, { message: `local function URL error: ${e instanceof Error ? e.message : String(e)}` });
      else res.destroy();
    });
  });
  const listening = await listenLocal(server);
  return { trigger, url: `http://${listening.hostPort}`, close: listening.close };
}
