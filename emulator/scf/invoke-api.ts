// The SCF API double (service "scf", version 2018-04-16) on the TC3 framework: Invoke (RequestResponse and Event)
// and a minimal GetFunction, over the local runtime. Hosted on the same API 3.0 server as TRTC and KMS, so one
// RECORDER_API_ENDPOINT_OVERRIDE serves every client of the function (dispatch is by Host header).
import { Tc3ApiError, type Tc3ServiceDef } from "../tc3/types";
import { FunctionLookupError, type ScfRuntime } from "./runtime";

export const SCF_SERVICE = "scf";
export const SCF_VERSION = "2018-04-16";

function optionalString(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new Tc3ApiError("InvalidParameterValue", `${name} must be a string (got ${typeof v})`);
  return v;
}

function requiredString(params: Record<string, unknown>, name: string): string {
  const v = optionalString(params, name);
  if (v === undefined || v === "") throw new Tc3ApiError("MissingParameter", `The request is missing the required parameter ${name}`);
  return v;
}

function lookupError(e: unknown): never {
  if (e instanceof FunctionLookupError) throw new Tc3ApiError(e.code, e.message);
  throw e;
}

/** Async events are limited to 128 KB, synchronous ones to 6 MB (scf.md §2). */
const MAX_EVENT_BYTES = { Event: 128 * 1024, RequestResponse: 6 * 1024 * 1024 } as const;

export function scfService(runtime: () => ScfRuntime): Tc3ServiceDef {
  return {
    service: SCF_SERVICE,
    version: SCF_VERSION,
    actions: {
      Invoke: async (p) => {
        const functionName = requiredString(p, "FunctionName");
        const namespace = optionalString(p, "Namespace") ?? "default";
        const qualifier = optionalString(p, "Qualifier") ?? "$LATEST";
        const type = optionalString(p, "InvocationType") ?? "RequestResponse";
        if (type !== "Event" && type !== "RequestResponse") {
          throw new Tc3ApiError("InvalidParameterValue.InvocationType", `InvocationType must be "RequestResponse" or "Event" (got ${JSON.stringify(type)})`);
        }
        const text = optionalString(p, "ClientContext") ?? "{}";
        if (Buffer.byteLength(text) > MAX_EVENT_BYTES[type]) {
          throw new Tc3ApiError("InvalidParameterValue.ClientContext", `ClientContext is ${Buffer.byteLength(text)} bytes; ${type} events are limited to ${MAX_EVENT_BYTES[type]} bytes`);
        }
        let event: unknown;
        try {
          event = JSON.parse(text);
        } catch {
          throw new Tc3ApiError("InvalidParameterValue.ClientContext", "ClientContext must be a JSON string (the event)");
        }
        const req = { functionName, namespace, qualifier, event, trigger: type === "Event" ? ("invoke-event" as const) : ("invoke-sync" as const) };
        const empty = { Log: "", RetMsg: "", ErrMsg: "", MemUsage: 0, Duration: 0, BillDuration: 0 };
        if (type === "Event") {
          let requestId: string;
          try {
            requestId = runtime().invokeAsync(req).requestId;
          } catch (e) {
            lookupError(e);
          }
          return { Result: { ...empty, FunctionRequestId: requestId, InvokeResult: 0 } };
        }
        const r = await runtime().invokeSync(req).catch(lookupError);
        if (r.asyncRun) return { Result: { ...empty, FunctionRequestId: r.requestId, InvokeResult: 0 } };
        const o = r.outcome;
        const metrics = { MemUsage: o.maxRssBytes, Duration: o.durationMs, BillDuration: Math.max(1, Math.ceil(o.durationMs)), FunctionRequestId: r.requestId, Log: "" };
        return "json" in o
          ? { Result: { ...metrics, RetMsg: o.json, ErrMsg: "", InvokeResult: 0 } }
          : { Result: { ...metrics, RetMsg: "", ErrMsg: JSON.stringify(o.error), InvokeResult: -1 } };
      },
      GetFunction: (p) => {
        const functionName = requiredString(p, "FunctionName");
        const namespace = optionalString(p, "Namespace") ?? "default";
        const qualifier = optionalString(p, "Qualifier") ?? "$LATEST";
        let fn;
        try {
          fn = runtime().find(functionName, namespace, qualifier).fn;
        } catch (e) {
          lookupError(e);
        }
        return {
          FunctionName: fn.name,
          Namespace: fn.namespace,
          Qualifier: qualifier,
          FunctionVersion: qualifier === "$LATEST" ? "$LATEST" : "1",
          Status: "Active",
          StatusDesc: "",
          StatusReasons: [],
          AvailableStatus: "Available",
          Runtime: fn.runtime,
          Handler: fn.handler,
          MemorySize: fn.memoryMb,
          Timeout: fn.timeoutSeconds,
          AsyncRunEnable: fn.asyncRun ? "TRUE" : "FALSE",
          Environment: { Variables: Object.entries(fn.environment).map(([Key, Value]) => ({ Key, Value })) },
        };
      },
    },
  };
}
