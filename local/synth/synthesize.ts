// Synthesizes the stacks the local cloud serves, through the same path as `npm run synth` (tools/synth-summary.ts):
// artifacts first (cached by content), then the cdktf app. Returns the per-stack summary for the terminal.
import { readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { REPO_ROOT } from "../../infra/app";
import { ArtifactStore } from "../../infra/artifacts/artifact-store";
import { synthAll, type StackSummary } from "../../tools/synth-summary";

export async function synthesizeStacks(outdir: string, environments: string[]): Promise<StackSummary[]> {
  return synthAll(outdir, environments);
}

/** The summary of an already synthesized stack, read back from its JSON (no synthesis). */
export function summaryOfSynthesized(stackDir: string): StackSummary {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
    resource?: Record<string, Record<string, { zip_file?: unknown; content?: { zip_file?: unknown } }>>;
    data?: Record<string, Record<string, unknown>>;
    output?: Record<string, { value: unknown }>;
  };
  const resources: Record<string, number> = {};
  for (const [type, items] of Object.entries(json.resource ?? {})) resources[type] = Object.keys(items).length;
  for (const [type, items] of Object.entries(json.data ?? {})) resources[`data.${type}`] = Object.keys(items).length;
  const artifact = (zip: unknown) => {
    const file = typeof zip === "string" ? zip : "";
    const hash = /-([0-9a-f]{16})\.zip$/.exec(basename(file))?.[1] ?? "unknown";
    let size = 0;
    try {
      size = statSync(join(stackDir, file)).size;
    } catch {
      // asset missing: the runtime reports it when it deploys
    }
    return { hash, size };
  };
  const fn = Object.values(json.resource?.tencentcloud_scf_function ?? {})[0];
  const layer = Object.values(json.resource?.tencentcloud_scf_layer ?? {})[0];
  const bundle = artifact(fn?.zip_file);
  const layerArtifact = artifact(layer?.content?.zip_file);
  // The raw bundle size is recorded in the artifact manifest, by hash.
  const record = new ArtifactStore(join(REPO_ROOT, "dist", "artifacts")).readManifest().artifacts[bundle.hash];
  return {
    stack: basename(stackDir),
    resources,
    bundle: { hash: bundle.hash, zippedBytes: bundle.size, rawBytes: record?.unpackedSize ?? 0 },
    layer: { hash: layerArtifact.hash, zippedBytes: layerArtifact.size },
    ingressUrl: String(json.output?.ingress_url?.value ?? ""),
    trtcEventsUrl: String(json.output?.trtc_events_url?.value ?? ""),
  };
}
