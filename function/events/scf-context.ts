// The SCF context object (scf.md §1): snake_case fields, `getRemainingTimeInMillis()` on Node. Read liberally —
// direct test invocations and the local runtime may pass less.
import type { InvocationContext } from "../recording/deps";

/** Used when the platform tells us nothing about time left: SCF's maximum for a function deployed with Terraform. */
const DEFAULT_TIME_LIMIT_MS = 900_000;

export function invocationContext(context: unknown, now: () => number, newId: () => string): InvocationContext {
  const c = typeof context === "object" && context !== null ? (context as Record<string, unknown>) : {};
  const startedAt = now();
  const requestId = typeof c.request_id === "string" && c.request_id !== "" ? c.request_id : newId();
  const limit = typeof c.time_limit_in_ms === "number" && c.time_limit_in_ms > 0 ? c.time_limit_in_ms : DEFAULT_TIME_LIMIT_MS;
  const remaining = c.getRemainingTimeInMillis;
  return {
    requestId,
    remainingMs: () => {
      if (typeof remaining === "function") {
        const left = Number(remaining.call(context));
        if (Number.isFinite(left)) return left;
      }
      return limit - (now() - startedAt);
    },
  };
}
