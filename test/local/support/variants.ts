// Synthesized variants of the local stack: a copy of infra/environments with local.json changed, synthesized by
// the real cdktf app into a temp outdir, optionally with an escape-hatch override on a construct first.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, REPO_ROOT } from "../../../infra/app";
import { buildArtifacts } from "../../../infra/artifacts/build";
import { ENVIRONMENTS_DIR } from "../../../infra/environments/load";
import type { RecorderStack, RecorderStackArtifacts } from "../../../infra/stacks/recorder-stack";

let artifacts: Promise<RecorderStackArtifacts> | undefined;

export interface Variant {
  stackDir: string;
  cleanup(): void;
}

export async function synthVariant(
  change: (env: Record<string, unknown>) => Record<string, unknown>,
  tweak?: (stack: RecorderStack) => void,
): Promise<Variant> {
  artifacts ??= buildArtifacts(REPO_ROOT);
  const root = mkdtempSync(join(tmpdir(), "local-variant-"));
  const envDir = join(root, "environments");
  cpSync(ENVIRONMENTS_DIR, envDir, { recursive: true, filter: (src) => !src.endsWith(".ts") });
  const file = join(envDir, "local.json");
  writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>), null, 2));
  const outdir = join(root, "cdktf.out");
  const { app, stacks } = buildApp({ outdir, environments: ["local"], environmentsDir: envDir, artifacts: await artifacts });
  if (tweak) tweak(stacks[0]);
  app.synth();
  return { stackDir: join(outdir, "stacks", "recorder-local"), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
