/**
 * Promotion moves a pin, never rebuilds: the target environment gets exactly the bytes the source environment runs.
 * `planPromotion` checks everything and computes the new pin without writing; `applyPromotion` writes the one pin
 * file atomically. Order: dev → staging → prod; skipping or reversing it takes `force` plus a written reason.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isReproducibleCommit, type ArtifactStore } from "../../infra/artifacts/artifact-store";
import { listEnvironments, PROMOTION_ORDER } from "../../infra/environments/load";
import { CANARY_ENVIRONMENTS, mustPin, parsePin, pinPath, promotesFrom, readPin, resolvePins, writePin, type PinFile } from "../../infra/environments/pins";

/** A refused promotion, as a value: which option, what was expected, what was given. */
export class PromoteError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`promote: ${field}: expected ${expected}, got ${got}`);
    this.name = "PromoteError";
  }
}

export interface PromoteRequest {
  /** Environment whose artifacts are promoted (not with rollback). */
  from?: string;
  /** Environment whose pin is moved. */
  to: string;
  /** Allow leaving the order dev → staging → prod, or pinning an artifact built from uncommitted code. */
  force?: boolean;
  /** Why; required with force and rollback, recorded in the pin. */
  reason?: string;
  /** Pin what `to` ran before its current pin (the pin's `previous`). */
  rollback?: boolean;
  /** Prod only: route `weight` of the traffic to the new version, the rest to the version live now. */
  canary?: { weight: number };
}

export interface PromoteContext {
  /** Folder of environment files; pins live in its `pins/`. */
  environmentsDir: string;
  store: ArtifactStore;
  /** Who promotes (git user, CI actor). */
  who: string;
  now: Date;
}

export interface PromotionPlan {
  env: string;
  file: string;
  before?: PinFile;
  after: PinFile;
  /** One line for people: what moves where. */
  summary: string;
}

const show = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));

function requireEnvironment(field: string, env: string | undefined, dir: string): string {
  const known = listEnvironments(dir);
  if (!env || !existsSync(join(dir, `${env}.json`))) throw new PromoteError(field, `one of ${known.join(", ")}`, show(env));
  return env;
}

/** The commit to rebuild from: the first reproducible one we know, else whatever was recorded. */
function bestCommit(...commits: Array<string | undefined>): string | undefined {
  return commits.find((c) => c && isReproducibleCommit(c)) ?? commits.find(Boolean);
}

function withRecord(pin: Omit<PinFile, "promotion">, promotion: NonNullable<PinFile["promotion"]>, before: PinFile | undefined, file: string, env: string): PinFile {
  const previous = before
    ? { bundle: before.bundle, layer: before.layer, ...(before.built ? { built: before.built } : {}), ...(before.published ? { published: before.published } : {}) }
    : undefined;
  const next: PinFile = { ...pin, promotion, ...(previous ? { previous } : {}) };
  return parsePin(next, env, file); // the same validation synth applies, before anything is written
}

export function planPromotion(req: PromoteRequest, ctx: PromoteContext): PromotionPlan {
  const dir = ctx.environmentsDir;
  const to = requireEnvironment("--to", req.to, dir);
  const file = pinPath(to, dir);
  const before = readPin(to, dir);
  const reason = req.reason?.trim() || undefined;
  if (req.canary && !CANARY_ENVIRONMENTS.includes(to)) throw new PromoteError("--canary", `no canary unless --to is ${CANARY_ENVIRONMENTS.join(" or ")}`, show(req.canary.weight));
  const canary = req.canary ? { canary: req.canary } : {};
  const at = ctx.now.toISOString();

  if (req.rollback) {
    if (req.from) throw new PromoteError("--from", "no --from with --rollback (a rollback pins the target's previous artifacts)", show(req.from));
    if (!reason) throw new PromoteError("--reason", "a reason for the rollback", "nothing");
    if (!before?.previous) throw new PromoteError(`${file} previous`, "a previous pin to roll back to (promote an older artifact with --force instead)", before ? "a pin without previous" : "no pin file");
    // The previous artifacts are in the artifact bucket when the pin recorded them as published; else the local store.
    for (const [kind, field] of [["recorder-bundle", "bundle"], ["ffmpeg-layer", "layer"]] as const) {
      const hash = before.previous[field];
      if (!before.previous.published && !ctx.store.find(kind, hash)) {
        throw new PromoteError(`${file} previous`, `${kind} ${hash} recorded as published, or in ${ctx.store.dir}`, "neither");
      }
    }
    const after = withRecord({ ...before.previous, ...canary }, { kind: "rollback", by: ctx.who, at, reason }, before, file, to);
    return { env: to, file, before, after, summary: `${to}: roll back to recorder-bundle@${after.bundle}, ffmpeg-layer@${after.layer}` };
  }

  const from = requireEnvironment("--from", req.from, dir);
  if (from === to) throw new PromoteError("--from", `an environment other than --to (${to})`, show(from));
  const ordered = promotesFrom(to) === from;
  if (!ordered && !req.force) {
    const expected = promotesFrom(to)
      ? `"${promotesFrom(to)}" (the order is ${PROMOTION_ORDER.join(" → ")}; to skip it pass --force --reason "…")`
      : `no promotion into ${to} outside ${PROMOTION_ORDER.join(" → ")} without --force --reason "…"`;
    throw new PromoteError("--from", expected, show(from));
  }
  if (req.force && !reason) throw new PromoteError("--reason", "a reason when --force is given (it is recorded in the pin)", "nothing");

  // The source must really exist before anything moves: this throws the same precise error synth would.
  const source = resolvePins(from, ctx.store, dir);
  const sourcePin = readPin(from, dir);
  const built = {
    bundle: bestCommit(sourcePin?.built?.bundle, source.bundle.sourceCommit),
    layer: bestCommit(sourcePin?.built?.layer, source.layer.sourceCommit),
  };
  if (mustPin(to) && !req.force) {
    for (const field of ["bundle", "layer"] as const) {
      const commit = built[field];
      if (!commit || !isReproducibleCommit(commit)) {
        throw new PromoteError(
          `${from} ${field} source`,
          `an artifact built from a committed tree, so a fresh clone can rebuild it (commit, then \`npm run build\`; or --force --reason "…")`,
          show(commit ?? "unknown"),
        );
      }
    }
  }
  const after = withRecord(
    {
      bundle: source.bundle.hash,
      layer: source.layer.hash,
      built: { ...(built.bundle ? { bundle: built.bundle } : {}), ...(built.layer ? { layer: built.layer } : {}) },
      // What deploy takes from the artifact bucket: with it, synth and the next promotion need no local zip at all.
      published: {
        bundle: { sha256: source.bundle.sha256, size: source.bundle.size },
        layer: { sha256: source.layer.sha256, size: source.layer.size },
      },
      ...canary,
    },
    { kind: "promote", from, by: ctx.who, at, ...(reason ? { reason } : {}), ...(req.force ? { forced: true } : {}) },
    before,
    file,
    to,
  );
  const moved = before && before.bundle === after.bundle && before.layer === after.layer ? " (already pinned; record updated)" : "";
  const canaryText = req.canary ? `, canary ${req.canary.weight} (the version live now keeps the rest)` : "";
  return {
    env: to,
    file,
    before,
    after,
    summary: `${from} → ${to}: recorder-bundle@${after.bundle}, ffmpeg-layer@${after.layer}${canaryText}${moved}`,
  };
}

/** Writes the planned pin (temporary file + rename). The only file a promotion writes. */
export function applyPromotion(plan: PromotionPlan, environmentsDir: string): string {
  return writePin(plan.env, plan.after, environmentsDir);
}
