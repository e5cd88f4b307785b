/**
 * A temporary, detached `git worktree` of one commit, sharing the main checkout's node_modules (a symlink: installing
 * per worktree would take minutes and need the network). Used to rebuild a pinned artifact from its commit and to
 * synthesize the base of a review. Removing it never touches the main checkout.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArtifactStore } from "./artifact-store";

export interface Worktree {
  /** The checked-out tree. */
  dir: string;
  /** The full commit id the ref resolved to. */
  commit: string;
  /** Deletes the worktree (its node_modules link first, so nothing can follow it) and forgets it in git. */
  remove(): void;
}

function git(root: string, args: string[]): string {
  return execFileSync("git", args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] }).toString().trim();
}

/** Resolves a ref to a commit, or says why not (a shallow clone is the usual reason in CI). */
export function resolveCommit(root: string, ref: string): string {
  try {
    return git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new Error(`git ref "${ref}" is not a commit in ${root} (a shallow clone? fetch the history: \`git fetch --unshallow\`)`);
  }
}

export function addWorktree(root: string, ref: string, label: string): Worktree {
  const commit = resolveCommit(root, ref);
  const parent = mkdtempSync(join(tmpdir(), `recorder-${label}-`));
  const dir = join(parent, "src");
  try {
    git(root, ["worktree", "add", "--detach", "--quiet", dir, commit]);
  } catch (err) {
    rmSync(parent, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not check out ${ref} (${commit.slice(0, 12)}) into a temporary worktree: ${stderr || String(err)}`);
  }
  const modules = join(root, "node_modules");
  if (existsSync(modules)) symlinkSync(modules, join(dir, "node_modules"), "dir");
  let removed = false;
  return {
    dir,
    commit,
    remove() {
      if (removed) return;
      removed = true;
      const link = join(dir, "node_modules");
      if (existsSync(link) && lstatSync(link).isSymbolicLink()) unlinkSync(link);
      try {
        git(root, ["worktree", "remove", "--force", dir]);
      } catch {
        // Fall through: deleting the folder and pruning leaves git in the same state.
      }
      rmSync(parent, { recursive: true, force: true });
      try {
        git(root, ["worktree", "prune"]);
      } catch {
        // Nothing left to prune is not an error worth reporting.
      }
    },
  };
}

/**
 * Gives a worktree an artifact store that already knows the main store's artifacts (zips linked, manifest copied), so
 * its build finds the ffmpeg layer by input hash instead of zipping 68 MB again, and its pins resolve, while anything
 * it builds or marks "latest" stays in the worktree.
 */
export function seedArtifactStore(from: ArtifactStore, toDir: string): ArtifactStore {
  mkdirSync(toDir, { recursive: true });
  const manifest = from.readManifest();
  for (const rec of Object.values(manifest.artifacts)) {
    const source = join(from.dir, rec.file);
    const target = join(toDir, rec.file);
    if (existsSync(source) && !existsSync(target)) symlinkSync(source, target);
  }
  if (existsSync(from.manifestPath)) copyFileSync(from.manifestPath, join(toDir, "manifest.json"));
  return new ArtifactStore(toDir);
}
