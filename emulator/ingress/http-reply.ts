// Small helpers for writing a complete HTTP answer (status, headers, body with its length).
import type { ServerResponse } from "node:http";

export function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
  res.writeHead(status, { ...headers, "Content-Length": String(bytes.length) });
  res.end(bytes);
}

export function replyJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  reply(res, status, { "Content-Type": "application/json", ...headers }, JSON.stringify(value));
}
