import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp, REPO_ROOT } from "../../infra/app";
import { PropError } from "../../infra/constructs/prop-errors";
import { resolvePins } from "../../infra/environments/pins";
import { BUNDLE_1, BUNDLE_2, COMMIT_1, LAYER_1, tempDir, workspace, writePinFile, type Workspace } from "./fixtures/workspace";

let ws: Workspace;
let outdir: string | undefined;
afterEach(() => {
  ws?.cleanup();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
});

// cdktf writes a max-one block as a single object (Terraform's JSON syntax accepts both forms).
type Alias = { name: string; routing_config?: { additional_version_weights: Array<{ version: string; weight: number }> } };
type Stack = { resource: { tencentcloud_scf_function_alias: Record<string, Alias>; tencentcloud_scf_function_version: Record<string, { description: string }> } };

function synthProd(): Stack {
  outdir = tempDir("canary-");
  buildApp({ outdir, environments: ["prod"], environmentsDir: ws.environmentsDir, artifactsDir: ws.artifactsDir }).app.synth();
  return JSON.parse(readFileSync(join(outdir, "stacks", "recorder-prod", "cdk.tf.json"), "utf8")) as Stack;
}

describe("prod canary", () => {
  it("routes 1 - weight to each function's previous version, published from the pin's previous artifacts", () => {
    ws = workspace();
    writePinFile(ws, "prod", {
      bundle: BUNDLE_2,
      layer: LAYER_1,
      built: { bundle: COMMIT_1, layer: COMMIT_1 },
      canary: { weight: 0.3 },
      previous: { bundle: BUNDLE_1, layer: LAYER_1 },
    });
    const json = synthProd();
    const aliases = Object.values(json.resource.tencentcloud_scf_function_alias);
    expect(aliases).toHaveLength(2);
    const versions = json.resource.tencentcloud_scf_function_version;
    for (const alias of aliases) {
      const [w] = alias.routing_config!.additional_version_weights;
      expect(w!.weight).toBe(0.7);
      const previous = /tencentcloud_scf_function_version\.([^.]+)\.function_version/.exec(w!.version)![1]!;
      expect(versions[previous]!.description).toContain(`bundle ${BUNDLE_1}`);
    }
    // The provider schema check, with the apply-time facts, accepts it as rendered.
    const check = spawnSync(process.execPath, [join(REPO_ROOT, "..", "shared", "tools", "check-tf-schema.mjs"), "--apply", outdir!], { encoding: "utf8" });
    expect(check.stdout).toContain("0 invalid");
    expect(check.stdout + check.stderr).not.toContain("warning");
    expect(check.status).toBe(0);
  });

  it("finishing the canary (no canary in the pin) writes an empty routing_config, which clears the weights", () => {
    ws = workspace();
    writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1 });
    for (const alias of Object.values(synthProd().resource.tencentcloud_scf_function_alias)) {
      expect(alias.routing_config).toEqual({ additional_version_weights: [] });
    }
  });

  it("refuses a canary without the previous artifacts, and a bad weight with a PropError naming the prop", () => {
    ws = workspace();
    writePinFile(ws, "prod", { bundle: BUNDLE_2, layer: LAYER_1, canary: { weight: 0.3 } });
    expect(() => resolvePins("prod", ws.store, ws.environmentsDir)).toThrowError(/previous: expected the artifacts live before this pin/);
    writePinFile(ws, "prod", { bundle: BUNDLE_2, layer: LAYER_1, previous: { bundle: BUNDLE_1, layer: LAYER_1 } });
    const pinned = resolvePins("prod", ws.store, ws.environmentsDir);
    const previous = resolvePins("prod", ws.store, ws.environmentsDir);
    const out = tempDir("canary-");
    outdir = out;
    const build = (weight: number) => () =>
      buildApp({ outdir: out, environments: ["prod"], environmentsDir: ws.environmentsDir, artifacts: { ...pinned, canary: { weight, previous } } });
    expect(build(1.5)).toThrowError(PropError);
    expect(build(1.5)).toThrowError("RecorderFunction: props.canary.weight must be the new version's share of traffic, strictly between 0 and 1 (got 1.5)");
    expect(build(0)).toThrowError(/props\.canary\.weight/);
  });
});
