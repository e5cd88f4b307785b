/**
 * `npm run promote` — move an environment's pin to the artifacts another environment runs. No rebuild.
 *
 *   npm run promote -- --from dev --to staging
 *   npm run promote -- --from staging --to prod [--canary 0.1]
 *   npm run promote -- --from dev --to prod --force --reason "hotfix for #123"
 *   npm run promote -- --to prod --rollback --reason "errors after 1.4"
 *   --dry-run prints the review without writing the pin.
 *
 * Prints the review of the target environment (current pin → new pin), then writes only
 * infra/environments/pins/<to>.json (temporary file + rename). On any error nothing is written.
 */
import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../../infra/app";
import { ArtifactStore } from "../../infra/artifacts/artifact-store";
import { ENVIRONMENTS_DIR } from "../../infra/environments/load";
import { applyPromotion, planPromotion, PromoteError, type PromoteRequest } from "./promote";
import { reviewPromotion } from "./review-promotion";

const USAGE = `usage: npm run promote -- --from <env> --to <env> [--force --reason "…"] [--canary <0..1>] [--dry-run]
       npm run promote -- --to <env> --rollback --reason "…"`;

/** Who promotes: the CI actor, else the git user, else the OS user. */
function whoPromotes(): string {
  if (process.env.GITHUB_ACTOR) return `${process.env.GITHUB_ACTOR} (CI)`;
  try {
    const name = execFileSync("git", ["config", "user.name"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const email = execFileSync("git", ["config", "user.email"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    if (name) return email ? `${name} <${email}>` : name;
  } catch {
    // not configured: fall back to the OS user
  }
  return process.env.USER ?? "unknown";
}

function parseCanary(weight: string | undefined, previousVersion: string | undefined): PromoteRequest["canary"] {
  if (previousVersion !== undefined) {
    throw new PromoteError("--previous-version", "nothing: each function's previous version is the one its pin's previous artifacts published (no shared number)", JSON.stringify(previousVersion));
  }
  if (weight === undefined) return undefined;
  const n = Number(weight);
  if (!Number.isFinite(n)) throw new PromoteError("--canary", "a number strictly between 0 and 1", JSON.stringify(weight));
  return { weight: n };
}

export function promoteCli(argv: string[]): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      force: { type: "boolean" },
      reason: { type: "string" },
      rollback: { type: "boolean" },
      canary: { type: "string" },
      "previous-version": { type: "string" },
      "dry-run": { type: "boolean" },
      // Fixtures (tests, experiments): another environments folder or artifact store.
      "environments-dir": { type: "string" },
      "artifacts-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return `${USAGE}\n`;
  if (!values.to) throw new PromoteError("--to", "the environment to promote into", "nothing");
  const environmentsDir = values["environments-dir"] ?? ENVIRONMENTS_DIR;
  const artifactsDir = values["artifacts-dir"] ?? join(REPO_ROOT, "dist", "artifacts");
  const plan = planPromotion(
    {
      from: values.from,
      to: values.to,
      force: values.force,
      reason: values.reason,
      rollback: values.rollback,
      canary: parseCanary(values.canary, values["previous-version"]),
    },
    { environmentsDir, store: new ArtifactStore(artifactsDir), who: whoPromotes(), now: new Date() },
  );
  const review = reviewPromotion(plan, { environmentsDir, artifactsDir });
  if (values["dry-run"]) return `${review}\n(dry run: ${relative(process.cwd(), plan.file)} not written)\n`;
  const file = applyPromotion(plan, environmentsDir);
  return `${review}\nwrote ${relative(process.cwd(), file) || file}: ${plan.summary}\n`;
}

if (require.main === module) {
  try {
    process.stdout.write(promoteCli(process.argv.slice(2)));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    console.error(USAGE);
    process.exit(1);
  }
}
