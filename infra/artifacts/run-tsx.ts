/**
 * Runs a TypeScript entry of a checkout (the main one or a worktree) in a child process with that checkout's own
 * code, which is the point: a commit is built or synthesized by the code of that commit, not by today's.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

export interface TsxRun {
  stdout: string;
  stderr: string;
  ms: number;
}

export function runTsx(cwd: string, script: string, env: Record<string, string> = {}, args: string[] = []): Promise<TsxRun> {
  const started = Date.now();
  const cli = join(cwd, "node_modules", "tsx", "dist", "cli.mjs");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, script, ...args], { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      if (code === 0) resolve({ stdout, stderr, ms: Date.now() - started });
      else {
        const tail = (stderr || stdout).trim().split("\n").slice(-12).join("\n");
        reject(new Error(`${script} failed in ${cwd} (exit ${code}):\n${tail}`));
      }
    });
  });
}
