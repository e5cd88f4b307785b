/**
 * Remembers what rebuilding a commit produced, per artifact store, so a pin that cannot be restored (its commit builds
 * other bytes, or does not build) costs one worktree build per machine rather than one per synth: every test process
 * and every `infra/main.ts` run builds artifacts and would otherwise try again. The key includes the lock file's
 * hash, because new dependencies deserve a new attempt. Delete the file to retry anyway.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ArtifactKind } from "./artifact-store";

export type Attempt = { built: Array<{ kind: ArtifactKind; hash: string }> } | { error: string };

export class RestoreAttempts {
  readonly file: string;
  private readonly lock: string;

  constructor(storeDir: string, root: string) {
    this.file = join(storeDir, "restore-attempts.json");
    const lockFile = join(root, "package-lock.json");
    this.lock = existsSync(lockFile) ? createHash("sha256").update(readFileSync(lockFile)).digest("hex").slice(0, 12) : "no-lock";
  }

  private read(): Record<string, Attempt> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, "utf8")) as Record<string, Attempt>;
    } catch {
      return {}; // a damaged cache only costs a rebuild
    }
  }

  get(commit: string): Attempt | undefined {
    return this.read()[`${commit}@${this.lock}`];
  }

  set(commit: string, attempt: Attempt): void {
    const all = { ...this.read(), [`${commit}@${this.lock}`]: attempt };
    const tmp = `${this.file}.${process.pid}.partial`;
    writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}
