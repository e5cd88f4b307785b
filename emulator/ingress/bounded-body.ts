// Reads a request body up to a limit. Beyond it the rest is not buffered (a 10 MB body must not sit in the local
// cloud's heap once per request of a burst); the caller answers 413.
import type { IncomingMessage } from "node:http";

/**
 * The gateway's own request body limit. API Gateway's limit for SCF backends is not documented beyond SCF's event
 * limits (6 MB sync, 128 KB async; scf.md §2); 16 MB is the commonly cited figure for HTTP backends (unverified).
 */
export const GATEWAY_MAX_BODY_BYTES = 16 * 1024 * 1024;

export type BoundedBody = { ok: true; body: Buffer } | { ok: false; receivedBytes: number };

export function readBoundedBody(req: IncomingMessage, limit: number): Promise<BoundedBody> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve({ ok: false, receivedBytes: declared });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (!over) chunks.push(c);
    });
    req.on("end", () => resolve(over ? { ok: false, receivedBytes: size } : { ok: true, body: Buffer.concat(chunks) }));
    req.on("error", reject);
  });
}
