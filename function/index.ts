// Entry of the one function bundle. SCF handlers: `index.recorder` (async execution on) and `index.recorderApi`
// (sync). Each invocation wires its dependencies from the environment (cheap: clients only), so nothing lives in
// module state and a rotated role key is picked up at once.
import { recorderHandler } from "./entries/recorder";
import { recorderApiHandler } from "./entries/recorder-api";
import { jsonResponse, type HttpResponse } from "./events/apigw";
import { invocationContext } from "./events/scf-context";
import { newInvocationId, wireFromEnvironment, WiringError } from "./wiring";

// A broken environment is an operator's problem: say which variable, never echo values.
function wiringFailure(fn: string, err: unknown): string {
  const message = err instanceof WiringError ? err.message : "could not build the recorder from the environment";
  process.stdout.write(`${JSON.stringify({ ts: new Date().toISOString(), level: "error", msg: message, fn })}\n`);
  return message;
}

export async function recorder(event: unknown, context: unknown): Promise<unknown> {
  let wiring;
  try {
    wiring = wireFromEnvironment(process.env, { logFields: { fn: "recorder" } });
  } catch (err) {
    throw new Error(wiringFailure("recorder", err));
  }
  const ctx = invocationContext(context, () => Date.now(), newInvocationId);
  return recorderHandler(wiring.recorder, wiring.log)(event, ctx);
}

export async function recorderApi(event: unknown, context: unknown): Promise<HttpResponse> {
  let wiring;
  try {
    wiring = wireFromEnvironment(process.env, { logFields: { fn: "recorder-api" } });
  } catch (err) {
    return jsonResponse(500, { error: "Misconfigured", message: wiringFailure("recorder-api", err) });
  }
  const ctx = invocationContext(context, () => Date.now(), newInvocationId);
  return recorderApiHandler(wiring.recorder, wiring.log, wiring.ingress, wiring.clientAuth)(event, ctx);
}
