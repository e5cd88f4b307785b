// Client authentication for the function-URL ingress. API Gateway authenticates clients itself (key-pair auth with a
// usage plan), but a function URL's platform auth would also lock out TRTC's event callbacks, so there recorder-api
// checks a bearer API key against the runtime secret `client-api-keys` (a JSON array of keys, provisioned by the
// operator, never in Terraform). It fails closed: no provisioned keys → 503, not an open door.
import { timingSafeEqual } from "node:crypto";
import { clientFingerprint } from "../auth/authenticate";
import { jsonResponse, type HttpRequest, type HttpResponse } from "../events/apigw";

export type ClientAuthMode = "gateway" | "api-key" | "off";

export interface ClientAuth {
  mode: ClientAuthMode;
  /** The accepted keys, or undefined when the operator has not provisioned them. */
  keys(): Promise<string[] | undefined>;
}

export function parseClientAuthMode(value: string | undefined): ClientAuthMode {
  if (value === "api-key" || value === "off") return value;
  return "gateway";
}

/** Parses the secret's value: a JSON array of non-empty strings. */
export function parseClientKeys(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((k) => typeof k === "string" && k.length >= 16)) return parsed as string[];
  } catch {
    // fall through: a malformed secret is the same as none, and the 503 says what to fix
  }
  return undefined;
}

function presented(req: HttpRequest): string | undefined {
  const auth = req.headers["authorization"];
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return m?.[1] ?? req.headers["x-api-key"];
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** undefined when the request may proceed; otherwise the response to send. */
export async function checkClientAuth(auth: ClientAuth | undefined, req: HttpRequest): Promise<HttpResponse | undefined> {
  const outcome = await authenticateClient(auth, req);
  return "refused" in outcome ? outcome.refused : undefined;
}

/**
 * Client auth with the credential's fingerprint (function/auth/authenticate.ts), which makes recordings belong to the
 * client that started them: the API key that matched, or the SecretId API Gateway's key-pair auth verified.
 */
export async function authenticateClient(auth: ClientAuth | undefined, req: HttpRequest): Promise<{ refused: HttpResponse } | { client?: string }> {
  if (!auth || auth.mode !== "api-key") {
    return req.gatewaySecretId !== undefined && auth?.mode !== "off" ? { client: clientFingerprint(`apigw|${req.gatewaySecretId}`) } : {};
  }
  const keys = await auth.keys();
  if (!keys || keys.length === 0) {
    return {
      refused: jsonResponse(503, {
        error: "ClientAuthNotProvisioned",
        message: "client API keys are required but the runtime secret client-api-keys (a JSON array of keys, ≥ 16 chars each) is not provisioned",
      }),
    };
  }
  const key = presented(req);
  const matched = key === undefined ? undefined : keys.find((k) => same(k, key));
  if (matched === undefined) {
    return { refused: jsonResponse(401, { error: "Unauthorized", message: "send a client API key as `Authorization: Bearer <key>` (or `x-api-key`)" }, { "www-authenticate": "Bearer" }) };
  }
  return { client: clientFingerprint(`api-key|${matched}`) };
}
