import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app";
import { stackName } from "../../infra/stacks/recorder-stack";
import { loadStacks } from "../../tools/review/load-stack";
import type { TfJson } from "../../tools/review/model";
import { renderDrift, renderReview } from "../../tools/review/render-markdown";
import { driftBetween, reviewStacks, stackNameOf } from "../../tools/review/review";
import { BUNDLE_1, BUNDLE_2, COMMIT_1, LAYER_1, tempDir, workspace, writePinFile, type Workspace } from "./fixtures/workspace";

// The real synth (buildApp → cdk.tf.json) of staging and prod, twice: "base" as pinned, "head" after a change to
// prod's environment file and a promotion of a newer bundle to prod. Stand-in artifacts keep it independent of function/.
let ws: Workspace;
let base: Record<string, TfJson>;
let head: Record<string, TfJson>;
const outdirs: string[] = [];

function synth(): Record<string, TfJson> {
  const outdir = tempDir("review-synth-");
  outdirs.push(outdir);
  buildApp({ outdir, environments: ["staging", "prod"], environmentsDir: ws.environmentsDir, artifactsDir: ws.artifactsDir }).app.synth();
  return loadStacks(outdir);
}

beforeAll(() => {
  ws = workspace();
  writePinFile(ws, "staging", { bundle: BUNDLE_2, layer: LAYER_1, built: { bundle: COMMIT_1, layer: COMMIT_1 } });
  writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1, built: { bundle: COMMIT_1, layer: COMMIT_1 } });
  base = synth();
  const prodFile = join(ws.environmentsDir, "prod.json");
  const prod = JSON.parse(readFileSync(prodFile, "utf8")) as { function?: Record<string, number> };
  prod.function = { ...prod.function, recorderMemoryMb: 2048 };
  writeFileSync(prodFile, JSON.stringify(prod));
  writePinFile(ws, "prod", { bundle: BUNDLE_2, layer: LAYER_1, built: { bundle: COMMIT_1, layer: COMMIT_1 } });
  head = synth();
});
afterAll(() => {
  ws.cleanup();
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

describe("review of real synthesized stacks", () => {
  it("finds the prod changes only: memory in place, a new bundle publishing new versions, aliases following", () => {
    const stacks = reviewStacks(base, head);
    const staging = stacks.find((s) => s.stack === "recorder-staging")!;
    const prod = stacks.find((s) => s.stack === "recorder-prod")!;
    expect(staging.items).toEqual([]);
    const byLabel = Object.fromEntries(prod.items.map((i) => [i.label, i]));
    expect(byLabel["functions/recorder"]!.verdict).toBe("update");
    expect(byLabel["functions/recorder"]!.changes).toEqual(
      expect.arrayContaining([
        { path: "mem_size", before: 3072, after: 2048 },
        { path: "cos_object_name", before: `recorder-bundle@${BUNDLE_1}`, after: `recorder-bundle@${BUNDLE_2}` },
      ]),
    );
    // Versions are keyed on what they freeze: the new bundle (and memory) publishes new versions, the old ones go.
    const versions = prod.items.filter((i) => /^functions\/recorder(-api)?-version-/.test(i.label));
    expect(versions.filter((v) => v.action === "create")).toHaveLength(2);
    expect(versions.filter((v) => v.action === "delete")).toHaveLength(2);
    expect(byLabel["functions/recorder-alias"]!.changes.map((c) => c.path)).toContain("function_version");
    expect(prod.items.every((i) => i.failsAtApply.length === 0)).toBe(true);
    const md = renderReview({ title: "review", context: [], stacks });
    expect(md).toContain("Unchanged: `recorder-staging`.");
    expect(md).toContain("```mermaid");
  });

  it("names stacks as RecorderStack does (the review repeats the rule to stay light)", () => {
    expect(stackNameOf("prod")).toBe(stackName("prod"));
    expect(Object.keys(head).sort()).toEqual(["staging", "prod"].map(stackNameOf).sort());
  });

  it("compares staging and prod at the same commit: names normalized, real differences shown", () => {
    const drift = driftBetween(head, "staging", "prod", stackName);
    const changed = drift.stack.items.filter((i) => i.action === "update");
    const paths = changed.flatMap((i) => i.changes.map((c) => `${i.label}:${c.path}`));
    // The environment name is normalized away: no function name, tag, backend prefix or RECORDER_ENV difference.
    expect(paths.filter((p) => /(:name$|tags\.env|RECORDER_ENV)/.test(p) && p.startsWith("functions/recorder:"))).toEqual([]);
    expect(drift.stack.settings).toEqual([]);
    // Real differences stay: network CIDRs, and staging's function-URL ingress against prod's API Gateway.
    expect(paths).toContain("network/vpc:cidr_block");
    expect(drift.stack.items.some((i) => i.action === "delete" && i.label.startsWith("ingress/function-url"))).toBe(true);
    expect(drift.stack.items.some((i) => i.action === "create" && i.label.startsWith("ingress/"))).toBe(true);
    // "staging" is also the name of a bucket role in every environment: that must not be normalized into false drift.
    expect(paths.filter((p) => p.startsWith("buckets/staging") || p.includes("RECORDER_STAGING_BUCKET"))).toEqual([]);
    // Both run BUNDLE_2 now, so the bundle is not drift.
    expect(paths.filter((p) => p.endsWith("zip_file"))).toEqual([]);
    const md = renderDrift({ a: "staging", b: "prod", normalized: drift.normalized, context: [], stack: drift.stack });
    expect(md).toContain("# Drift: `staging` ↔ `prod`");
    expect(md).toContain("`staging` / `prod` → `<env>` in the resource-name prefix `trtc-rec-<env>`");
    expect(md).toMatch(/\| network\/vpc \| `cidr_block` \| `10\.20\.0\.0\/16` \| `10\.30\.0\.0\/16` \|/);
  });
});
