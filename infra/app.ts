/**
 * Builds the cdktf App: one RecorderStack per environment, each on the artifacts it pins (or the latest build).
 * Shared by `infra/main.ts` (what `cdktf synth` runs), `npm start`, the tools and the tests.
 */
import { App } from "cdktf";
import { join } from "node:path";
import { ArtifactStore } from "./artifacts/artifact-store";
import { listEnvironments, loadEnvironment } from "./environments/load";
import { RecorderStack, type RecorderStackArtifacts } from "./stacks/recorder-stack";
import { resolvePins } from "./environments/pins";

export interface BuildAppOptions {
  /** Output folder. @default "cdktf.out" in the repository root */
  outdir?: string;
  /** Environments to synthesize. @default every file in infra/environments */
  environments?: string[];
  /** Folder of environment files (tests use fixtures). @default infra/environments */
  environmentsDir?: string;
  /** Artifact folder. @default dist/artifacts */
  artifactsDir?: string;
  /** Use these artifacts for every environment instead of the pins (tests). */
  artifacts?: RecorderStackArtifacts;
}

export const REPO_ROOT = join(__dirname, "..");

export function buildApp(options: BuildAppOptions = {}): { app: App; stacks: RecorderStack[] } {
  const app = new App({ outdir: options.outdir ?? join(REPO_ROOT, "cdktf.out") });
  const dir = options.environmentsDir;
  const names = options.environments ?? listEnvironments(dir);
  const store = new ArtifactStore(options.artifactsDir ?? join(REPO_ROOT, "dist", "artifacts"));
  const stacks = names.map((name) => {
    const env = loadEnvironment(name, dir);
    const artifacts = options.artifacts ?? resolvePins(env.name, store, dir);
    return new RecorderStack(app, env, artifacts);
  });
  return { app, stacks };
}
