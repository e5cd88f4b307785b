// The API Gateway of the synthesized stack on 127.0.0.1: `/<stage><api path>` for every released API, each bound
// to its function, qualifier, auth type and integration-response mode exactly as synthesized.
//   integration response OFF → HTTP 200, body = the function's return value as JSON (errors too, as SCF's error JSON);
//                              an async-run function → "Async run task submitted" + x-scf-reqid, at once
//   integration response ON  → the HTTP answer the function described, or 403 "Invalid scf response"
//   gateway timeout (service_config_timeout) shorter than the function's → 504 from the gateway
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLocal } from "../tc3/listen";
import { GATEWAY_MAX_BODY_BYTES, readBoundedBody } from "./bounded-body";
import { FunctionLookupError, type ScfRuntime, type SyncResult } from "../scf/runtime";
import type { LocalRoute } from "../deployment";
import { apigwEvent } from "./apigw-event";
import { reply, replyJson } from "./http-reply";
import { parseIntegratedResponse } from "./integrated-response";
import { verifyKeyPair, type ApiKeyPair } from "./key-pair-auth";
import { matchRoute } from "./route-match";

export const ASYNC_SUBMITTED = "Async run task submitted";

export interface ApigwOptions {
  routes: LocalRoute[];
  runtime: ScfRuntime;
  /** Key pairs accepted on SECRET routes. @default [] */
  apiKeys?: ApiKeyPair[];
  now?: () => number;
  /** Largest request body the gateway reads (413 beyond). @default GATEWAY_MAX_BODY_BYTES */
  maxBodyBytes?: number;
}

export interface ApigwServer {
  hostPort: string;
  /** `http://127.0.0.1:<port>/<stage>`: the local form of the stack's ingress_url output. */
  baseUrl(stage?: string): string;
  close(): Promise<void>;
}

function gatewayTimeout(seconds: number): { promise: Promise<"timeout">; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), seconds * 1000);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

async function handle(opts: ApigwOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const base = { "x-api-requestid": requestId };
  const read = await readBoundedBody(req, opts.maxBodyBytes ?? GATEWAY_MAX_BODY_BYTES);
  if (!read.ok) return replyJson(res, 413, { message: `Request Entity Too Large: the body exceeds ${opts.maxBodyBytes ?? GATEWAY_MAX_BODY_BYTES} bytes` }, base);
  const body = read.body;
  const url = new URL(req.url ?? "/", "http://gateway");
  const method = (req.method ?? "GET").toUpperCase();
  const match = matchRoute(opts.routes, method, url.pathname);
  if (!match) {
    // The gateway's words (API Gateway FAQ) when no released API matches.
    return replyJson(res, 404, { message: `There is no api match uri[${url.pathname.replace(/\//g, "\\/")}] host [${req.headers.host ?? ""}]` }, base);
  }
  const { route } = match;
  let secretId: string | undefined;
  if (route.authType === "SECRET") {
    const verdict = verifyKeyPair(req.headers, opts.apiKeys ?? [], (opts.now ?? Date.now)());
    if (!verdict.ok) return replyJson(res, verdict.status, { message: verdict.message }, base);
    secretId = verdict.secretId;
  }
  const event = apigwEvent({ match, method, query: url.search.replace(/^\?/, ""), headers: req.headers, body, requestId, sourceIp: req.socket.remoteAddress ?? "127.0.0.1", secretId });
  const timeout = gatewayTimeout(route.timeoutSeconds);
  let result: SyncResult | "timeout";
  try {
    result = await Promise.race([
      // The gateway's request id (x-api-requestid, requestContext.requestId) is not SCF's: the runtime mints that one.
      opts.runtime.invokeSync({ functionName: route.functionName, namespace: route.namespace, qualifier: route.qualifier, event, trigger: "apigw" }),
      timeout.promise,
    ]);
  } catch (e) {
    if (e instanceof FunctionLookupError) return replyJson(res, 502, { errorCode: e.status, errorMessage: e.message, requestId }, base);
    throw e;
  } finally {
    timeout.cancel();
  }
  if (result === "timeout") return replyJson(res, 504, { message: `the backend did not answer within ${route.timeoutSeconds} s (service_config_timeout)`, requestId }, base);
  if (result.asyncRun) return reply(res, 200, { "Content-Type": "text/plain; charset=utf-8", "x-scf-reqid": result.requestId, ...base }, ASYNC_SUBMITTED);
  const outcome = result.outcome;
  if (!route.integratedResponse) {
    // OFF: whatever the function answered (or SCF's error object) is the JSON body of an HTTP 200.
    return reply(res, 200, { "Content-Type": "application/json", ...base }, "json" in outcome ? outcome.json : JSON.stringify(outcome.error));
  }
  if (!("json" in outcome)) return replyJson(res, 502, outcome.error, base);
  const parsed = parseIntegratedResponse(JSON.parse(outcome.json) as unknown);
  if (!parsed.ok) return replyJson(res, 403, { errorCode: 403, errorMessage: `Invalid scf response. expected scf response valid JSON. (${parsed.reason})`, requestId }, base);
  return reply(res, parsed.response.statusCode, { ...parsed.response.headers, ...base }, parsed.response.body);
}

export async function startApigw(opts: ApigwOptions): Promise<ApigwServer> {
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((e: unknown) => {
      if (!res.headersSent) replyJson(res, 500, { message: `local gateway error: ${e instanceof Error ? e.message : String(e)}` });
      else res.destroy();
    });
  });
  const listening = await listenLocal(server);
  const defaultStage = opts.routes[0]?.stage ?? "release";
  return {
    hostPort: listening.hostPort,
    baseUrl: (stage = defaultStage) => `http://${listening.hostPort}/${stage}`,
    close: listening.close,
  };
}
