/**
 * Builds both artifacts into an ArtifactStore: the recorder bundle (esbuild) and the ffmpeg layer (static binary).
 * Same sources → same bytes → same hashes, so a rebuild of an unchanged commit is a no-op for every environment.
 * Then it makes sure every artifact an environment pins is in the store, rebuilding a missing one from the commit it
 * was built from (a fresh clone has an empty store; see docs/workflow.md, "Pinned artifacts on a fresh machine").
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArtifactStore, HASH_LENGTH, isReproducibleCommit, sha256File, type ArtifactKind, type ArtifactRecord, type ArtifactRef } from "./artifact-store";
import { writeDeterministicZip, ZIP_FORMAT, type ZipEntry } from "./deterministic-zip";
import { bundleFunction } from "./function-bundle";
import { ffmpegPackageBinary } from "./ffmpeg-binary";
import { restorePinnedArtifacts, type RestoreOutcome } from "./restore-pinned";

export interface BuiltArtifacts {
  bundle: ArtifactRef;
  layer: ArtifactRef;
  /** Pinned artifacts that were missing and got rebuilt from their commits, and the ones that could not be. */
  restore?: RestoreOutcome;
}

export interface BuildArtifactsOptions {
  /**
   * Rebuild pinned artifacts missing from the store (infra/environments/pins/*.json under `root`).
   * @default true, unless the environment variable RECORDER_RESTORE_PINS is "0" (a build inside a restore sets it)
   */
  restorePins?: boolean;
  /** Restore only the pins of these environments (what is about to be synthesized). @default every pinned environment */
  environments?: string[];
  /** Progress lines (restores only; a normal build is silent). @default stderr */
  log?: (line: string) => void;
}

/** What the bundle's bytes depend on besides node_modules: a change under these paths makes a build "+dirty". */
export const BUNDLE_SOURCE_PATHS = ["function", "infra/artifacts", "package-lock.json"];

/** `<commit>`, `<commit>+dirty` when BUNDLE_SOURCE_PATHS have uncommitted changes, or "unknown" outside git. */
export function sourceCommit(root: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", ...BUNDLE_SOURCE_PATHS], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

/** The build cache key: the entries' content and the zip format, so a changed packer never reuses old bytes. */
export function inputKey(kind: ArtifactKind, contentSha256: string): string {
  return createHash("sha256").update(JSON.stringify({ kind, contentSha256, zip: ZIP_FORMAT })).digest("hex");
}

async function storeZip(
  store: ArtifactStore,
  kind: ArtifactKind,
  entries: ZipEntry[],
  inputHash: string,
  unpackedSize: number,
  commit: string,
): Promise<ArtifactRef> {
  const existing = store.findByInput(kind, inputHash);
  if (existing) {
    // The first build may have come from an uncommitted tree; once the same bytes come from a commit, record that
    // commit, so a fresh clone can rebuild the artifact (a "+dirty" source cannot be checked out).
    const upgraded = !isReproducibleCommit(existing.sourceCommit) && isReproducibleCommit(commit) ? { ...existing, sourceCommit: commit } : existing;
    // Keep the manifest's "latest" honest even when nothing needed rebuilding.
    store.record(upgraded);
    return store.resolve(kind, existing.hash, "build");
  }
  const work = mkdtempSync(join(tmpdir(), `${kind}-`));
  try {
    const tmpZip = join(work, "artifact.zip");
    await writeDeterministicZip(tmpZip, entries);
    const sha256 = await sha256File(tmpZip);
    const hash = sha256.slice(0, HASH_LENGTH);
    const file = `${kind}-${hash}.zip`;
    mkdirSync(store.dir, { recursive: true });
    try {
      renameSync(tmpZip, join(store.dir, file));
    } catch {
      copyFileSync(tmpZip, join(store.dir, file)); // across devices
    }
    const rec: ArtifactRecord = { kind, hash, sha256, file, size: statSync(join(store.dir, file)).size, unpackedSize, sourceCommit: commit, inputHash };
    store.record(rec);
    return store.resolve(kind, hash, "build");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function buildBundleArtifact(root: string, store: ArtifactStore, commit = sourceCommit(root)): Promise<ArtifactRef> {
  const code = await bundleFunction({ root });
  const inputHash = inputKey("recorder-bundle", createHash("sha256").update(code).digest("hex"));
  return storeZip(store, "recorder-bundle", [{ name: "index.js", data: code, mode: 0o644 }], inputHash, code.length, commit);
}

export async function buildLayerArtifact(store: ArtifactStore, commit: string): Promise<ArtifactRef> {
  const binary = ffmpegPackageBinary();
  const inputHash = inputKey("ffmpeg-layer", await sha256File(binary));
  // At the zip root: SCF unpacks layers into /opt, so the recorder runs /opt/ffmpeg (FFMPEG_PATH's default).
  return storeZip(store, "ffmpeg-layer", [{ name: "ffmpeg", data: { file: binary }, mode: 0o755 }], inputHash, statSync(binary).size, commit);
}

export async function buildArtifacts(root: string, outDir = join(root, "dist", "artifacts"), options: BuildArtifactsOptions = {}): Promise<BuiltArtifacts> {
  const store = new ArtifactStore(outDir);
  const commit = sourceCommit(root);
  const bundle = await buildBundleArtifact(root, store, commit);
  const layer = await buildLayerArtifact(store, commit);
  const restorePins = options.restorePins ?? process.env.RECORDER_RESTORE_PINS !== "0";
  if (!restorePins) return { bundle, layer };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const restore = await restorePinnedArtifacts(root, store, log, undefined, options.environments);
  return { bundle, layer, restore };
}
