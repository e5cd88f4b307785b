// `index.recorder` — the async function (async execution on): POST /record from API Gateway (the reply was already
// "Async run task submitted" + x-scf-reqid, so context.request_id is the recording id), our own delivery/start
// messages, the watchdog timer, and the seed's request body invoked directly.
import { clientFingerprint } from "../auth/authenticate";
import { decodeJsonBody } from "../contract/request";
import type { HttpRequest } from "../events/apigw";
import { classifyEvent } from "../events/inbound";
import type { Logger } from "../log/logger";
import type { InvocationContext } from "../recording/deps";
import type { Recorder } from "../recording/recorder";

export type RecorderHandler = (event: unknown, ctx: InvocationContext) => Promise<unknown>;

function isRecordRoute(req: HttpRequest): boolean {
  return req.method === "POST" && /(^|\/)record\/?$/.test(req.path);
}

export function recorderHandler(recorder: Recorder, log: Logger): RecorderHandler {
  return async (event, ctx) => {
    const inbound = classifyEvent(event);
    const entryLog = log.child({ requestId: ctx.requestId, kind: inbound.kind });
    try {
      switch (inbound.kind) {
        case "timer":
          return await recorder.watchdog(ctx);
        case "internal": {
          const msg = inbound.message;
          if (msg.action === "start") return await recorder.start(msg.recordingId, msg.request, undefined, msg.client);
          if (msg.action === "deliver") return await recorder.deliver(msg, ctx);
          return await recorder.watchdog(ctx);
        }
        case "http": {
          if (!isRecordRoute(inbound.request)) {
            entryLog.warn("no such route on the recorder", { method: inbound.request.method, path: inbound.request.path });
            return { error: "NotFound", message: `${inbound.request.method} ${inbound.request.path} is not served by the recorder` };
          }
          const body = decodeJsonBody(inbound.request.rawBody);
          // Key-pair auth on the gateway route: the recording belongs to the key pair that called.
          const gw = inbound.request.gatewaySecretId;
          const client = gw === undefined ? undefined : clientFingerprint(`apigw|${gw}`);
          return body.ok ? await recorder.start(ctx.requestId, body.value, undefined, client) : await recorder.start(ctx.requestId, undefined, [body.error], client);
        }
        case "direct":
          return await recorder.start(ctx.requestId, inbound.body);
      }
    } catch (err) {
      // Rethrown so SCF's own status shows the failure; the status record keeps what was known.
      entryLog.error("recorder invocation failed", { error: err });
      throw err;
    }
  };
}
