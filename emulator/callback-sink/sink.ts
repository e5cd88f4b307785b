// An HTTP endpoint that records the callbacks POSTed to it (the recorder's completion callbacks, TRTC event
// callbacks), and can answer 5xx for the next N deliveries or disappear entirely (close) to exercise retries.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { FaultInjector } from "../faults";
import { listenLocal } from "../tc3/listen";
import { readBody } from "../tc3/read-body";

export interface CallbackSinkOptions {
  /** Answer the first N deliveries with `status`. @default 0 */
  failFirst?: number;
  /** Status for failed deliveries. @default 500 */
  status?: number;
  /** Consulted per request before anything else; status faults answer `{"code":<status>,"error":<code>}`. */
  faults?: FaultInjector;
}

export interface ReceivedCallback {
  method: string;
  /** Path and query as requested. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** Epoch ms at arrival. */
  at: number;
  /** What the sink answered, so tests can tell failed attempts from the accepted one. */
  status: number;
}

export interface CallbackSink {
  /** `http://127.0.0.1:<port>/callback`; any path is accepted. */
  url: string;
  port: number;
  /** Every delivery attempt that got an answer, in arrival order (failed ones included, see `status`). */
  received: ReceivedCallback[];
  /** Resolves once at least `n` attempts have been received; rejects after `timeoutMs` naming how many came. */
  waitFor(n: number, timeoutMs: number): Promise<ReceivedCallback[]>;
  /** Answer the next `n` deliveries with the failure status. */
  setFailures(n: number): void;
  /** Stops listening: later deliveries get connection refused, like a dead endpoint. */
  close(): Promise<void>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startCallbackSink(opts: CallbackSinkOptions = {}): Promise<CallbackSink> {
  let failures = opts.failFirst ?? 0;
  const failStatus = opts.status ?? 500;
  const received: ReceivedCallback[] = [];
  const waiters: Array<() => void> = [];
  const record = (entry: ReceivedCallback) => {
    received.push(entry);
    for (const wake of waiters.splice(0)) wake();
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = (await readBody(req)).toString("utf8");
      const base = { method: req.method ?? "", path: req.url ?? "/", headers: req.headers, body, json: parseJson(body), at: Date.now() };
      const answer = (status: number, payload: unknown) => {
        const text = JSON.stringify(payload);
        res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
        res.end(text);
        record({ ...base, status });
      };
      const info = { method: base.method, path: new URL(base.path, "http://sink").pathname, query: {} };
      if (opts.faults && (await opts.faults.apply(info, req, res, (status, code) => answer(status, { code: status, error: code })))) return;
      if (req.method !== "POST") return answer(405, { code: 405, error: "callbacks are POSTed" });
      if (failures > 0) {
        failures -= 1;
        return answer(failStatus, { code: failStatus, error: "injected failure" });
      }
      answer(200, { code: 0 });
    })().catch(() => res.destroy());
  });
  const listening = await listenLocal(server);

  return {
    url: `http://${listening.hostPort}/callback`,
    port: listening.port,
    received,
    setFailures: (n) => {
      failures = n;
    },
    waitFor: (n, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < n) return false;
          clearTimeout(timer);
          resolve(received.slice());
          return true;
        };
        const timer = setTimeout(() => reject(new Error(`callback sink: expected ${n} deliveries within ${timeoutMs} ms, got ${received.length}`)), timeoutMs);
        const wait = () => {
          if (!check()) waiters.push(wait);
        };
        wait();
      }),
    close: listening.close,
  };
}
