/**
 * The references between resources: cdktf writes them as `${tencentcloud_x.name.attr}` tokens inside string values
 * (several may share one expression). They are the edges of the review's diagram and how replacements ripple.
 */
import { isJsonObject, type Json } from "./model";

export interface Reference {
  /** Address of the referenced item (`tencentcloud_scf_function.functions_recorder_39B9320F`, `data.…`). */
  target: string;
  /** The referenced attribute (`name`, `function_version`, `id`). */
  attribute: string;
  /** Path of the referencing value inside the referring item (`function_name`, `layers[0].layer_version`). */
  path: string;
}

const EXPRESSION = /\$\{([^}]*)\}/g;
const TOKEN = /(data\.)?(tencentcloud_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)/g;

export function referencesIn(value: Json, path = ""): Reference[] {
  if (typeof value === "string") {
    const out: Reference[] = [];
    for (const expr of value.matchAll(EXPRESSION)) {
      for (const t of expr[1]!.matchAll(TOKEN)) {
        out.push({ target: `${t[1] ?? ""}${t[2]}.${t[3]}`, attribute: t[4]!, path });
      }
    }
    return out;
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => referencesIn(v, `${path}[${i}]`));
  if (isJsonObject(value)) return Object.entries(value).flatMap(([k, v]) => referencesIn(v, path ? `${path}.${k}` : k));
  return [];
}
