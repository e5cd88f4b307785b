// DescribeVpcs/DescribeSubnets/DescribeRouteTables take Filters [{Name, Values}] and Offset/Limit as strings.
import { Tc3ApiError } from "../../tc3/types";
import { optObjectArray } from "../request-params";

type Params = Record<string, unknown>;

export type FilterFns<T> = Record<string, (row: T, values: string[]) => boolean>;

export function applyFilters<T>(rows: T[], p: Params, fns: FilterFns<T>): T[] {
  let out = rows;
  for (const f of optObjectArray(p, "Filters") ?? []) {
    const name = typeof f.Name === "string" ? f.Name : "";
    const values = Array.isArray(f.Values) ? (f.Values as unknown[]).map(String) : [];
    const fn = name.startsWith("tag:") ? fns["tag:"] : fns[name];
    if (!fn) throw new Tc3ApiError("InvalidParameterValue.Malformed", `Filters[].Name "${name}" is not a filter of this action (supported: ${Object.keys(fns).join(", ")})`);
    out = out.filter((r) => fn(r, name.startsWith("tag:") ? [name.slice(4), ...values] : values));
  }
  return out;
}

/** Offset/Limit may arrive as strings ("0", "100"), as the VPC API types them. */
export function pageOf<T>(rows: T[], p: Params, defaultLimit = 20, maxLimit = 100): T[] {
  const num = (name: string, fallback: number): number => {
    const v = p[name];
    if (v === undefined || v === null) return fallback;
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new Tc3ApiError("InvalidParameterValue.Malformed", `${name} must be a non-negative integer (got ${JSON.stringify(v)})`);
    return n;
  };
  const limit = num("Limit", defaultLimit);
  if (limit > maxLimit) throw new Tc3ApiError("InvalidParameterValue.Range", `Limit must be at most ${maxLimit} (got ${limit})`);
  const offset = num("Offset", 0);
  return rows.slice(offset, offset + limit);
}
