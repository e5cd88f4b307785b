// Integration response ON: the function returns {isBase64Encoded, statusCode, headers, body} and the gateway builds
// the HTTP answer from it; anything else is the gateway's 403 "Invalid scf response" (apigw.md §5).

export interface IntegratedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type IntegratedParse = { ok: true; response: IntegratedResponse } | { ok: false; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseIntegratedResponse(value: unknown): IntegratedParse {
  if (!isObject(value)) return { ok: false, reason: "the return value is not an object" };
  const { statusCode, headers = {}, body = "", isBase64Encoded = false } = value;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return { ok: false, reason: `statusCode must be an HTTP status (got ${JSON.stringify(statusCode)})` };
  }
  if (!isObject(headers) || Object.values(headers).some((h) => typeof h !== "string" && typeof h !== "number")) {
    return { ok: false, reason: "headers must be an object of strings" };
  }
  if (typeof body !== "string") return { ok: false, reason: `body must be a string (got ${typeof body})` };
  if (typeof isBase64Encoded !== "boolean") return { ok: false, reason: "isBase64Encoded must be a boolean" };
  return {
    ok: true,
    response: {
      statusCode,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
      body: isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8"),
    },
  };
}
