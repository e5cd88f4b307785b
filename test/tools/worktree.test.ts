import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/app";
import { ArtifactStore } from "../../infra/artifacts/artifact-store";
import { buildArtifactsAtRef } from "../../infra/artifacts/build-at-ref";
import { resolveCommit } from "../../infra/artifacts/git-worktree";
import { restorePinnedArtifacts } from "../../infra/artifacts/restore-pinned";
import { loadStacks } from "../../tools/review/load-stack";
import { synthAtRef } from "../../tools/review/synth-at-ref";
import { tempDir } from "./fixtures/workspace";

// These check out one of the repository's own commits in temporary worktrees (what the review and a fresh clone do):
// the commit that added infra/main.ts, which synthesizes on its own forever (HEAD may be mid-change).
const FIRST_INFRA_COMMIT = execFileSync("git", ["log", "--diff-filter=A", "--format=%H", "--", "infra/main.ts"], { cwd: REPO_ROOT }).toString().trim().split("\n").pop()!;
const worktrees = () => execFileSync("git", ["worktree", "list", "--porcelain"], { cwd: REPO_ROOT }).toString().split("\n").filter((l) => l.startsWith("worktree ")).length;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("working with other commits", () => {
  it("synthesizes a commit with that commit's own code in a temporary worktree, and leaves no worktree behind", async () => {
    const before = worktrees();
    const run = await synthAtRef(REPO_ROOT, FIRST_INFRA_COMMIT, ["local"]);
    try {
      expect(run.commit).toBe(FIRST_INFRA_COMMIT);
      expect(Object.keys(loadStacks(run.outdir))).toEqual(["recorder-local"]);
    } finally {
      run.cleanup();
    }
    expect(worktrees()).toBe(before);
  });

  it("rebuilds a pinned artifact missing from the store from the commit the pin names, without moving latest", async () => {
    const head = FIRST_INFRA_COMMIT;
    const reference = tempDir("ref-store-");
    const empty = tempDir("empty-store-");
    const envs = tempDir("envs-");
    dirs.push(reference, empty, envs);
    // What HEAD's own build produces, built once into a separate store...
    const built = await buildArtifactsAtRef(REPO_ROOT, head, reference);
    const bundle = built.find((b) => b.kind === "recorder-bundle")!;
    const layer = built.find((b) => b.kind === "ffmpeg-layer")!;
    expect(new ArtifactStore(reference).readManifest().latest).toEqual({});
    // ...then pinned in an environments folder whose store has nothing: a fresh clone.
    mkdirSync(join(envs, "pins"));
    writeFileSync(join(envs, "pins", "prod.json"), JSON.stringify({ bundle: bundle.hash, layer: layer.hash, built: { bundle: head, layer: head } }));
    const store = new ArtifactStore(empty);
    const lines: string[] = [];
    const outcome = await restorePinnedArtifacts(REPO_ROOT, store, (l) => lines.push(l), envs);
    expect(outcome.problems).toEqual([]);
    expect(outcome.restored).toEqual([`recorder-bundle ${bundle.hash} from ${head}`, `ffmpeg-layer ${layer.hash} from ${head}`]);
    expect(store.find("recorder-bundle", bundle.hash)).toBeDefined();
    expect(existsSync(join(empty, bundle.file))).toBe(true);
    expect(store.readManifest().latest).toEqual({});

    // A pin that commit cannot satisfy: reported from the remembered attempt, without building the commit again.
    writeFileSync(join(envs, "pins", "prod.json"), JSON.stringify({ bundle: "00000000000000aa", layer: layer.hash, built: { bundle: head, layer: head } }));
    const again: string[] = [];
    const second = await restorePinnedArtifacts(REPO_ROOT, store, (l) => again.push(l), envs);
    expect(again.filter((l) => l.includes("building"))).toEqual([]);
    expect(second.problems).toEqual([expect.stringMatching(new RegExp(`pins recorder-bundle 00000000000000aa, .* builds recorder-bundle ${bundle.hash} \\(tried before; delete .*restore-attempts\\.json to retry\\)`))]);
  });

  it("reports what it tried when a pinned artifact cannot be rebuilt", async () => {
    const envs = tempDir("envs-");
    const empty = tempDir("empty-store-");
    dirs.push(envs, empty);
    mkdirSync(join(envs, "pins"));
    writeFileSync(join(envs, "pins", "prod.json"), JSON.stringify({ bundle: "00000000000000ff", layer: "00000000000000ee", built: { bundle: "f".repeat(40) } }));
    const outcome = await restorePinnedArtifacts(REPO_ROOT, new ArtifactStore(empty), () => undefined, envs);
    expect(outcome.restored).toEqual([]);
    expect(outcome.problems[0]).toMatch(/environment "prod" pins recorder-bundle 00000000000000ff, which is not in .* could not be rebuilt \(ffffffffffff: git ref "f{40}" is not a commit/);
    expect(outcome.problems[1]).toMatch(/ffmpeg-layer 00000000000000ee, .*no source commit recorded/);
  });

  it("restores only the pins of the environments asked for (a local synth never rebuilds prod's artifact)", async () => {
    const envs = tempDir("envs-");
    const empty = tempDir("empty-store-");
    dirs.push(envs, empty);
    mkdirSync(join(envs, "pins"));
    writeFileSync(join(envs, "pins", "prod.json"), JSON.stringify({ bundle: "00000000000000ff", layer: "00000000000000ee", built: { bundle: "f".repeat(40) } }));
    const lines: string[] = [];
    const local = await restorePinnedArtifacts(REPO_ROOT, new ArtifactStore(empty), (l) => lines.push(l), envs, ["local"]);
    expect(local).toEqual({ restored: [], problems: [] });
    expect(lines).toEqual([]);
    const prod = await restorePinnedArtifacts(REPO_ROOT, new ArtifactStore(empty), () => undefined, envs, ["prod"]);
    expect(prod.problems).toHaveLength(2);
  });

  it("names an unknown ref precisely", () => {
    expect(() => resolveCommit(REPO_ROOT, "no-such-branch")).toThrowError(/git ref "no-such-branch" is not a commit in .*git fetch --unshallow/);
  });
});
