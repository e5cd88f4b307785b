/**
 * Loads and validates environment files. Errors name the environment, the file, the field, what was expected and
 * what was given, all of them at once, so a bad file is fixed in one round.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as v from "valibot";
import { EnvironmentSchema, type EnvironmentConfig } from "./schema";
import { TRTC_RECORDING_REGIONS } from "../../function/engine/trtc-region";

export const ENVIRONMENTS_DIR = __dirname;
/** Promotion order; `local` is outside it (it never deploys to a cloud). */
export const PROMOTION_ORDER = ["dev", "staging", "prod"] as const;

export class EnvironmentError extends Error {
  constructor(
    readonly environment: string,
    readonly file: string,
    readonly problems: Array<{ field: string; expected: string; got: string }>,
  ) {
    super(
      `environment "${environment}" (${file}) is invalid:\n` +
        problems.map((p) => `  - ${p.field}: ${p.expected}, got ${p.got}`).join("\n"),
    );
    this.name = "EnvironmentError";
  }
}

/** A value as an error message shows it: JSON, shortened. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const s = JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Checks the rules the schema cannot express (relations between fields). */
function crossFieldProblems(env: EnvironmentConfig, fileName: string): Array<{ field: string; expected: string; got: string }> {
  const problems: Array<{ field: string; expected: string; got: string }> = [];
  if (env.name !== fileName) problems.push({ field: "name", expected: `expected "${fileName}" (the file name)`, got: show(env.name) });
  if (env.storage?.enabled && !env.network) {
    problems.push({ field: "network", expected: "expected a network when storage.enabled is true (CFS lives in a VPC)", got: "nothing" });
  }
  if (env.storage?.fileSystemId && env.network && !("vpcId" in env.network)) {
    problems.push({
      field: "network",
      expected: "expected {vpcId, subnetId} of the existing file system's VPC when storage.fileSystemId is set (SCF mounts a CFS only from its own VPC)",
      got: show(env.network),
    });
  }
  if (env.storage?.mountTargetId && !env.storage.fileSystemId) {
    problems.push({ field: "storage.mountTargetId", expected: "expected only together with storage.fileSystemId", got: show(env.storage.mountTargetId) });
  }
  if (env.role?.create === false && !env.role.name) {
    problems.push({ field: "role.name", expected: "expected the name of the existing role when role.create is false (e.g. SCF_ExecuteRole)", got: "nothing" });
  }
  if (env.ingress?.auth === false && !env.ingress.authOptOutReason) {
    problems.push({ field: "ingress.authOptOutReason", expected: "expected a reason when ingress.auth is false", got: "nothing" });
  }
  if (!env.trtcRegion && !TRTC_RECORDING_REGIONS.includes(env.region)) {
    problems.push({ field: "trtcRegion", expected: `expected one of ${TRTC_RECORDING_REGIONS.join(", ")}: TRTC cloud recording does not serve ${env.region}`, got: "nothing" });
  }
  if (env.endpoint && env.name !== "local") {
    problems.push({ field: "endpoint", expected: 'expected no endpoint outside "local" (a cloud environment talks to Tencent Cloud itself)', got: show(env.endpoint) });
  }
  if (env.name === "local" && env.backend.kind !== "local") {
    problems.push({ field: "backend.kind", expected: 'expected "local" for the local environment', got: show(env.backend.kind) });
  }
  return problems;
}

/** valibot's issues as `field: expected …, got …` problems (schemas phrase their messages as "expected …"). */
export function problemsOf(issues: readonly v.BaseIssue<unknown>[]): Array<{ field: string; expected: string; got: string }> {
  return issues.map((issue) => ({
    field: v.getDotPath(issue) ?? (issue.type === "strict_object" ? "(unknown key)" : "(file)"),
    expected: issue.message,
    got: show(issue.input),
  }));
}

export function parseEnvironment(raw: unknown, fileName: string, file: string): EnvironmentConfig {
  const result = v.safeParse(EnvironmentSchema, raw);
  if (!result.success) throw new EnvironmentError(fileName, file, problemsOf(result.issues));
  const problems = crossFieldProblems(result.output, fileName);
  if (problems.length) throw new EnvironmentError(fileName, file, problems);
  return result.output;
}

export function loadEnvironment(name: string, dir = ENVIRONMENTS_DIR): EnvironmentConfig {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) {
    throw new EnvironmentError(name, file, [{ field: "(file)", expected: `expected ${file} to exist (known: ${listEnvironments(dir).join(", ")})`, got: "no file" }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new EnvironmentError(name, file, [{ field: "(file)", expected: "expected valid JSON", got: (err as Error).message }]);
  }
  return parseEnvironment(raw, name, file);
}

export function listEnvironments(dir = ENVIRONMENTS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => basename(f, ".json"))
    .sort((a, b) => order(a) - order(b));
}

function order(name: string): number {
  const i = ["local", ...PROMOTION_ORDER].indexOf(name);
  return i === -1 ? 100 : i;
}
