// The event an event function receives from API Gateway (apigw.md §4): header names lower-cased, body as a string,
// requestContext carrying the API's *configured* path and method, the actual ones at the top level, pathParameters /
// queryStringParameters / headerParameters holding only declared parameters, queryString holding every argument
// (one value → string, repeated → array, no value → true).
import type { IncomingHttpHeaders } from "node:http";
import type { RouteMatch } from "./route-match";

export interface ApigwEventInput {
  match: RouteMatch;
  method: string;
  /** Raw query string without "?". */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
  sourceIp: string;
  /** SecretId of the key pair that signed the request (SECRET auth). */
  secretId?: string;
}

export type QueryValue = string | string[] | true;

export function parseQueryString(raw: string): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const part of raw.split("&").filter(Boolean)) {
    const eq = part.indexOf("=");
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, " "));
      } catch {
        return s;
      }
    };
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    const value: QueryValue = eq === -1 ? true : decode(part.slice(eq + 1));
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = [...(Array.isArray(prev) ? prev : [String(prev)]), String(value)];
  }
  return out;
}

function lowerHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  return out;
}

export function apigwEvent(i: ApigwEventInput): Record<string, unknown> {
  const { route } = i.match;
  const queryString = parseQueryString(i.query);
  const declared = (position: string) => route.parameters.filter((p) => p.position === position).map((p) => p.name);
  const pathParameters = Object.fromEntries(declared("PATH").filter((n) => n in i.match.pathValues).map((n) => [n, i.match.pathValues[n]]));
  const queryStringParameters = Object.fromEntries(declared("QUERY").filter((n) => n in queryString).map((n) => [n, queryString[n]]));
  const headers = {
    ...lowerHeaders(i.headers),
    // What the gateway adds on its way to the function.
    "x-anonymous-consumer": i.secretId ? "false" : "true",
    "x-qualifier": route.qualifier,
    "endpoint-timeout": String(route.timeoutSeconds),
    "x-api-requestid": i.requestId,
  };
  const headerParameters = Object.fromEntries(declared("HEADER").filter((n) => n.toLowerCase() in headers).map((n) => [n, headers[n.toLowerCase() as keyof typeof headers]]));
  return {
    requestContext: {
      serviceId: route.serviceId,
      path: route.path,
      httpMethod: route.method,
      requestId: i.requestId,
      identity: i.secretId ? { secretId: i.secretId } : {},
      sourceIp: i.sourceIp,
      stage: route.stage,
    },
    headers,
    ...(i.body.length ? { body: i.body.toString("utf8") } : {}),
    pathParameters,
    queryStringParameters,
    headerParameters,
    stageVariables: { stage: route.stage },
    path: i.match.apiPath,
    queryString,
    httpMethod: i.method,
    isBase64Encoded: false,
  };
}
