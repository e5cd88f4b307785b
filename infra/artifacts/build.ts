/**
 * Builds both artifacts into an ArtifactStore: the recorder bundle (esbuild) and the ffmpeg layer (static binary).
 * Same sources → same bytes → same hashes, so a rebuild of an unchanged commit is a no-op for every environment.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArtifactStore, HASH_LENGTH, sha256File, type ArtifactKind, type ArtifactRef } from "./artifact-store";
import { writeDeterministicZip, type ZipEntry } from "./deterministic-zip";
import { bundleFunction } from "./function-bundle";
import { ffmpegPackageBinary } from "./ffmpeg-binary";

export interface BuiltArtifacts {
  bundle: ArtifactRef;
  layer: ArtifactRef;
}

export function sourceCommit(root: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "function", "package-lock.json"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
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
    // Keep the manifest's "latest" honest even when nothing needed rebuilding.
    store.record(existing);
    return store.resolve(kind, existing.hash, "build");
  }
  const work = mkdtempSync(join(tmpdir(), `${kind}-`));
  try {
    const tmpZip = join(work, "artifact.zip");
    await writeDeterministicZip(tmpZip, entries);
    const sha256 = await sha256File(tmpZip);
    const hash = sha256.slice(0, HASH_LENGTH);
    const file = `${kind}-${hash}.zip`;
    const { renameSync, copyFileSync, mkdirSync } = await import("node:fs");
    mkdirSync(store.dir, { recursive: true });
    try {
      renameSync(tmpZip, join(store.dir, file));
    } catch {
      copyFileSync(tmpZip, join(store.dir, file)); // across devices
    }
    store.record({ kind, hash, sha256, file, size: statSync(join(store.dir, file)).size, unpackedSize, sourceCommit: commit, inputHash });
    return store.resolve(kind, hash, "build");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function buildBundleArtifact(root: string, store: ArtifactStore, commit = sourceCommit(root)): Promise<ArtifactRef> {
  const code = await bundleFunction({ root });
  const inputHash = createHash("sha256").update(code).digest("hex");
  return storeZip(store, "recorder-bundle", [{ name: "index.js", data: code, mode: 0o644 }], inputHash, code.length, commit);
}

export async function buildLayerArtifact(store: ArtifactStore, commit: string): Promise<ArtifactRef> {
  const binary = ffmpegPackageBinary();
  const inputHash = await sha256File(binary);
  // At the zip root: SCF unpacks layers into /opt, so the recorder runs /opt/ffmpeg (FFMPEG_PATH's default).
  return storeZip(store, "ffmpeg-layer", [{ name: "ffmpeg", data: { file: binary }, mode: 0o755 }], inputHash, statSync(binary).size, commit);
}

export async function buildArtifacts(root: string, outDir = join(root, "dist", "artifacts")): Promise<BuiltArtifacts> {
  const store = new ArtifactStore(outDir);
  const commit = sourceCommit(root);
  const bundle = await buildBundleArtifact(root, store, commit);
  const layer = await buildLayerArtifact(store, commit);
  return { bundle, layer };
}
