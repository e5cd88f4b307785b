/**
 * Pure: two normalized stacks → what changes, attribute by attribute. Nested blocks flatten to paths
 * (`layers[0].layer_version`); strings holding JSON (CAM policy documents, trigger descriptions) are compared inside
 * (`document⟨json⟩.statement[0].action[1]`), so a one-word policy change is one row, not a wall of escaped text.
 */
import { isJsonObject, type AttrChange, type ItemChange, type Json, type JsonObject, type NormalizedStack, type StackDiff } from "./model";

function parseJsonString(s: string): Json | undefined {
  const t = s.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return undefined;
  try {
    const parsed = JSON.parse(t) as Json;
    return typeof parsed === "object" && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Leaves by path. Empty objects/arrays are leaves too, so "became empty" is visible. */
export function flatten(value: Json, prefix = "", out = new Map<string, Json>()): Map<string, Json> {
  if (Array.isArray(value)) {
    if (!value.length) out.set(prefix, []);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    if (!keys.length) out.set(prefix, {});
    for (const k of keys) flatten(value[k]!, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof value === "string" && parseJsonString(value) !== undefined) {
    flatten(parseJsonString(value)!, `${prefix}⟨json⟩`, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Changed leaves between two values (objects compared by key, arrays by index). */
export function diffValues(before: JsonObject | undefined, after: JsonObject | undefined): AttrChange[] {
  const b = flatten(before ?? {});
  const a = flatten(after ?? {});
  // An empty object on one side is the absence of everything on the other: no row for it.
  if (!before || !Object.keys(before).length) b.clear();
  if (!after || !Object.keys(after).length) a.clear();
  const paths = [...new Set([...b.keys(), ...a.keys()])].sort();
  return paths.filter((p) => !same(b.get(p), a.get(p))).map((path) => ({ path, before: b.get(path), after: a.get(path) }));
}

export function diffStacks(stack: string, before?: NormalizedStack, after?: NormalizedStack): StackDiff {
  const items: ItemChange[] = [];
  const addresses = [...new Set([...(before?.items.keys() ?? []), ...(after?.items.keys() ?? [])])].sort();
  for (const address of addresses) {
    const b = before?.items.get(address);
    const a = after?.items.get(address);
    const any = (a ?? b)!;
    const base = { address, kind: any.kind, type: any.type, label: any.label };
    if (!b) items.push({ ...base, action: "create", changes: diffValues(undefined, a!.body) });
    else if (!a) items.push({ ...base, action: "delete", changes: diffValues(b.body, undefined) });
    else {
      const changes = diffValues(b.body, a.body);
      if (changes.length) items.push({ ...base, action: "update", changes });
    }
  }
  return {
    stack,
    before,
    after,
    items,
    outputs: diffValues(before?.outputs, after?.outputs),
    settings: diffValues(before?.settings, after?.settings),
  };
}

/** The argument a change belongs to: `layers[0].layer_version` → `layers`. */
export const topLevel = (path: string): string => path.split(/[.[⟨]/)[0]!;
