/**
 * Builds the artifacts of one commit with that commit's own build (`tools/build.ts` in a temporary worktree), then
 * copies the results into the main store without moving `latest`. This is how a pinned artifact that is not in the
 * local store (a fresh clone, a cleaned dist/) comes back: same source + same build → same bytes → same hash.
 */
import { join } from "node:path";
import { ArtifactStore, type ArtifactRecord } from "./artifact-store";
import { addWorktree, seedArtifactStore } from "./git-worktree";
import { runTsx } from "./run-tsx";

export interface CommitBuild {
  commit: string;
  /** The artifacts the commit's build produced (bundle and layer). */
  built: ArtifactRecord[];
  /** The worktree's store, to adopt from. */
  store: ArtifactStore;
  /** Removes the worktree. */
  remove(): void;
}

/** Runs `tools/build.ts` of `ref` in a worktree whose store is seeded from `store` (so the layer is usually cached). */
export async function buildCommit(root: string, ref: string, store: ArtifactStore): Promise<CommitBuild> {
  const wt = addWorktree(root, ref, "build");
  try {
    const wtStore = seedArtifactStore(store, join(wt.dir, "dist", "artifacts"));
    // RECORDER_RESTORE_PINS=0: the commit's own pins are not this build's business (and would recurse).
    await runTsx(wt.dir, "tools/build.ts", { RECORDER_RESTORE_PINS: "0" });
    const manifest = wtStore.readManifest();
    const built = (["recorder-bundle", "ffmpeg-layer"] as const)
      .map((kind) => manifest.latest[kind])
      .filter((hash): hash is string => typeof hash === "string")
      .map((hash) => manifest.artifacts[hash]!)
      .filter(Boolean);
    return { commit: wt.commit, built, store: wtStore, remove: () => wt.remove() };
  } catch (err) {
    wt.remove();
    throw err;
  }
}

/** `npm run build -- --at <ref>`: both artifacts of `ref`, added to the store next to the current ones. */
export async function buildArtifactsAtRef(root: string, ref: string, outDir = join(root, "dist", "artifacts")): Promise<ArtifactRecord[]> {
  const store = new ArtifactStore(outDir);
  const build = await buildCommit(root, ref, store);
  try {
    for (const rec of build.built) store.adopt(build.store, rec);
    return build.built;
  } finally {
    build.remove();
  }
}
