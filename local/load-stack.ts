// Loads the synthesized local stack — `cdktf.out/stacks/recorder-<env>/cdk.tf.json`, never a parallel
// configuration — synthesizing it first when it is missing or older than its inputs, and resolves it into a
// LocalDeployment the runtime serves.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildArtifacts } from "../infra/artifacts/build";
import { buildApp, REPO_ROOT } from "../infra/app";
import { stackName as stackNameOf } from "../infra/stacks/recorder-stack";
import type { StackSummary } from "../tools/synth-summary";
import type { LocalDeployment } from "../emulator/deployment";
import { storeArtifactResolver } from "./stack/artifact-objects";
import { readDeployment } from "./stack/read-deployment";
import type { LocalAccount } from "./stack/references";
import type { TfJson } from "./stack/tf-json";
import { SYNTH_INPUTS, stackFreshness } from "./synth/freshness";
import { summaryOfSynthesized, synthesizeStacks } from "./synth/synthesize";

export interface LoadStackOptions {
  account: LocalAccount;
  /** A stack folder to load as is (no freshness check, no synthesis): tests of synthesized variants. */
  stackDir?: string;
  /** cdktf output folder. @default <repo>/cdktf.out */
  outdir?: string;
  /** Environment whose stack is served. @default "local" */
  environment?: string;
  /** Environment files (variants in tests). @default infra/environments */
  environmentsDir?: string;
  /** "if-stale": synthesize when missing or older than infra/, function/ or the artifact manifest. @default "if-stale" */
  synth?: "if-stale" | "always";
}

export interface LoadedStack {
  deployment: LocalDeployment;
  /** True when this call synthesized. */
  synthesized: boolean;
  /** Why it did or did not synthesize. */
  reason: string;
  summary: StackSummary;
  synthMs: number;
}

function readStack(stackDir: string, account: LocalAccount): LocalDeployment {
  const file = join(stackDir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as TfJson;
  const name = stackDir.split(/[\\/]/).filter(Boolean).pop() ?? "stack";
  return readDeployment(json, name, stackDir, account, storeArtifactResolver(join(REPO_ROOT, "dist", "artifacts")));
}

async function synthesize(outdir: string, environment: string, environmentsDir: string | undefined): Promise<StackSummary> {
  if (!environmentsDir) {
    const [summary] = await synthesizeStacks(outdir, [environment]);
    return summary;
  }
  // These artifacts are passed to the app explicitly, so no pin is read and none needs restoring.
  const artifacts = await buildArtifacts(REPO_ROOT, undefined, { restorePins: false });
  buildApp({ outdir, environments: [environment], environmentsDir, artifacts }).app.synth();
  return summaryOfSynthesized(join(outdir, "stacks", stackNameOf(environment)));
}

export async function loadStack(opts: LoadStackOptions): Promise<LoadedStack> {
  const started = Date.now();
  if (opts.stackDir) {
    const summary = summaryOfSynthesized(opts.stackDir);
    return { deployment: readStack(opts.stackDir, opts.account), synthesized: false, reason: "stack folder given", summary, synthMs: 0 };
  }
  const environment = opts.environment ?? "local";
  const outdir = opts.outdir ?? join(REPO_ROOT, "cdktf.out");
  const stackDir = join(outdir, "stacks", stackNameOf(environment));
  const inputs = opts.environmentsDir ? [...SYNTH_INPUTS, opts.environmentsDir] : SYNTH_INPUTS;
  const freshness = opts.synth === "always" ? { fresh: false, reason: "synthesis requested" } : stackFreshness(join(stackDir, "cdk.tf.json"), REPO_ROOT, inputs);
  const summary = freshness.fresh ? summaryOfSynthesized(stackDir) : await synthesize(outdir, environment, opts.environmentsDir);
  return { deployment: readStack(stackDir, opts.account), synthesized: !freshness.fresh, reason: freshness.reason, summary, synthMs: Date.now() - started };
}
