// API 3.0 answers errors with HTTP 200 and Response.Error (the SDK only reads Error.Code from a 200), and echoes the
// client's X-TC-TraceId, which the SDK surfaces as err.traceId.
import type { IncomingMessage, ServerResponse } from "node:http";

function traceId(req: IncomingMessage): string | undefined {
  const v = req.headers["x-tc-traceid"];
  return Array.isArray(v) ? v[0] : v;
}

export function sendTc3(req: IncomingMessage, res: ServerResponse, status: number, response: Record<string, unknown>): void {
  const body = JSON.stringify({ Response: response });
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  };
  const trace = traceId(req);
  if (trace) headers["X-TC-TraceId"] = trace;
  res.writeHead(status, headers);
  res.end(body);
}

export function sendTc3Error(req: IncomingMessage, res: ServerResponse, requestId: string, code: string, message: string, status = 200): void {
  sendTc3(req, res, status, { Error: { Code: code, Message: message }, RequestId: requestId });
}
