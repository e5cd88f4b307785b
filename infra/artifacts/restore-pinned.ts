/**
 * Brings back pinned artifacts the local store lacks. For each missing one it tries, in order, the commit the pin
 * records and the commit that last changed the pin file (a pin written from an uncommitted build is usually committed
 * together with that source), builds that commit in a worktree and keeps the artifact only if the hash matches.
 * Never throws: what cannot be restored is reported, and synth then fails with the precise pin error. A commit that
 * was tried before and gave other bytes is not rebuilt again (restore-attempts.ts).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pinnedArtifacts, type PinnedArtifact } from "../environments/pins";
import { mkdirSync } from "node:fs";
import { isReproducibleCommit, type ArtifactStore } from "./artifact-store";
import { buildCommit, type CommitBuild } from "./build-at-ref";
import { RestoreAttempts } from "./restore-attempts";

export interface RestoreOutcome {
  /** "recorder-bundle 1234… from <commit>" per restored artifact. */
  restored: string[];
  /** One line per pinned artifact that stays missing, saying what was tried. */
  problems: string[];
}

function lastCommitTouching(root: string, file: string): string | undefined {
  try {
    const out = execFileSync("git", ["log", "-1", "--format=%H", "--", file], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

function candidates(root: string, wanted: PinnedArtifact): string[] {
  const recorded = wanted.builtFrom && isReproducibleCommit(wanted.builtFrom) ? wanted.builtFrom : undefined;
  return [...new Set([recorded, lastCommitTouching(root, wanted.file)].filter((c): c is string => Boolean(c)))];
}

export async function restorePinnedArtifacts(
  root: string,
  store: ArtifactStore,
  log: (line: string) => void,
  environmentsDir = join(root, "infra", "environments"),
  /** Only these environments' pins. @default all */
  environments?: string[],
): Promise<RestoreOutcome> {
  const missing = pinnedArtifacts(environmentsDir)
    .filter((w) => !environments || environments.includes(w.env))
    .filter((w) => !store.find(w.kind, w.hash));
  const outcome: RestoreOutcome = { restored: [], problems: [] };
  if (!missing.length) return outcome;
  mkdirSync(store.dir, { recursive: true });
  const attempts = new RestoreAttempts(store.dir, root);
  const builds = new Map<string, CommitBuild | Error>();
  const buildOnce = async (commit: string): Promise<CommitBuild | Error> => {
    if (!builds.has(commit)) {
      log(`restoring pinned artifacts: building ${commit.slice(0, 12)} in a temporary worktree`);
      const build = await buildCommit(root, commit, store).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      builds.set(commit, build);
      // An unknown commit may arrive with `git fetch`; anything else is what this commit builds to, remembered.
      if (!(build instanceof Error)) attempts.set(commit, { built: build.built.map((b) => ({ kind: b.kind, hash: b.hash })) });
      else if (!/is not a commit/.test(build.message)) attempts.set(commit, { error: build.message.split("\n")[0]! });
    }
    return builds.get(commit)!;
  };
  try {
    for (const wanted of missing) {
      if (store.find(wanted.kind, wanted.hash)) continue; // another environment pinned the same artifact
      const tried: string[] = [];
      for (const commit of candidates(root, wanted)) {
        const before = builds.has(commit) ? undefined : attempts.get(commit);
        if (before) {
          const got = "error" in before ? before.error : (before.built.find((b) => b.kind === wanted.kind)?.hash ?? "nothing");
          if ("error" in before || got !== wanted.hash) {
            tried.push(`${commit.slice(0, 12)} builds ${wanted.kind} ${got} (tried before; delete ${attempts.file} to retry)`);
            continue;
          }
        }
        const build = await buildOnce(commit);
        if (build instanceof Error) {
          tried.push(`${commit.slice(0, 12)}: ${build.message.split("\n")[0]}`);
          continue;
        }
        const rec = build.built.find((r) => r.kind === wanted.kind && r.hash === wanted.hash);
        if (rec) {
          store.adopt(build.store, rec);
          outcome.restored.push(`${wanted.kind} ${wanted.hash} from ${commit}`);
          log(`restored ${wanted.kind} ${wanted.hash} (pinned by ${wanted.env}) from ${commit.slice(0, 12)}`);
          break;
        }
        const got = build.built.find((r) => r.kind === wanted.kind)?.hash ?? "nothing";
        tried.push(`${commit.slice(0, 12)} builds ${wanted.kind} ${got}`);
      }
      if (!store.find(wanted.kind, wanted.hash)) {
        const why = tried.length ? tried.join("; ") : "no source commit recorded and the pin file is not committed";
        outcome.problems.push(`environment "${wanted.env}" pins ${wanted.kind} ${wanted.hash}, which is not in ${store.dir} and could not be rebuilt (${why})`);
      }
    }
  } finally {
    for (const build of builds.values()) if (!(build instanceof Error)) build.remove();
  }
  for (const p of outcome.problems) log(p);
  return outcome;
}
