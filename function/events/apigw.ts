// HTTP-shaped trigger events: API Gateway (apigw.md §4: body string, isBase64Encoded, lower-cased headers,
// requestContext) and SCF function URLs, whose event is API Gateway's without requestContext, isBase64Encoded and the
// *Parameters fields: {body, headers, httpMethod, path, queryString} (https://cloud.tencent.com/document/product/583/96099).
// Other clouds' URL shape (rawPath, requestContext.http) is still read, liberally. One HttpRequest comes out; the
// answer is the integrated response shape.

export interface HttpRequest {
  /** Upper-case method of the actual request. */
  method: string;
  /** The actual request path, e.g. "/recordings/abc" (a stage prefix may precede it; routes match on the tail). */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The body bytes exactly as sent (base64-decoded when the trigger encoded them): signatures are checked on these. */
  rawBody: Buffer;
  via: "apigw" | "function-url";
  /** API Gateway key-pair auth: the SecretId the gateway verified (requestContext.identity.secretId), set by the gateway. */
  gatewaySecretId?: string;
}

/** API Gateway / function URL integrated response. */
export interface HttpResponse {
  isBase64Encoded: false;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function lowerHeaders(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === "string") out[k.toLowerCase()] = val;
    else if (Array.isArray(val)) out[k.toLowerCase()] = val.filter((x) => typeof x === "string").join(",");
  }
  return out;
}

// API Gateway's queryString: a single value → string, repeated key → array, key without value → true (apigw.md §4).
function queryOf(event: Json): Record<string, string> {
  const out: Record<string, string> = {};
  const q = isObject(event.queryString) ? event.queryString : isObject(event.queryStringParameters) ? event.queryStringParameters : undefined;
  if (q) {
    for (const [k, v] of Object.entries(q)) {
      if (typeof v === "string") out[k] = v;
      else if (Array.isArray(v) && typeof v[0] === "string") out[k] = v[0];
      else if (v === true) out[k] = "";
    }
  } else if (typeof event.rawQueryString === "string") {
    for (const [k, v] of new URLSearchParams(event.rawQueryString)) if (!(k in out)) out[k] = v;
  }
  return out;
}

/** Reads an API Gateway or function-URL event; undefined when the event is not HTTP-shaped. */
export function parseHttpEvent(event: unknown): HttpRequest | undefined {
  if (!isObject(event)) return undefined;
  const ctx = isObject(event.requestContext) ? event.requestContext : {};
  const http = isObject(ctx.http) ? ctx.http : {};
  const method = str(event.httpMethod) ?? str(http.method) ?? str(event.method) ?? (ctx.httpMethod !== "ANY" ? str(ctx.httpMethod) : undefined);
  const rawPath = str(event.path) ?? str(event.rawPath) ?? str(http.path);
  if (method === undefined || rawPath === undefined) return undefined;
  const path = rawPath.split("?")[0];
  const body = typeof event.body === "string" ? event.body : isObject(event.body) ? JSON.stringify(event.body) : "";
  const base64 = event.isBase64Encoded === true || event.isBase64Encoded === "true";
  const identity = isObject(ctx.identity) ? ctx.identity : {};
  const gatewaySecretId = str(identity.secretId);
  const request: HttpRequest = {
    method: method.toUpperCase(),
    path,
    headers: lowerHeaders(event.headers),
    query: queryOf(event),
    rawBody: base64 ? Buffer.from(body, "base64") : Buffer.from(body, "utf8"),
    // Only API Gateway's events carry a requestContext of their own (a function URL's has none, or an `http` one).
    via: !isObject(event.requestContext) || str(event.rawPath) !== undefined || Object.keys(http).length > 0 ? "function-url" : "apigw",
  };
  if (gatewaySecretId !== undefined && request.via === "apigw") request.gatewaySecretId = gatewaySecretId;
  return request;
}

export function jsonResponse(statusCode: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    isBase64Encoded: false,
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(value),
  };
}
