/** Reads what a synth wrote: `<outdir>/manifest.json` names the stacks, each has its `cdk.tf.json`. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TfJson } from "./model";

interface CdktfManifest {
  stacks: Record<string, { synthesizedStackPath: string }>;
}

export function loadStacks(outdir: string): Record<string, TfJson> {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`no synth output in ${outdir} (expected ${manifestPath})`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as CdktfManifest;
  const stacks: Record<string, TfJson> = {};
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    stacks[name] = JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), "utf8")) as TfJson;
  }
  return stacks;
}
