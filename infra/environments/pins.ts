/**
 * Which artifacts an environment runs. A pin file `infra/environments/pins/<env>.json` holds the artifact hashes
 * (`{ "bundle": "<hash16>", "layer": "<hash16>" }`) plus where they were built from, the prod canary and the last
 * promotion. `local` and `dev` follow the latest build unless pinned; staging and prod must pin (no file = error).
 * Promotion (tools/promote) moves a pin; synth resolves it here and fails precisely when the artifact is missing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import * as v from "valibot";
import type { ArtifactKind, ArtifactRef, ArtifactStore } from "../artifacts/artifact-store";
import type { RecorderStackArtifacts } from "../stacks/recorder-stack";
import { ENVIRONMENTS_DIR, EnvironmentError, PROMOTION_ORDER, problemsOf, show } from "./load";

const HASH_RULE = "expected a 16-hex artifact hash like 9eb88ea5e099935b";
const Hash = v.pipe(v.string(HASH_RULE), v.regex(/^[0-9a-f]{16}$/, HASH_RULE));
const COMMIT_RULE = 'expected a 40-hex git commit, optionally with "+dirty", or "unknown"';
const Commit = v.pipe(v.string(COMMIT_RULE), v.regex(/^([0-9a-f]{40}(\+dirty)?|unknown)$/, COMMIT_RULE));
const Built = v.strictObject({ bundle: v.optional(Commit), layer: v.optional(Commit) });
const SHA_RULE = "expected the artifact's 64-hex SHA-256";
const PublishedObject = v.strictObject({
  sha256: v.pipe(v.string(SHA_RULE), v.regex(/^[0-9a-f]{64}$/, SHA_RULE)),
  size: v.pipe(v.number("expected the zip size in bytes"), v.integer("expected the zip size in bytes"), v.minValue(1, "expected the zip size in bytes")),
});
/** What the artifact bucket holds for the pin (`<kind>/<sha256>.zip`): enough to deploy without the local zip. */
const Published = v.strictObject({ bundle: PublishedObject, layer: PublishedObject });

/** The environment that feeds each environment in the promotion order (staging ← dev, prod ← staging). */
export function promotesFrom(env: string): string | undefined {
  const i = (PROMOTION_ORDER as readonly string[]).indexOf(env);
  return i > 0 ? PROMOTION_ORDER[i - 1] : undefined;
}

/** Staging and prod never follow "latest": a deploy there must be a deliberate, reviewed promotion. */
export const mustPin = (env: string): boolean => promotesFrom(env) !== undefined;

/** Canary routing is a prod concern: staging takes a new version whole. */
export const CANARY_ENVIRONMENTS = ["prod"];

const CanarySchema = v.strictObject({
  weight: v.pipe(
    v.number("expected the share of traffic for the new version, a number"),
    v.gtValue(0, "expected a share strictly between 0 and 1 (drop canary to give the new version all traffic)"),
    v.ltValue(1, "expected a share strictly between 0 and 1 (drop canary to give the new version all traffic)"),
  ),
});

const PinnedArtifactsSchema = v.strictObject({ bundle: Hash, layer: Hash, built: v.optional(Built), published: v.optional(Published) });

export const PinSchema = v.strictObject({
  /** recorder-bundle hash. */
  bundle: Hash,
  /** ffmpeg-layer hash. */
  layer: Hash,
  /** Commit each artifact was built from: what `npm run build` checks out to rebuild it on a fresh machine. */
  built: v.optional(Built),
  /** SHA-256 and size of both zips as published to the artifact bucket: synth and promotion need nothing else. */
  published: v.optional(Published),
  /** Prod only: keep the previous version serving 1 - weight of the traffic while the new version takes `weight`. */
  canary: v.optional(CanarySchema),
  /** Who moved the pin, when, from where and why (tools/promote writes it). */
  promotion: v.optional(
    v.strictObject({
      kind: v.picklist(["promote", "rollback"], 'expected "promote" or "rollback"'),
      from: v.optional(v.string("expected an environment name")),
      by: v.string("expected who promoted"),
      at: v.pipe(v.string("expected an ISO timestamp"), v.isoTimestamp("expected an ISO timestamp")),
      reason: v.optional(v.string("expected a reason")),
      forced: v.optional(v.boolean("expected true or false")),
    }),
  ),
  /** What the environment ran before this pin: `npm run promote -- --to <env> --rollback` pins it again. */
  previous: v.optional(PinnedArtifactsSchema),
});

