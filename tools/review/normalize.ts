/**
 * Removes what is noise to a reviewer and keeps what Terraform will act on:
 * - cdktf's `//` metadata blocks (construct paths, stack metadata) are dropped; the construct path becomes the label;
 * - asset paths become artifact names: `assets/functions_bundle_C76F66E4/<hash>/recorder-bundle-<hash>.zip`
 *   → `recorder-bundle@<hash>` (the path changes exactly when the artifact does, so nothing is lost);
 * - artifact bucket objects too: `recorder-bundle/<sha256>.zip` → `recorder-bundle@<hash>` (the first 16 hex of the
 *   SHA-256: the same name build, pins and promotion use, so a reviewer sees prod get exactly staging's bytes).
 * For comparing two environments, `normalizeEnvironmentName` also rewrites the environment's own name (see there).
 */
import { isJsonObject, type Json, type JsonObject, type NormalizedStack, type StackItem, type TfJson } from "./model";

const ARTIFACT_ASSET = /assets\/[^/"\s]+\/[^/"\s]+\/([a-z][a-z0-9-]*?)-([0-9a-f]{16})\.zip/g;
const ARTIFACT_OBJECT = /\b(recorder-bundle|ffmpeg-layer)\/([0-9a-f]{16})[0-9a-f]{48}\.zip/g;
const OTHER_ASSET = /assets\/([^/"\s]+)\/([0-9A-Fa-f]{8})[0-9A-Fa-f]*\/([^/"\s]+)/g;

/** `assets/<id>/<hash>/recorder-bundle-<hash>.zip` → `recorder-bundle@<hash>`; other assets → `<file>@<hash8>`. */
export function shortenAssetPaths(s: string): string {
  return s.replace(ARTIFACT_ASSET, "$1@$2").replace(ARTIFACT_OBJECT, "$1@$2").replace(OTHER_ASSET, "$3@$2");
}

function mapStrings(value: Json, f: (s: string) => string): Json {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = mapStrings(v, f);
    return out;
  }
  return value;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function labelOf(body: JsonObject, stack: string, fallback: string): string {
  const meta = body["//"];
  const path = isJsonObject(meta) && isJsonObject(meta.metadata) ? meta.metadata.path : undefined;
  return typeof path === "string" ? path.replace(new RegExp(`^${escape(stack)}/`), "") : fallback;
}

export function normalizeStack(name: string, json: TfJson, rewrite: (s: string) => string = (s) => s): NormalizedStack {
  const f = (s: string) => rewrite(shortenAssetPaths(s));
  const items = new Map<string, StackItem>();
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [itemName, body] of Object.entries(byName)) {
        const address = kind === "data" ? `data.${type}.${itemName}` : `${type}.${itemName}`;
        items.set(address, { address, kind, type, name: itemName, label: rewrite(labelOf(body, name, itemName)), body: mapStrings(body, f) as JsonObject });
      }
    }
  }
  const outputs = mapStrings(json.output ?? {}, f) as JsonObject;
  const settings: JsonObject = {};
  if (json.terraform) settings.terraform = mapStrings(json.terraform, f);
  if (json.provider) settings.provider = mapStrings(json.provider, f);
  return { name: rewrite(name), items, outputs, settings };
}

/**
 * For comparing environments, the places where RecorderStack and the environment files put the environment's name,
 * each rewritten to `<env>`. Deliberately a short explicit list rather than "every occurrence of the word": the
 * staging environment also has a *staging bucket* (`trtc-rec-prod-staging-…`), which must not be normalized away.
 * `${…}` references are never rewritten (resource addresses are the same in every environment).
 */
export const ENVIRONMENT_NAME_RULES: ReadonlyArray<{ describe: string; rewrite: (env: string) => (s: string) => string }> = [
  {
    describe: "the stack name `recorder-<env>`",
    rewrite: (env) => (s) => s.replace(new RegExp(`(?<![A-Za-z0-9])recorder-${escape(env)}(?![A-Za-z0-9])`, "g"), "recorder-<env>"),
  },
  {
    describe: "the resource-name prefix `trtc-rec-<env>` (functions, layer, buckets, key alias, log topic, API names)",
    rewrite: (env) => (s) => s.replace(new RegExp(`(?<![A-Za-z0-9])trtc-rec-${escape(env)}(?![A-Za-z0-9])`, "g"), "trtc-rec-<env>"),
  },
  {
    describe: "a value that is exactly the environment name (`tags.env`, `RECORDER_ENV`)",
    rewrite: (env) => (s) => (s === env ? "<env>" : s),
  },
  {
    describe: "a trailing `/<env>` (the state backend prefix `trtc-recorder/<env>`)",
    rewrite: (env) => (s) => s.replace(new RegExp(`/${escape(env)}$`), "/<env>"),
  },
  {
    describe: "a `_<env>` suffix on a name (role names like `SCF_ExecuteRole_<env>` and what is named after them)",
    rewrite: (env) => (s) => s.replace(new RegExp(`_${escape(env)}(?=$|-)`, "g"), "_<env>"),
  },
];

export function normalizeEnvironmentName(env: string): (s: string) => string {
  const rules = ENVIRONMENT_NAME_RULES.map((r) => r.rewrite(env));
  const rewrite = (text: string) => rules.reduce((acc, r) => r(acc), text);
  // Only the literal parts: split around `${…}` and leave the references alone.
  return (s) =>
    s
      .split(/(\$\{[^}]*\})/)
      .map((part, i) => (i % 2 === 1 ? part : rewrite(part)))
      .join("");
}
