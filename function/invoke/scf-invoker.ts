// Invoker over SCF Invoke with InvocationType "Event": the call returns once SCF queued the invocation (async event
// ≤ 128 KB), so the caller never waits for the work it hands over. Only the scf service entry of the SDK is imported.
import { scf } from "tencentcloud-sdk-nodejs/tencentcloud/services/scf";
import type { ClientConfig } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import type { Invoker } from "../recording/deps";

export interface ScfInvokerOptions {
  config: ClientConfig;
  /** RECORDER_FUNCTION_NAME: the async `recorder` function. */
  functionName: string;
  /** RECORDER_NAMESPACE. @default "default" */
  namespace?: string;
  /**
   * RECORDER_QUALIFIER: the alias (or version) to run. Without it SCF runs `$LATEST` (Invoke's documented default),
   * which would bypass promotion and canary weights, so the stack always sets it.
   */
  qualifier?: string;
}

export function createScfInvoker(opts: ScfInvokerOptions): Invoker {
  const client = new scf.v20180416.Client(opts.config);
  return {
    async invokeRecorder(message) {
      await client.Invoke({
        FunctionName: opts.functionName,
        Namespace: opts.namespace ?? "default",
        ...(opts.qualifier ? { Qualifier: opts.qualifier } : {}),
        InvocationType: "Event",
        ClientContext: JSON.stringify(message),
      });
    },
  };
}
