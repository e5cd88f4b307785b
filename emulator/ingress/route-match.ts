// API Gateway path matching for the paths the stack declares: literal segments and `{name}` path parameters (one
// non-empty segment each). The URL's first segment is the release environment (/release/record).
import type { LocalRoute } from "../deployment";

export interface RouteMatch {
  route: LocalRoute;
  /** Every `{name}` in the configured path with its decoded value. */
  pathValues: Record<string, string>;
  /** The request path after the stage prefix ("/recordings/abc"). */
  apiPath: string;
}

function matchPath(template: string, actual: string): Record<string, string> | undefined {
  const t = template.split("/").filter(Boolean);
  const a = actual.split("/").filter(Boolean);
  if (t.length !== a.length) return undefined;
  const values: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const param = /^\{([^}]+)\}$/.exec(t[i]);
    if (param) {
      try {
        values[param[1]] = decodeURIComponent(a[i]);
      } catch {
        return undefined;
      }
    } else if (t[i] !== a[i]) return undefined;
  }
  return values;
}

/**
 * The route for `method` and `pathname`, or undefined. A literal path beats a parameterised one, as the gateway
 * prefers the more specific API; method ANY matches every method.
 */
export function matchRoute(routes: LocalRoute[], method: string, pathname: string): RouteMatch | undefined {
  const [, stage = "", ...rest] = pathname.split("/");
  const apiPath = `/${rest.join("/")}`;
  const candidates = routes
    .filter((r) => r.stage === stage && (r.method === method || r.method === "ANY"))
    .map((route) => ({ route, pathValues: matchPath(route.path, apiPath) }))
    .filter((c): c is { route: LocalRoute; pathValues: Record<string, string> } => c.pathValues !== undefined)
    .sort((x, y) => Object.keys(x.pathValues).length - Object.keys(y.pathValues).length);
  const best = candidates[0];
  return best ? { ...best, apiPath } : undefined;
}
