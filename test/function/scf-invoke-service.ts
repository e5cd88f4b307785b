// SCF's Invoke action (2018-04-16) for the TC3 double framework, as the recorder uses it: async invocations
// (InvocationType "Event") of the `recorder` function are queued here, and the harness runs them when a test says
// so — an async runtime whose timing is the test's, not the scheduler's.
import { randomUUID } from "node:crypto";
import { Tc3ApiError, type Tc3ServiceDef } from "../../emulator/tc3/types";

export interface QueuedInvocation {
  functionName: string;
  namespace: string;
  /** The version or alias invoked (SCF's Invoke runs `$LATEST` when the caller names none). */
  qualifier: string;
  /** The event the function will receive (ClientContext parsed). */
  event: unknown;
  /** The request id the invocation runs under (SCF's FunctionRequestId). */
  requestId: string;
}

export interface ScfInvokeService extends Tc3ServiceDef {
  /** Invocations not yet run. */
  readonly queue: QueuedInvocation[];
  /** Every invocation ever accepted, in order. */
  readonly accepted: QueuedInvocation[];
}

export function scfInvokeService(opts: { functionName: string; namespace: string; qualifiers?: string[] }): ScfInvokeService {
  const qualifiers = opts.qualifiers ?? ["$LATEST"];
  const queue: QueuedInvocation[] = [];
  const accepted: QueuedInvocation[] = [];
  return {
    service: "scf",
    version: "2018-04-16",
    queue,
    accepted,
    actions: {
      Invoke: (p) => {
        if (p.FunctionName !== opts.functionName) throw new Tc3ApiError("ResourceNotFound.Function", `function ${String(p.FunctionName)} does not exist`);
        if ((p.Namespace ?? "default") !== opts.namespace) throw new Tc3ApiError("ResourceNotFound.Namespace", `namespace ${String(p.Namespace)} does not exist`);
        const qualifier = typeof p.Qualifier === "string" && p.Qualifier !== "" ? p.Qualifier : "$LATEST";
        if (!qualifiers.includes(qualifier)) throw new Tc3ApiError("ResourceNotFound.Qualifier", `function ${opts.functionName} has no version or alias ${qualifier} (has: ${qualifiers.join(", ")})`);
        if (p.InvocationType !== "Event") throw new Tc3ApiError("InvalidParameterValue.InvocationType", "the harness only runs async (Event) invocations");
        const context = typeof p.ClientContext === "string" ? p.ClientContext : "{}";
        if (Buffer.byteLength(context) > 128 * 1024) throw new Tc3ApiError("InvalidParameterValue.ClientContext", "async event larger than 128 KB");
        const inv: QueuedInvocation = { functionName: opts.functionName, namespace: opts.namespace, qualifier, event: JSON.parse(context) as unknown, requestId: randomUUID() };
        queue.push(inv);
        accepted.push(inv);
        return { Result: { FunctionRequestId: inv.requestId, Log: "", RetMsg: "", ErrMsg: "", MemUsage: 0, Duration: 0, BillDuration: 0, InvokeResult: 0 } };
      },
    },
  };
}
