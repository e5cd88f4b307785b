// An SCF function URL (tencentcloud_scf_trigger type "http") on its own 127.0.0.1 port: every method and path goes
// to the function. The event is the HTTP-request shape the recorder reads for function URLs (rawPath, rawQueryString,
// requestContext.http); the function answers with the integrated shape {statusCode, headers, body, isBase64Encoded}.
// Only AuthType NONE is served (CAM-signed function URLs are not modelled; the stack's recorder-api authenticates
// clients itself).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLocal } from "../tc3/listen";
import { readBody } from "../tc3/read-body";
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

async function handle(trigger: LocalFunctionUrl, runtime: ScfRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const body = await readBody(req);
  const url = new URL(req.url ?? "/", "http://function-url");
  const method = (req.method ?? "GET").toUpperCase();
  const event = {
    version: "2.0",
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    headers: lowerHeaders(req),
    queryStringParameters: Object.fromEntries(url.searchParams),
    ...(body.length ? { body: body.toString("utf8") } : {}),
    isBase64Encoded: false,
    requestContext: { requestId, timeEpoch: Date.now(), http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? "127.0.0.1" } },
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