export type PinFile = v.InferOutput<typeof PinSchema>;
export type CanaryPin = NonNullable<PinFile["canary"]>;

export function pinPath(env: string, dir = ENVIRONMENTS_DIR): string {
  return join(dir, "pins", `${env}.json`);
}

/** Validates a parsed pin file; every problem at once, as `field: expected …, got …`. */
export function parsePin(raw: unknown, env: string, file: string): PinFile {
  const result = v.safeParse(PinSchema, raw);
  if (!result.success) throw new EnvironmentError(env, file, problemsOf(result.issues));
  if (result.output.canary && !CANARY_ENVIRONMENTS.includes(env)) {
    throw new EnvironmentError(env, file, [{ field: "canary", expected: `expected no canary (canary routing is for ${CANARY_ENVIRONMENTS.join(", ")} only)`, got: show(result.output.canary) }]);
  }
  return result.output;
}

export function readPin(env: string, dir = ENVIRONMENTS_DIR): PinFile | undefined {
  const file = pinPath(env, dir);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new EnvironmentError(env, file, [{ field: "(file)", expected: "expected valid JSON", got: (err as Error).message }]);
  }
  return parsePin(raw, env, file);
}

/** The pin as text: fixed key order and a final newline, so promotions make small, readable diffs. */
export function renderPin(pin: PinFile): string {
  const ordered: PinFile = {
    bundle: pin.bundle,
    layer: pin.layer,
    ...(pin.built ? { built: pin.built } : {}),
    ...(pin.published ? { published: pin.published } : {}),
    ...(pin.canary ? { canary: pin.canary } : {}),
    ...(pin.promotion ? { promotion: pin.promotion } : {}),
    ...(pin.previous ? { previous: pin.previous } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Writes a pin atomically (temporary file + rename): a failed promotion never leaves half a pin behind. */
export function writePin(env: string, pin: PinFile, dir = ENVIRONMENTS_DIR): string {
  const file = pinPath(env, dir);
  parsePin(JSON.parse(renderPin(pin)), env, file);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(tmp, renderPin(pin));
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return file;
}

type PinnedSet = Pick<PinFile, "bundle" | "layer" | "built" | "published">;

function resolvePinned(kind: ArtifactKind, field: "bundle" | "layer", env: string, pin: PinnedSet, file: string, store: ArtifactStore): ArtifactRef {
  const hash = pin[field];
  const published = pin.published?.[field];
  if (published && !published.sha256.startsWith(hash)) {
    throw new EnvironmentError(env, file, [{ field: `published.${field}.sha256`, expected: `expected the SHA-256 of ${kind} ${hash} (starting with it)`, got: show(published.sha256) }]);
  }
  const local = store.find(kind, hash);
  if (local) {
    if (published && published.sha256 !== local.sha256) {
      throw new EnvironmentError(env, file, [{ field: `published.${field}.sha256`, expected: `expected ${local.sha256} (the local ${kind} ${hash})`, got: show(published.sha256) }]);
    }
    return store.resolve(kind, hash, `environment "${env}"`);
  }
  // Promotion never rebuilds: a pin that records what was published deploys from the artifact bucket as it is.
  if (published) return { kind, hash, sha256: published.sha256, size: published.size, sourceCommit: pin.built?.[field] ?? "unknown" };
  // An older pin without `published`: the local store (or a rebuild from the recorded commit) is the only source.
  const commit = pin.built?.[field];
  const known = Object.values(store.readManifest().artifacts)
    .filter((a) => a.kind === kind)
    .map((a) => a.hash);
  const from = commit ? `built from ${commit}` : "no source commit recorded";
  throw new EnvironmentError(env, file, [
    {
      field,
      expected:
        `expected ${kind} ${hash} (${from}) in ${store.dir}, or \`published\` in the pin (\`npm run promote\` records it); ` +
        "`npm run build` rebuilds a pinned artifact from its commit (needs the git history), or pin an artifact that exists",
      got: known.length ? `only ${known.join(", ")}` : "an empty artifact store",
    },
  ]);
}

/** The artifacts (and prod canary) an environment synthesizes with. Throws a precise EnvironmentError otherwise. */
export function resolvePins(env: string, store: ArtifactStore, dir = ENVIRONMENTS_DIR): RecorderStackArtifacts {
  const file = pinPath(env, dir);
  const pin = readPin(env, dir);
  if (!pin) {
    if (mustPin(env)) {
      throw new EnvironmentError(env, file, [
        {
          field: "(pin file)",
          expected: `expected a pin file: ${env} always runs a pinned artifact (create one with \`npm run promote -- --from ${promotesFrom(env)} --to ${env}\`)`,
          got: "no file",
        },
      ]);
    }
    const who = `environment "${env}" (follows the latest build)`;
    return { bundle: store.resolve("recorder-bundle", "latest", who), layer: store.resolve("ffmpeg-layer", "latest", who) };
  }
  return {
    bundle: resolvePinned("recorder-bundle", "bundle", env, pin, file, store),
    layer: resolvePinned("ffmpeg-layer", "layer", env, pin, file, store),
    // The version the canary keeps serving was published for the previous bundle; keeping that version resource in
    // the configuration is what stops Terraform from deleting it in the same apply.
    ...(pin.canary ? { canary: { weight: pin.canary.weight, previous: canaryPrevious(env, pin, file, store) } } : {}),
  };
}

/** The artifacts the canary keeps serving: the pin's `previous`, which must say what was published. */
function canaryPrevious(env: string, pin: PinFile, file: string, store: ArtifactStore): { bundle: ArtifactRef; layer: ArtifactRef } {
  if (!pin.previous) {
    throw new EnvironmentError(env, file, [{ field: "previous", expected: "expected the artifacts live before this pin (a canary splits traffic between them and the new ones)", got: "nothing" }]);
  }
  return {
    bundle: resolvePinned("recorder-bundle", "bundle", env, pin.previous, `${file} (previous)`, store),
    layer: resolvePinned("ffmpeg-layer", "layer", env, pin.previous, `${file} (previous)`, store),
  };
}

export interface PinnedArtifact {
  env: string;
  /** The pin file. */
  file: string;
  kind: ArtifactKind;
  hash: string;
  /** The commit the pin says it was built from, if recorded. */
  builtFrom?: string;
}

/** Every artifact any pin file names (restoration on a fresh machine walks these). Invalid files are skipped: synth reports them. */
export function pinnedArtifacts(dir = ENVIRONMENTS_DIR): PinnedArtifact[] {
  const pinsDir = join(dir, "pins");
  if (!existsSync(pinsDir)) return [];
  const out: PinnedArtifact[] = [];
  for (const name of readdirSync(pinsDir).filter((f) => f.endsWith(".json")).sort()) {
    const env = basename(name, ".json");
    let pin: PinFile | undefined;
    try {
      pin = readPin(env, dir);
    } catch {
      continue;
    }
    if (!pin) continue;
    const file = pinPath(env, dir);
    out.push({ env, file, kind: "recorder-bundle", hash: pin.bundle, builtFrom: pin.built?.bundle });
    out.push({ env, file, kind: "ffmpeg-layer", hash: pin.layer, builtFrom: pin.built?.layer });
  }
  return out;
}
