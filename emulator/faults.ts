// Fault injection shared by every double: "fail the next N requests matching X with 5xx / delay / reset",
// so reliability tests read as scenarios instead of hand-built broken servers.
import type { IncomingMessage, ServerResponse } from "node:http";

/** What to do to a matching request. `status` is rendered in the service's own error format. */
export type Fault = { kind: "status"; status: number; code?: string } | { kind: "delay"; ms: number } | { kind: "reset" };

/** What a double knows about a request when it consults the injector. */
export interface FaultRequestInfo {
  method: string;
  path: string;
  query: Record<string, string>;
  host?: string;
  /** API 3.0 action (X-TC-Action) or the COS operation name (PutObject, UploadPart, ...). */
  action?: string;
}

/**
 * A string matches when it equals the action, or when `${method} ${path}` starts with it
 * ("PUT /rec/" hits every PUT under rec/). A RegExp is tested against both. A function decides alone.
 */
export interface FaultRule {
  match: string | RegExp | ((r: FaultRequestInfo) => boolean);
  /** How many matching requests this rule still hits; Infinity for "from now on". */
  times: number;
  fault: Fault;
}

// Codes a double renders when a status fault names none; these are the codes the real services use for them.
const DEFAULT_CODES: Record<number, string> = {
  400: "InvalidArgument",
  403: "AccessDenied",
  404: "ResourceNotFound",
  429: "RequestLimitExceeded",
  500: "InternalError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** The code a status fault renders: its own, else the usual one for that status. */
export function faultCode(fault: { status: number; code?: string }): string {
  return fault.code ?? DEFAULT_CODES[fault.status] ?? (fault.status >= 500 ? "InternalError" : "InvalidRequest");
}

function ruleMatches(rule: FaultRule, info: FaultRequestInfo): boolean {
  const line = `${info.method} ${info.path}`;
  if (typeof rule.match === "function") return rule.match(info);
  if (typeof rule.match === "string") return rule.match === info.action || line.startsWith(rule.match);
  const re = rule.match;
  // Reset lastIndex so a /g or /y RegExp does not alternate between hit and miss.
  re.lastIndex = 0;
  if (re.test(line)) return true;
  re.lastIndex = 0;
  return info.action !== undefined && re.test(info.action);
}

export class FaultInjector {
  private readonly rules: FaultRule[] = [];
  /** Every fault actually applied, in order, for assertions such as "the SDK retried after the 500". */
  readonly applied: Array<{ rule: FaultRule; info: FaultRequestInfo }> = [];

  add(rule: FaultRule): void {
    if (!(rule.times > 0)) throw new Error(`FaultInjector.add: times must be > 0 (got ${rule.times})`);
    this.rules.push(rule);
  }

  clear(): void {
    this.rules.length = 0;
  }

  /**
   * Applies the first matching rule (decrementing times). Returns true when the response was fully handled
   * (status/reset); delay returns false after waiting so the request proceeds normally.
   */
  async apply(
    info: FaultRequestInfo,
    req: IncomingMessage,
    res: ServerResponse,
    render: (status: number, code: string) => void,
  ): Promise<boolean> {
    const rule = this.rules.find((r) => r.times > 0 && ruleMatches(r, info));
    if (!rule) return false;
    rule.times -= 1;
    if (rule.times <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
    this.applied.push({ rule, info });
    const fault = rule.fault;
    switch (fault.kind) {
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return false;
      case "reset":
        // resetAndDestroy sends a TCP RST (ECONNRESET on the client), like a dropped connection; destroy() alone
        // would be a clean FIN ("socket hang up"). Either is a network error the SDKs retry.
        req.socket.resetAndDestroy();
        res.destroy();
        return true;
      case "status":
        render(fault.status, faultCode(fault));
        return true;
    }
  }
}
