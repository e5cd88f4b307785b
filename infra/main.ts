/**
 * The cdktf app (`cdktf synth` / `cdktf deploy` run this, see cdktf.json). Builds the artifacts first (cached by
 * content, so an unchanged tree costs about a second), then synthesizes one stack per environment.
 * RECORDER_ENVS=dev,prod limits the environments.
 */
import { join } from "node:path";
import { buildArtifacts } from "./artifacts/build";
import { buildApp, REPO_ROOT } from "./app";

async function main(): Promise<void> {
  const environments = process.env.RECORDER_ENVS?.split(",").map((s) => s.trim()).filter(Boolean);
  await buildArtifacts(REPO_ROOT, join(REPO_ROOT, "dist", "artifacts"), { environments });
  const { app } = buildApp({ outdir: process.env.CDKTF_OUTDIR, environments });
  app.synth();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
