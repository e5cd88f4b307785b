// Runs inside the function's child process (bundled to plain JS by build-bootstrap.ts; no TypeScript at runtime).
// It waits for one invoke message, loads the handler from the unpacked code, calls it with (event, context[, callback])
// as SCF's Node.js runtime does, and reports the JSON-serialised return value or the error.
import { join } from "node:path";
import type { ChildMessage, InvokeMessage } from "./protocol";

type Handler = (event: unknown, context: Record<string, unknown>, callback?: (err: unknown, value?: unknown) => void) => unknown;

function send(msg: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(msg, undefined, undefined, () => resolve());
  });
}

function describe(err: unknown): { errorType: string; message: string; stack: string } {
  if (err instanceof Error) return { errorType: err.name, message: err.message, stack: err.stack ?? `${err.name}: ${err.message}` };
  const text = typeof err === "string" ? err : JSON.stringify(err) ?? String(err);
  return { errorType: "Error", message: text, stack: text };
}

function loadHandler(msg: InvokeMessage): Handler | ChildMessage {
  const dot = msg.handler.lastIndexOf(".");
  const file = msg.handler.slice(0, dot);
  const exportName = msg.handler.slice(dot + 1);
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(join(msg.codeDir, file)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === "MODULE_NOT_FOUND" && String((err as Error).message).includes(join(msg.codeDir, file))) {
      return { type: "error", kind: "handler-not-found", errorType: "HandlerNotFound", message: `${file}.js not found at the code root`, stack: "" };
    }
    return { type: "error", kind: "load", ...describe(err) };
  }
  const fn = mod[exportName];
  if (typeof fn !== "function") {
    return { type: "error", kind: "handler-not-found", errorType: "HandlerNotFound", message: `${file}.js does not export a function ${exportName}`, stack: "" };
  }
  return fn as Handler;
}

let loadedOnce = false;

async function run(msg: InvokeMessage): Promise<ChildMessage> {
  const handler = loadHandler(msg);
  if (typeof handler !== "function") return handler;
  if (!loadedOnce) {
    loadedOnce = true;
    await send({ type: "loaded" });
  }
  const context: Record<string, unknown> = {
    ...msg.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadlineMs - Date.now()),
  };
  const event: unknown = JSON.parse(msg.event);
  let value: unknown;
  try {
    value = await new Promise<unknown>((resolve, reject) => {
      // Callback-style handlers declare three parameters; promise-style ones return (or throw).
      const returned = handler(event, context, (err, result) => (err ? reject(err) : resolve(result)));
      if (handler.length < 3) Promise.resolve(returned).then(resolve, reject);
    });
  } catch (err) {
    return { type: "error", kind: "user", ...describe(err) };
  }
  try {
    const json = JSON.stringify(value === undefined ? null : value);
    return { type: "result", json };
  } catch (err) {
    return { type: "not-serialisable", message: describe(err).message };
  }
}

// The instance stays up between invocations (a warm SCF instance); the runtime decides when it ends.
process.on("message", (raw: InvokeMessage) => {
  if (raw.type !== "invoke") return;
  run(raw).then(send, (err: unknown) => send({ type: "error", kind: "user", ...describe(err) }));
});
process.on("uncaughtException", (err) => {
  void send({ type: "error", kind: "user", ...describe(err) }).then(() => process.exit(1));
});
