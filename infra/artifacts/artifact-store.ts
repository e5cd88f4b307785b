/**
 * Content-addressed artifacts: `<kind>-<hash>.zip` in one folder plus `manifest.json` describing each (hash, size,
 * source commit). Environments pin a hash; synth resolves the pin here; promotion moves the pin, never rebuilds.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, createReadStream } from "node:fs";
import { join } from "node:path";

export type ArtifactKind = "recorder-bundle" | "ffmpeg-layer";

export interface ArtifactRecord {
  kind: ArtifactKind;
  /** First 16 hex chars of the zip's SHA-256: what environments pin. */
  hash: string;
  /** Full SHA-256 of the zip bytes. */
  sha256: string;
  /** File name inside the artifact folder. */
  file: string;
  /** Zip size in bytes. */
  size: number;
  /** Uncompressed size in bytes of the main entry (index.js or ffmpeg). */
  unpackedSize: number;
  /** Git commit the artifact was built from ("unknown" outside a git checkout; "+dirty" when uncommitted changes existed). */
  sourceCommit: string;
  /** Hash of the build inputs, so an unchanged input is not rebuilt (the ffmpeg layer takes seconds to zip). */
  inputHash: string;
}

export interface ArtifactManifest {
  /** Every artifact in the folder, by hash. */
  artifacts: Record<string, ArtifactRecord>;
  /** The newest build of each kind: what `dev` follows unless pinned. */
  latest: Partial<Record<ArtifactKind, string>>;
}

export interface ArtifactRef {
  kind: ArtifactKind;
  /** First 16 hex chars of `sha256`: what pins and resource addresses show. */
  hash: string;
  /** Full SHA-256 of the zip: the artifact's name in the artifact bucket (`<kind>/<sha256>.zip`). */
  sha256: string;
  /** Absolute path of the zip when it is in the local store; a promoted pin needs none (the bytes are in COS). */
  path?: string;
  size: number;
  /** Uncompressed size of the main entry, when the local store knows it. */
  unpackedSize?: number;
  sourceCommit: string;
}

/** Where an artifact lives in the artifact bucket: content-addressed, so the same key always means the same bytes. */
export const artifactObjectKey = (ref: Pick<ArtifactRef, "kind" | "sha256">): string => `${ref.kind}/${ref.sha256}.zip`;

export const HASH_LENGTH = 16;

/** A commit anyone can check out and rebuild from (not "<commit>+dirty", not "unknown"). */
export const isReproducibleCommit = (commit: string): boolean => /^[0-9a-f]{40}$/.test(commit);

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => h.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(h.digest("hex")));
  });
}

export class ArtifactStore {
  constructor(readonly dir: string) {}

  get manifestPath(): string {
    return join(this.dir, "manifest.json");
  }

  readManifest(): ArtifactManifest {
    if (!existsSync(this.manifestPath)) return { artifacts: {}, latest: {} };
    return JSON.parse(readFileSync(this.manifestPath, "utf8")) as ArtifactManifest;
  }

  /**
   * Records an artifact and (unless `latest: false`) marks it latest of its kind; written atomically (tmp + rename).
   * Rebuilding an older commit to restore a pin passes `latest: false`, so `dev` keeps following the newest build.
   */
  record(rec: ArtifactRecord, options: { latest?: boolean } = {}): void {
    mkdirSync(this.dir, { recursive: true });
    const manifest = this.readManifest();
    manifest.artifacts[rec.hash] = rec;
    if (options.latest ?? true) manifest.latest[rec.kind] = rec.hash;
    const tmp = `${this.manifestPath}.${process.pid}.partial`;
    writeFileSync(tmp, JSON.stringify(manifest, null, 2) + "\n");
    renameSync(tmp, this.manifestPath);
  }

  /** The manifest record of a hash when its zip is really in the folder. */
  find(kind: ArtifactKind, hash: string): ArtifactRecord | undefined {
    const rec = this.readManifest().artifacts[hash];
    return rec && rec.kind === kind && existsSync(join(this.dir, rec.file)) ? rec : undefined;
  }

  /** Copies an artifact from another store (e.g. a worktree build) without moving `latest`. */
  adopt(from: ArtifactStore, rec: ArtifactRecord): void {
    mkdirSync(this.dir, { recursive: true });
    const target = join(this.dir, rec.file);
    if (!existsSync(target)) {
      const partial = `${target}.${process.pid}.partial`;
      copyFileSync(join(from.dir, rec.file), partial);
      renameSync(partial, target);
    }
    this.record(rec, { latest: false });
  }

  findByInput(kind: ArtifactKind, inputHash: string): ArtifactRecord | undefined {
    return Object.values(this.readManifest().artifacts).find(
      (a) => a.kind === kind && a.inputHash === inputHash && existsSync(join(this.dir, a.file)),
    );
  }

  /** Resolves a pinned hash (or "latest") to a file; throws a precise error when it is not there. */
  resolve(kind: ArtifactKind, pin: string, who: string): ArtifactRef {
    const manifest = this.readManifest();
    const hash = pin === "latest" ? manifest.latest[kind] : pin;
    if (!hash) {
      throw new Error(`${who}: no ${kind} artifact has been built yet in ${this.dir}; run \`npm run build\``);
    }
    const rec = manifest.artifacts[hash];
    if (!rec || rec.kind !== kind) {
      const known = Object.values(manifest.artifacts).filter((a) => a.kind === kind).map((a) => a.hash);
      throw new Error(
        `${who}: pinned ${kind} artifact ${hash} is not in ${this.manifestPath} (known: ${known.join(", ") || "none"}); ` +
          "build that commit with `npm run build` or fetch the artifact, or pin one that exists",
      );
    }
    const path = join(this.dir, rec.file);
    if (!existsSync(path)) {
      throw new Error(`${who}: pinned ${kind} artifact ${hash} is listed in the manifest but ${path} is missing`);
    }
    return { kind, hash, sha256: rec.sha256, path, size: rec.size, unpackedSize: rec.unpackedSize, sourceCommit: rec.sourceCommit };
  }
}
