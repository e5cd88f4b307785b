// What a deploy after the first one does to versions, aliases and layers (issue: every later deploy must apply):
// versions keyed on everything they freeze, create_before_destroy where SCF refuses a delete, explicit routing,
// a canary whose previous version is each function's own retained version resource.
import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import type { ArtifactRef } from "../../infra/artifacts/artifact-store";
import { ExecutionRole } from "../../infra/constructs/execution-role";
import { FfmpegLayer } from "../../infra/constructs/ffmpeg-layer";
import { RecorderFunction, type RecorderFunctionProps } from "../../infra/constructs/recorder-function";

const sha = (h: string) => h.repeat(4);
const bundle = (hash: string): ArtifactRef => ({ kind: "recorder-bundle", hash, sha256: sha(hash), size: 1, sourceCommit: "t" });
const layerArtifact = (hash: string): ArtifactRef => ({ kind: "ffmpeg-layer", hash, sha256: sha(hash), size: 1, sourceCommit: "t" });
const artifactBucket = { bucket: "art-1250000000", region: "ap-guangzhou" };

type Resources = Record<string, Record<string, Record<string, unknown>>>;
function synth(opts: { bundle: string; layer: string; canary?: { weight: number; bundle: string; layer: string }; extra?: Partial<RecorderFunctionProps> }): Resources {
  const stack = new TerraformStack(Testing.app(), "versions");
  const canary = opts.canary ? { weight: opts.canary.weight, previous: { bundle: bundle(opts.canary.bundle), layer: layerArtifact(opts.canary.layer) } } : undefined;
  const layer = new FfmpegLayer(stack, "ffmpeg", { artifact: layerArtifact(opts.layer), retained: canary ? [canary.previous.layer] : [], artifactBucket });
  const role = new ExecutionRole(stack, "role", { region: "ap-guangzhou", appId: "1250000000", uin: "1", kmsKeyId: "k", namespace: "default", functionNames: ["trtc-recorder"] });
  new RecorderFunction(stack, "functions", { bundle: bundle(opts.bundle), artifactBucket, layer, role, canary, ...opts.extra });
  return (JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource;
}
const versionNames = (r: Resources) => Object.keys(r.tencentcloud_scf_function_version!).sort();

describe("publishing versions and layers", () => {
  it("keys versions on bundle, layer and configuration, so a config-only change also reaches the alias", () => {
    const base = versionNames(synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" }));
    expect(base).toHaveLength(2);
    expect(versionNames(synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" }))).toEqual(base);
    for (const changed of [
      { bundle: "bbbbbbbbbbbbbbbb", layer: "1111111111111111" },
      { bundle: "aaaaaaaaaaaaaaaa", layer: "2222222222222222" },
      { bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111", extra: { environment: { RECORDER_ENV: "other" } } },
      { bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111", extra: { recorderMemoryMb: 1024 } },
      { bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111", extra: { asyncRetries: 0 } },
    ]) {
      const names = versionNames(synth(changed));
      expect(names.filter((n) => base.includes(n)).length, JSON.stringify(changed)).toBeLessThan(2);
    }
  });

  it("creates before it destroys: versions (alias moves first) and layers (functions move first); versions go before their layer", () => {
    const r = synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" });
    const [layerName] = Object.keys(r.tencentcloud_scf_layer!);
    for (const v of Object.values(r.tencentcloud_scf_function_version!)) {
      expect(v.lifecycle).toEqual({ create_before_destroy: true });
      expect(v.depends_on).toContain(`tencentcloud_scf_layer.${layerName}`);
    }
    expect(r.tencentcloud_scf_layer![layerName!]!.lifecycle).toEqual({ create_before_destroy: true });
  });

  it("changes the alias description with the version key, since the provider only updates an alias whose description or routing changes", () => {
    const a = synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" });
    const b = synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111", extra: { recorderMemoryMb: 1024 } });
    const desc = (r: Resources) => Object.values(r.tencentcloud_scf_function_alias!).map((x) => String(x.description)).sort();
    expect(desc(a)).not.toEqual(desc(b));
    for (const [name, alias] of Object.entries(a.tencentcloud_scf_function_alias!)) {
      const version = String(alias.function_version);
      const key = /-version-([0-9a-f]{16})_/.exec(version)![1];
      expect(String(alias.description), name).toContain(`version key ${key}`);
    }
  });

  it("writes every alias with an explicit routing_config, empty without a canary (clears a finished canary's weights)", () => {
    const r = synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" });
    for (const alias of Object.values(r.tencentcloud_scf_function_alias!)) expect(alias.routing_config).toEqual({ additional_version_weights: [] });
  });

  it("under a canary routes the rest to each function's own retained previous version, and keeps its layer", () => {
    const previous = synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" });
    const r = synth({ bundle: "bbbbbbbbbbbbbbbb", layer: "2222222222222222", canary: { weight: 0.1, bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" } });
    // The previous versions keep their addresses: Terraform leaves them as they are (nothing is republished).
    for (const name of versionNames(previous)) expect(versionNames(r)).toContain(name);
    expect(Object.keys(r.tencentcloud_scf_layer!)).toEqual(expect.arrayContaining(Object.keys(previous.tencentcloud_scf_layer!)));
    const aliases = Object.entries(r.tencentcloud_scf_function_alias!);
    expect(aliases).toHaveLength(2);
    for (const [name, alias] of aliases) {
      const role = name.includes("recorder-api") ? "recorder-api" : "recorder";
      const weights = (alias.routing_config as { additional_version_weights: Array<{ version: string; weight: number }> }).additional_version_weights;
      expect(weights).toHaveLength(1);
      expect(weights[0]!.weight).toBe(0.9);
      // A reference to this function's own previous version resource, never a literal number shared by both.
      const previousOfRole = versionNames(previous).find((n) => n.startsWith(`functions_${role}-version-`))!;
      expect(weights[0]!.version).toBe(`\${tencentcloud_scf_function_version.${previousOfRole}.function_version}`);
    }
  });

  it("refuses a canary whose previous layer the FfmpegLayer does not keep", () => {
    const stack = new TerraformStack(Testing.app(), "bad");
    const layer = new FfmpegLayer(stack, "ffmpeg", { artifact: layerArtifact("2222222222222222"), artifactBucket });
    const role = new ExecutionRole(stack, "role", { region: "ap-guangzhou", appId: "1250000000", uin: "1", kmsKeyId: "k", namespace: "default", functionNames: ["f"] });
    expect(
      () =>
        new RecorderFunction(stack, "functions", {
          bundle: bundle("bbbbbbbbbbbbbbbb"),
          artifactBucket,
          layer,
          role,
          canary: { weight: 0.1, previous: { bundle: bundle("aaaaaaaaaaaaaaaa"), layer: layerArtifact("1111111111111111") } },
        }),
    ).toThrow(/props\.canary\.previous\.layer must be a layer the FfmpegLayer keeps/);
  });

  it("takes code from the artifact bucket: the function with -APPID (the provider strips it), the layer without", () => {
    const r = synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" });
    for (const fn of Object.values(r.tencentcloud_scf_function!)) {
      expect(fn).toMatchObject({ cos_bucket_name: "art-1250000000", cos_object_name: `recorder-bundle/${sha("aaaaaaaaaaaaaaaa")}.zip`, cos_bucket_region: "ap-guangzhou" });
      expect(fn.zip_file).toBeUndefined();
    }
    const [layer] = Object.values(r.tencentcloud_scf_layer!);
    expect(layer!.content).toEqual({ cos_bucket_name: "art", cos_object_name: `ffmpeg-layer/${sha("1111111111111111")}.zip`, cos_bucket_region: "ap-guangzhou" });
  });

  it("publishes the recorder's version after its async retry policy is written (SCF keeps that policy per function)", () => {
    const r = synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111" });
    const [configName] = Object.keys(r.tencentcloud_scf_function_event_invoke_config!);
    const recorderVersion = Object.entries(r.tencentcloud_scf_function_version!).find(([n]) => n.startsWith("functions_recorder-version-"))![1];
    expect(recorderVersion.depends_on).toContain(`tencentcloud_scf_function_event_invoke_config.${configName}`);
  });

  it("reserves and provisions concurrency when asked, provisioned on the live version", () => {
    const r = synth({ bundle: "aaaaaaaaaaaaaaaa", layer: "1111111111111111", extra: { recorderReservedConcurrency: 50, apiReservedConcurrency: 20, apiProvisionedConcurrency: 5 } });
    const reserved = Object.values(r.tencentcloud_scf_reserved_concurrency_config!).map((c) => c.reserved_concurrency_mem).sort();
    expect(reserved).toEqual([102400, 5120]);
    const [provisioned] = Object.values(r.tencentcloud_scf_provisioned_concurrency_config!);
    expect(provisioned).toMatchObject({ version_provisioned_concurrency_num: 5 });
    expect(String(provisioned!.qualifier)).toMatch(/^\$\{tencentcloud_scf_function_version\.functions_recorder-api-version-[0-9a-f]{16}_[0-9A-F]+\.function_version\}$/);
  });
});
