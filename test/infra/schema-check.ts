/**
 * Runs the shared stand-in for `terraform validate` (../shared/tools/check-tf-schema.mjs) on a synth output folder,
 * with `--apply`: the apply-time facts the provider and the API enforce (inline zips over 10 MB, create_before_destroy,
 * CFS ids, http trigger fields, read-back shapes). `warnings` counts the lines that are warnings.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../infra/app";

export const SCHEMA_CHECKER = join(REPO_ROOT, "..", "shared", "tools", "check-tf-schema.mjs");

export function checkTfSchema(outdir: string): { status: number; output: string; warnings: string[] } {
  if (!existsSync(SCHEMA_CHECKER)) {
    // Not a skip: CI always has ../shared beside the clone, and a missing checker must not pass silently.
    throw new Error(`the schema checker is missing at ${SCHEMA_CHECKER}; clone the project with ../shared beside it`);
  }
  const run = spawnSync(process.execPath, [SCHEMA_CHECKER, "--apply", outdir], { encoding: "utf8" });
  const output = `${run.stdout}${run.stderr}`;
  return { status: run.status ?? -1, output, warnings: output.split("\n").filter((l) => /: warning: /.test(l)) };
}
