import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp, REPO_ROOT } from "../../infra/app";
import { PropError } from "../../infra/constructs/prop-errors";
import { resolvePins } from "../../infra/environments/pins";
import { BUNDLE_1, COMMIT_1, LAYER_1, tempDir, workspace, writePinFile, type Workspace } from "./fixtures/workspace";

let ws: Workspace;
let outdir: string | undefined;
afterEach(() => {
  ws?.cleanup();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
});

// cdktf writes a max-one block as a single object (Terraform's JSON syntax accepts both forms).
type Alias = { name: string; routing_config?: { additional_version_weights: Array<{ version: string; weight: number }> } };

describe("prod canary", () => {
  it("renders the pin's canary as routing_config on the recorder and recorder-api aliases: the previous version keeps 1 - weight", () => {
    ws = workspace();
    writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1, built: { bundle: COMMIT_1, layer: COMMIT_1 }, canary: { previousVersion: "7", weight: 0.3 } });
    outdir = tempDir("canary-");
    buildApp({ outdir, environments: ["prod"], environmentsDir: ws.environmentsDir, artifactsDir: ws.artifactsDir }).app.synth();
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "recorder-prod", "cdk.tf.json"), "utf8")) as { resource: { tencentcloud_scf_function_alias: Record<string, Alias> } };
    const aliases = Object.values(json.resource.tencentcloud_scf_function_alias);
    expect(aliases).toHaveLength(2);
    for (const alias of aliases) {
      expect(alias.routing_config).toEqual({ additional_version_weights: [{ version: "7", weight: 0.7 }] });
    }
    // The provider schema check accepts the block as rendered.
    const check = spawnSync(process.execPath, [join(REPO_ROOT, "..", "shared", "tools", "check-tf-schema.mjs"), outdir], { encoding: "utf8" });
    expect(check.stdout).toContain("0 invalid");
    expect(check.status).toBe(0);
  });

  it("renders no routing_config without a canary", () => {
    ws = workspace();
    writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1 });
    outdir = tempDir("canary-");
    buildApp({ outdir, environments: ["prod"], environmentsDir: ws.environmentsDir, artifactsDir: ws.artifactsDir }).app.synth();
    expect(readFileSync(join(outdir, "stacks", "recorder-prod", "cdk.tf.json"), "utf8")).not.toContain("routing_config");
  });

  it("refuses a bad canary at construction with a PropError naming the prop", () => {
    ws = workspace();
    writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1 });
    const pinned = resolvePins("prod", ws.store, ws.environmentsDir);
    const out = tempDir("canary-");
    outdir = out;
    const build = (canary: { previousVersion: string; weight: number }) => () =>
      buildApp({ outdir: out, environments: ["prod"], environmentsDir: ws.environmentsDir, artifacts: { ...pinned, canary } });
    expect(build({ previousVersion: "7", weight: 1.5 })).toThrowError(PropError);
    expect(build({ previousVersion: "7", weight: 1.5 })).toThrowError("RecorderFunction: props.canary.weight must be the new version's share of traffic, strictly between 0 and 1 (got 1.5)");
    expect(build({ previousVersion: "7", weight: 0 })).toThrowError(/props\.canary\.weight/);
    expect(build({ previousVersion: "latest", weight: 0.1 })).toThrowError(/props\.canary\.previousVersion must be a published SCF version number/);
  });
});
