/**
 * Synthesizes the working tree, or any commit, into a temporary folder by running that tree's own `infra/main.ts`
 * (a base is synthesized by the base's code, not today's). A commit goes into a temporary `git worktree` sharing the
 * main checkout's node_modules; its artifact store is seeded from the main one, so the ffmpeg layer is not rebuilt
 * and the base's pins resolve, while the base's own bundle build and "latest" stay in the worktree.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArtifactStore } from "../../infra/artifacts/artifact-store";
import { addWorktree, seedArtifactStore } from "../../infra/artifacts/git-worktree";
import { runTsx } from "../../infra/artifacts/run-tsx";

export interface SynthRun {
  /** cdktf output folder (manifest.json + stacks/). */
  outdir: string;
  /** "working tree" or the short commit. */
  label: string;
  commit?: string;
  ms: number;
  /** Deletes the output folder. */
  cleanup(): void;
}

/** The merge base of HEAD with `branch`, or with `origin/<branch>` in a CI checkout that has no local branch. */
export function mergeBase(root: string, branch = "main"): string {
  for (const ref of [branch, `origin/${branch}`]) {
    try {
      return execFileSync("git", ["merge-base", "HEAD", ref], { cwd: root, stdio: ["ignore", "pipe", "pipe"] }).toString().trim();
    } catch {
      // try the next spelling
    }
  }
  throw new Error(`no merge base of HEAD and "${branch}" (or origin/${branch}) in ${root}; pass --base <ref> (in CI, fetch ${branch} and the history first)`);
}

function synthEnv(outdir: string, environments: string[] | undefined): Record<string, string> {
  return { CDKTF_OUTDIR: outdir, ...(environments?.length ? { RECORDER_ENVS: environments.join(",") } : {}) };
}

export async function synthWorkingTree(root: string, environments?: string[]): Promise<SynthRun> {
  const outdir = mkdtempSync(join(tmpdir(), "review-head-"));
  try {
    const run = await runTsx(root, "infra/main.ts", synthEnv(outdir, environments));
    return { outdir, label: "working tree", ms: run.ms, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(outdir, { recursive: true, force: true });
    throw err;
  }
}

export async function synthAtRef(root: string, ref: string, environments?: string[]): Promise<SynthRun> {
  const wt = addWorktree(root, ref, "review");
  const outdir = mkdtempSync(join(tmpdir(), "review-ref-"));
  try {
    if (!existsSync(join(wt.dir, "infra", "main.ts"))) throw new Error(`${ref} (${wt.commit.slice(0, 12)}) has no infra/main.ts to synthesize; choose a newer --base`);
    seedArtifactStore(new ArtifactStore(join(root, "dist", "artifacts")), join(wt.dir, "dist", "artifacts"));
    // An environment added on the head has no file at the base: synthesize only the ones that exist there.
    const known = environments?.filter((env) => existsSync(join(wt.dir, "infra", "environments", `${env}.json`)));
    if (environments?.length && !known?.length) {
      writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ stacks: {} }));
      return { outdir, label: wt.commit.slice(0, 12), commit: wt.commit, ms: 0, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
    }
    const run = await runTsx(wt.dir, "infra/main.ts", synthEnv(outdir, known)).catch((err: unknown) => {
      throw new Error(`synthesizing ${ref} (${wt.commit.slice(0, 12)}) failed; the review needs both sides to synthesize on their own (pass another --base / --head):\n${(err as Error).message}`);
    });
    return { outdir, label: wt.commit.slice(0, 12), commit: wt.commit, ms: run.ms, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(outdir, { recursive: true, force: true });
    throw err;
  } finally {
    wt.remove();
  }
}
