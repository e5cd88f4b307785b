// A plain HTTP listener in front of a handler that takes API Gateway events (as recorder-api does): it turns each
// request into the event the gateway would send (lower-cased headers, body string, isBase64Encoded) and writes the
// integrated response back. Used so the TRTC double's callbacks reach /trtc-events over real HTTP.
import { createServer } from "node:http";
import type { HttpResponse } from "../../function/events/apigw";
import { listenLocal } from "../../emulator/tc3/listen";
import { readBody } from "../../emulator/tc3/read-body";

export interface HttpFront {
  /** "http://127.0.0.1:<port>" */
  baseUrl: string;
  close(): Promise<void>;
}

export async function startHttpFront(handle: (event: Record<string, unknown>) => Promise<HttpResponse>): Promise<HttpFront> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? "/", "http://front");
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k.toLowerCase()] = v;
      const event = {
        requestContext: { serviceId: "service-harness", path: url.pathname, httpMethod: "ANY", requestId: "front", identity: {}, sourceIp: "127.0.0.1", stage: "release" },
        headers,
        body: body.toString("base64"),
        isBase64Encoded: true,
        path: url.pathname,
        queryString: Object.fromEntries(url.searchParams),
        httpMethod: req.method ?? "GET",
      };
      const out = await handle(event);
      const payload = out.isBase64Encoded ? Buffer.from(out.body, "base64") : Buffer.from(out.body, "utf8");
      res.writeHead(out.statusCode, { ...out.headers, "content-length": payload.length });
      res.end(payload);
    })().catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  const listening = await listenLocal(server);
  return { baseUrl: `http://${listening.hostPort}`, close: listening.close };
}
