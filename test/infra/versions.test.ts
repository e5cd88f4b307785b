import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import type { ArtifactRef } from "../../infra/artifacts/artifact-store";
import { ExecutionRole } from "../../infra/constructs/execution-role";
import { FfmpegLayer } from "../../infra/constructs/ffmpeg-layer";
import { RecorderFunction } from "../../infra/constructs/recorder-function";

const bundle = (hash: string): ArtifactRef => ({ kind: "recorder-bundle", hash, path: __filename, size: 1, unpackedSize: 1, sourceCommit: "t" });
const layerArtifact = (hash: string): ArtifactRef => ({ kind: "ffmpeg-layer", hash, path: __filename, size: 1, unpackedSize: 1, sourceCommit: "t" });

function synth(opts: { bundle: string; layer: string; canary?: { previousVersion: string; weight: number; previousBundle?: string } }) {
  const stack = new TerraformStack(Testing.app(), "versions");
  const layer = new FfmpegLayer(stack, "ffmpeg", { artifact: layerArtifact(opts.layer) });
  const role = new ExecutionRole(stack, "role", { region: "ap-guangzhou", appId: "1250000000", uin: "1", kmsKeyId: "k", namespace: "default", functionNames: ["trtc-recorder"] });
  new RecorderFunction(stack, "functions", { bundle: bundle(opts.bundle), layer, role, canary: opts.canary });
  return JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
}

describe("publishing versions and layers", () => {
  it("addresses each published version by its bundle hash, so new code publishes a new version", () => {
    const a = Object.keys(synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" }).resource.tencentcloud_scf_function_version!);
    const b = Object.keys(synth({ bundle: "bbbbbbbbbbbbbbbb", layer: "1111111111111111" }).resource.tencentcloud_scf_function_version!);
    expect(a.every((k) => k.includes("aaaaaaaaaaaaaaaa"))).toBe(true);
    expect(b.every((k) => k.includes("bbbbbbbbbbbbbbbb"))).toBe(true);
    expect(a).toHaveLength(2);
  });

  it("under a canary keeps the previous bundle's version published and routes the rest of the traffic to it", () => {
    const out = synth({ bundle: "bbbbbbbbbbbbbbbb", layer: "1111111111111111", canary: { previousVersion: "12", weight: 0.1, previousBundle: "aaaaaaaaaaaaaaaa" } });
    const versions = Object.values(out.resource.tencentcloud_scf_function_version!).map((v) => v.description).sort();
    expect(versions).toEqual(["bundle aaaaaaaaaaaaaaaa", "bundle aaaaaaaaaaaaaaaa", "bundle bbbbbbbbbbbbbbbb", "bundle bbbbbbbbbbbbbbbb"]);
    for (const alias of Object.values(out.resource.tencentcloud_scf_function_alias!)) {
      expect(alias.routing_config).toEqual({ additional_version_weights: [{ version: "12", weight: 0.9 }] });
      expect(String(alias.function_version)).toContain("bbbbbbbbbbbbbbbb");
    }
  });

  it("addresses the ffmpeg layer by its artifact hash (the provider's layer update is a no-op)", () => {
    const layers = Object.keys(synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "2222222222222222" }).resource.tencentcloud_scf_layer!);
    expect(layers).toHaveLength(1);
    expect(layers[0]).toContain("2222222222222222");
  });
});
