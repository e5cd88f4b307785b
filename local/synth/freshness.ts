// Is a synthesized stack older than what it was synthesized from? Inputs: the infra code and environment files,
// the function sources (they become the bundle) and the artifact manifest (a build or a promotion changes pins).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export interface Freshness {
  fresh: boolean;
  /** Why not, for the terminal: "missing", or the newest input that is newer than the stack. */
  reason: string;
}

function newestUnder(path: string, skip: (name: string) => boolean): { path: string; mtimeMs: number } | undefined {
  if (!existsSync(path)) return undefined;
  const st = statSync(path);
  if (!st.isDirectory()) return { path, mtimeMs: st.mtimeMs };
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(path)) {
    if (skip(entry)) continue;
    const candidate = newestUnder(join(path, entry), skip);
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}

/** Inputs of a synthesis, relative to the repository root. */
export const SYNTH_INPUTS = ["infra", "function", join("dist", "artifacts", "manifest.json")];

export function stackFreshness(stackFile: string, root: string, inputs: string[] = SYNTH_INPUTS): Freshness {
  if (!existsSync(stackFile)) return { fresh: false, reason: `${stackFile} is missing` };
  const stackTime = statSync(stackFile).mtimeMs;
  for (const input of inputs) {
    const newest = newestUnder(resolve(root, input), (name) => name === "node_modules" || name.startsWith("."));
    if (newest && newest.mtimeMs > stackTime) return { fresh: false, reason: `${newest.path} is newer than the synthesized stack` };
  }
  return { fresh: true, reason: "newer than infra/, function/ and the artifact manifest" };
}
