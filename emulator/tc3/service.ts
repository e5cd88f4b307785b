// An API 3.0 server: one listener plays every service it is given and tells them apart by the Host header's first
// label, exactly as the real endpoints (trtc.tencentcloudapi.com, kms.tencentcloudapi.com, ...) are told apart.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { acceptConnectTunnel } from "./connect-tunnel";
import { listenLocal } from "./listen";
import { readBody } from "./read-body";
import { sendTc3, sendTc3Error } from "./respond";
import { Tc3ApiError, type Tc3Call, type Tc3ServerOptions } from "./types";
import { verifyTc3Request } from "./verify";

export { Tc3ApiError } from "./types";
export type { Tc3Call, Tc3Context, Tc3Credential, Tc3Handler, Tc3ServerOptions, Tc3ServiceDef } from "./types";

/** Largest TC3-signed POST body the API gateway accepts. */
export const TC3_MAX_BODY_BYTES = 10 * 1024 * 1024;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** "trtc.tencentcloudapi.com:8080" -> "trtc"; the SDK derives its signing service from the same label. */
export function serviceOfHost(host: string): string {
  return host.replace(/:\d+$/, "").split(".")[0] ?? "";
}

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function handle(opts: Tc3ServerOptions, calls: Tc3Call[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const now = opts.now ?? Date.now;
  const body = await readBody(req);
  // TC3 POST bodies are limited to 10 MB (API 3.0 signing doc: "POST 请求使用签名方法 v3 时支持10MB"); the gateway
  // refuses larger ones before any service sees them.
  if (body.length > TC3_MAX_BODY_BYTES) {
    return sendTc3Error(req, res, requestId, "RequestSizeLimitExceeded", `The request body is ${body.length} bytes; API 3.0 accepts at most ${TC3_MAX_BODY_BYTES} bytes (10 MB) per signed POST`);
  }
  const url = new URL(req.url ?? "/", "http://double");
  const host = one(req.headers.host) ?? "";
  const action = one(req.headers["x-tc-action"]);
  const method = req.method ?? "GET";
  const error = (code: string, message: string) => sendTc3Error(req, res, requestId, code, message);

  const info = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), host, action };
  if (opts.faults && (await opts.faults.apply(info, req, res, (status, code) => sendTc3Error(req, res, requestId, code, `injected fault: ${code}`, status)))) {
    return;
  }

  const serviceName = serviceOfHost(host);
  const service = opts.services.find((s) => s.service === serviceName);
  if (!service) {
    const served = opts.services.map((s) => `${s.service}.tencentcloudapi.com`).join(", ");
    return error("InvalidAction", `Host "${host}" names service "${serviceName}", which this double does not play (it plays: ${served})`);
  }

  const query = req.url?.includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "";
  const verified = verifyTc3Request({ method, path: url.pathname, query, headers: req.headers, body }, { credentials: opts.credentials, service: service.service, nowMs: now() });
  if (!verified.ok) return error(verified.code, verified.message);

  const version = one(req.headers["x-tc-version"]);
  if (version !== service.version) {
    return error("NoSuchVersion", `The requested version "${version ?? ""}" of API module "${service.service}" does not exist (expected ${service.version})`);
  }
  if (!action) return error("MissingParameter", "The request is missing the required header X-TC-Action");
  const handler = Object.hasOwn(service.actions, action) ? service.actions[action] : undefined;
  if (!handler) return error("InvalidAction", `The action "${action}" of module ${service.service} (version ${service.version}) does not exist`);
  // The SDK only ever sends POST application/json; the GET form-encoded variant is not modelled.
  if (method !== "POST" || !(one(req.headers["content-type"]) ?? "").toLowerCase().startsWith("application/json")) {
    return error("InvalidParameter", `this double accepts POST application/json only (got ${method} ${one(req.headers["content-type"]) ?? "no content-type"})`);
  }
  let params: unknown;
  try {
    params = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    return error("InvalidParameter", "The request body is not valid JSON");
  }
  if (!isJsonObject(params)) return error("InvalidParameter", "The request body must be a JSON object");

  calls.push({ service: service.service, action, params, secretId: verified.credential.secretId });
  const region = one(req.headers["x-tc-region"]);
  try {
    const result = await handler(params, { action, region, secretId: verified.credential.secretId, requestId, service: service.service });
    sendTc3(req, res, 200, { ...(isJsonObject(result) ? result : {}), RequestId: requestId });
  } catch (e) {
    if (e instanceof Tc3ApiError) return error(e.code, e.message);
    return error("InternalError", `handler for ${service.service}.${action} threw: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The request listener alone, for mounting in a larger local cloud. Verified calls are appended to `calls`. */
export function createTc3Listener(opts: Tc3ServerOptions, calls: Tc3Call[] = []): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(opts, calls, req, res).catch((e: unknown) => {
      if (!res.headersSent) sendTc3Error(req, res, randomUUID(), "InternalError", e instanceof Error ? e.message : String(e));
      else res.destroy();
    });
  };
}

export interface Tc3Server {
  port: number;
  hostPort: string;
  close(): Promise<void>;
  /** Every authenticated call that reached a handler, in arrival order. */
  calls: Tc3Call[];
}

export async function startTc3Server(opts: Tc3ServerOptions): Promise<Tc3Server> {
  const calls: Tc3Call[] = [];
  const server = createServer(createTc3Listener(opts, calls));
  acceptConnectTunnel(server);
  const listening = await listenLocal(server);
  return { ...listening, calls };
}
