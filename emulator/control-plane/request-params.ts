// Typed reads of API 3.0 request fields for the control-plane services (apigw, kms, cls, monitor, tag). Each
// failure names the field, what was expected and what was given, with the codes API 3.0 uses for them:
// MissingParameter for an absent required field, InvalidParameter for a wrong type.
import { Tc3ApiError } from "../tc3/types";

type Params = Record<string, unknown>;

function shown(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function missing(name: string): Tc3ApiError {
  return new Tc3ApiError("MissingParameter", `The request is missing a required parameter \`${name}\``);
}

export function invalid(name: string, expected: string, given: unknown, code = "InvalidParameter"): Tc3ApiError {
  return new Tc3ApiError(code, `${name} must be ${expected} (got ${shown(given)})`);
}

export function optString(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalid(name, "a string", v);
  return v;
}

export function reqString(p: Params, name: string): string {
  const v = optString(p, name);
  if (v === undefined || v === "") throw missing(name);
  return v;
}

export function optInt(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw invalid(name, "an integer", v);
  return v;
}

export function reqInt(p: Params, name: string): number {
  const v = optInt(p, name);
  if (v === undefined) throw missing(name);
  return v;
}

export function optBool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw invalid(name, "a boolean", v);
  return v;
}

export function optStringArray(p: Params, name: string): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw invalid(name, "an array of strings", v);
  return v as string[];
}

export function optObjectArray(p: Params, name: string): Params[] | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "object" || x === null || Array.isArray(x))) throw invalid(name, "an array of objects", v);
  return v as Params[];
}

export function optObject(p: Params, name: string): Params | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw invalid(name, "an object", v);
  return v as Params;
}

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], code = "InvalidParameterValue"): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalid(name, `one of ${allowed.join(", ")}`, value, code);
  return value as T;
}

/** Offset/Limit paging as the Describe* actions apply it. */
export function page<T>(items: T[], p: Params, defaultLimit = 20, maxLimit = 100): T[] {
  const offset = optInt(p, "Offset") ?? 0;
  const limit = optInt(p, "Limit") ?? defaultLimit;
  if (offset < 0) throw invalid("Offset", "a non-negative integer", offset, "InvalidParameterValue");
  if (limit < 0 || limit > maxLimit) throw invalid("Limit", `0..${maxLimit}`, limit, "InvalidParameterValue");
  return items.slice(offset, offset + limit);
}

/** "2026-12-07 06:30:00": the local-time text most Tencent Cloud control APIs use for timestamps (UTC+8). */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
}
