/**
 * Synthesizes every environment into cdktf.out and prints a per-stack summary: resources by type, the artifacts it
 * runs (bundle size raw and zipped), and the ingress URL expression. `npm run synth` prints it; `npm start` too.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildArtifacts } from "../infra/artifacts/build";
import { buildApp, REPO_ROOT } from "../infra/app";

export interface StackSummary {
  stack: string;
  resources: Record<string, number>;
  /** rawBytes is known when the zip is in the local store (a promoted pin may only name the published object). */
  bundle: { hash: string; zippedBytes: number; rawBytes?: number };
  layer: { hash: string; zippedBytes: number };
  /** The URL expression, or where to find it (function URL: SCF returns it, not the provider). */
  ingressUrl: string;
  trtcEventsUrl: string;
}

export async function synthAll(outdir = join(REPO_ROOT, "cdktf.out"), environments?: string[]): Promise<StackSummary[]> {
  // Only the pins of the environments being synthesized: `npm start` (local) never rebuilds prod's artifact.
  await buildArtifacts(REPO_ROOT, undefined, { environments });
  const { app, stacks } = buildApp({ outdir, environments });
  app.synth();
  return stacks.map((stack) => {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, unknown>>;
      data?: Record<string, Record<string, unknown>>;
      output: Record<string, { value: string }>;
    };
    const resources: Record<string, number> = {};
    for (const [type, items] of Object.entries(json.resource)) resources[type] = Object.keys(items).length;
    for (const [type, items] of Object.entries(json.data ?? {})) resources[`data.${type}`] = Object.keys(items).length;
    return {
      stack: stack.node.id,
      resources,
      bundle: { hash: stack.artifacts.bundle.hash, zippedBytes: stack.artifacts.bundle.size, rawBytes: stack.artifacts.bundle.unpackedSize },
      layer: { hash: stack.artifacts.layer.hash, zippedBytes: stack.artifacts.layer.size },
      ingressUrl: json.output.ingress_url?.value ?? "function URL: see the function_url_trigger output / SCF console",
      trtcEventsUrl: json.output.trtc_events_url?.value ?? "<function URL>/trtc-events",
    };
  });
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function renderSummary(summaries: StackSummary[]): string {
  const lines: string[] = [];
  for (const s of summaries) {
    const total = Object.values(s.resources).reduce((a, b) => a + b, 0);
    lines.push(`■ ${s.stack}  (${total} resources and data sources)`);
    for (const [type, n] of Object.entries(s.resources).sort()) lines.push(`    ${String(n).padStart(2)} × ${type}`);
    lines.push(`    bundle  recorder-bundle@${s.bundle.hash}: ${s.bundle.rawBytes === undefined ? "" : `${kib(s.bundle.rawBytes)} raw, `}${kib(s.bundle.zippedBytes)} zipped`);
    lines.push(`    layer   ffmpeg-layer@${s.layer.hash}: ${kib(s.layer.zippedBytes)} zipped`);
    lines.push(`    ingress ${s.ingressUrl}`);
    lines.push(`    events  ${s.trtcEventsUrl}`);
    lines.push("");
  }
  return lines.join("\n");
}

if (require.main === module) {
  synthAll()
    .then((s) => console.log(renderSummary(s)))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
