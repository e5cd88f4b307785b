import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app";
import { EnvironmentError } from "../../infra/environments/load";
import { pinnedArtifacts, resolvePins } from "../../infra/environments/pins";
import { BUNDLE_1, BUNDLE_2, COMMIT_1, LAYER_1, tempDir, workspace, writePinFile, type Workspace } from "./fixtures/workspace";

let ws: Workspace;
afterEach(() => ws?.cleanup());

const pin = (bundle: string, extra: Record<string, unknown> = {}) => ({ bundle, layer: LAYER_1, built: { bundle: COMMIT_1, layer: COMMIT_1 }, ...extra });

function zipFileOf(outdir: string, env: string): string {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", `recorder-${env}`, "cdk.tf.json"), "utf8")) as {
    resource: { tencentcloud_scf_function: Record<string, { cos_object_name: string }> };
  };
  return Object.values(json.resource.tencentcloud_scf_function)[0]!.cos_object_name;
}

describe("pins", () => {
  it("lets dev follow the latest build when it has no pin", () => {
    ws = workspace();
    const artifacts = resolvePins("dev", ws.store, ws.environmentsDir);
    expect(artifacts.bundle.hash).toBe(BUNDLE_2);
    expect(artifacts.layer.hash).toBe(LAYER_1);
  });

  it("refuses to synthesize staging or prod without a pin file, naming the file and the promote command", () => {
    ws = workspace();
    for (const [env, from] of [["staging", "dev"], ["prod", "staging"]] as const) {
      const err = (() => {
        try {
          resolvePins(env, ws.store, ws.environmentsDir);
        } catch (e) {
          return e as EnvironmentError;
        }
        throw new Error("expected a failure");
      })();
      expect(err).toBeInstanceOf(EnvironmentError);
      expect(err.file).toBe(join(ws.environmentsDir, "pins", `${env}.json`));
      expect(err.message).toContain(`npm run promote -- --from ${from} --to ${env}`);
    }
  });

  it("synthesizes each environment on its pinned artifact, not the latest one", () => {
    ws = workspace();
    writePinFile(ws, "staging", pin(BUNDLE_1));
    writePinFile(ws, "prod", pin(BUNDLE_1));
    const outdir = tempDir("pins-synth-");
    try {
      buildApp({ outdir, environments: ["dev", "prod"], environmentsDir: ws.environmentsDir, artifactsDir: ws.artifactsDir }).app.synth();
      expect(zipFileOf(outdir, "prod")).toMatch(new RegExp(`^recorder-bundle/${BUNDLE_1}0+\\.zip$`));
      expect(zipFileOf(outdir, "dev")).toMatch(new RegExp(`^recorder-bundle/${BUNDLE_2}0+\\.zip$`));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("fails precisely when the pinned artifact is not in the store: the hash, the commit it was built from, the remedy", () => {
    ws = workspace();
    writePinFile(ws, "prod", pin("0000000000000000"));
    expect(() => resolvePins("prod", ws.store, ws.environmentsDir)).toThrowError(
      new RegExp(`bundle: expected recorder-bundle 0000000000000000 \\(built from ${COMMIT_1}\\) in .*npm run build.*got only ${BUNDLE_1}, ${BUNDLE_2}`),
    );
  });

  it("names the field, what was expected and what was given for a malformed pin", () => {
    ws = workspace();
    writePinFile(ws, "prod", { bundle: "latest", layer: LAYER_1, colour: "blue" });
    expect(() => resolvePins("prod", ws.store, ws.environmentsDir)).toThrowError(/bundle: expected a 16-hex artifact hash like .*, got "latest"/);
    writePinFile(ws, "prod", "{ not json");
    expect(() => resolvePins("prod", ws.store, ws.environmentsDir)).toThrowError(/\(file\): expected valid JSON/);
  });

  it("accepts a canary only in prod, with a weight strictly between 0 and 1 and no version number", () => {
    ws = workspace();
    writePinFile(ws, "staging", pin(BUNDLE_1, { canary: { weight: 0.1 } }));
    expect(() => resolvePins("staging", ws.store, ws.environmentsDir)).toThrowError(/canary: expected no canary \(canary routing is for prod only\)/);
    writePinFile(ws, "prod", pin(BUNDLE_1, { canary: { weight: 1 }, previous: { bundle: BUNDLE_2, layer: LAYER_1 } }));
    expect(() => resolvePins("prod", ws.store, ws.environmentsDir)).toThrowError(/canary\.weight: expected a share strictly between 0 and 1/);
    writePinFile(ws, "prod", pin(BUNDLE_1, { canary: { previousVersion: "3", weight: 0.2 }, previous: { bundle: BUNDLE_2, layer: LAYER_1 } }));
    expect(() => resolvePins("prod", ws.store, ws.environmentsDir)).toThrowError(/\(unknown key\)|previousVersion/);
    writePinFile(ws, "prod", pin(BUNDLE_1, { canary: { weight: 0.2 }, previous: { bundle: BUNDLE_2, layer: LAYER_1 } }));
    const canary = resolvePins("prod", ws.store, ws.environmentsDir).canary!;
    expect(canary.weight).toBe(0.2);
    expect(canary.previous.bundle.hash).toBe(BUNDLE_2);
  });

  it("refuses a published sha256 that is not the pinned artifact's", () => {
    ws = workspace();
    writePinFile(ws, "prod", pin(BUNDLE_1, { published: { bundle: { sha256: "e".repeat(64), size: 1 }, layer: { sha256: LAYER_1.padEnd(64, "0"), size: 1 } } }));
    expect(() => resolvePins("prod", ws.store, ws.environmentsDir)).toThrowError(/published\.bundle\.sha256: expected the SHA-256 of recorder-bundle b1b1b1b1b1b1b1b1/);
  });

  it("lists every pinned artifact with the commit it was built from (what a fresh clone rebuilds)", () => {
    ws = workspace();
    writePinFile(ws, "prod", pin(BUNDLE_1));
    expect(pinnedArtifacts(ws.environmentsDir)).toEqual([
      { env: "prod", file: join(ws.environmentsDir, "pins", "prod.json"), kind: "recorder-bundle", hash: BUNDLE_1, builtFrom: COMMIT_1 },
      { env: "prod", file: join(ws.environmentsDir, "pins", "prod.json"), kind: "ffmpeg-layer", hash: LAYER_1, builtFrom: COMMIT_1 },
    ]);
  });
});
