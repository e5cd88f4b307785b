// Runs the real terraform on a copy of the synthesized local stack, pointed at the emulated account: the provider
// block already says protocol HTTP / domain emulator.local / cos_domain (infra/environments/local.json), and
// HTTP_PROXY routes every `http://<service>.emulator.local/` call to the control plane.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

export class TerraformMissing extends Error {
  override name = "TerraformMissing";
}

/** The installed terraform's version line, or a TerraformMissing that says what to install. */
export function terraformVersion(): string {
  const run = spawnSync("terraform", ["version"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (run.error || run.status !== 0) {
    throw new TerraformMissing(
      "npm run deploy:local needs terraform (≥ 1.5) on PATH and the tencentcloud provider 1.83.25, which `terraform init` " +
        "takes from the registry (offline: a filesystem mirror named by TF_CLI_CONFIG_FILE). `npm start` needs neither: it " +
        "serves the synthesized stack without applying it.",
    );
  }
  return run.stdout.split("\n")[0] ?? "terraform";
}

/** terraform ended with a non-zero code (`plan -detailed-exitcode` uses 2 for "changes present"). */
export class TerraformExit extends Error {
  override name = "TerraformExit";
  constructor(
    readonly command: string,
    readonly code: number | null,
  ) {
    super(`terraform ${command} exited with ${code}`);
  }
}

export interface TerraformRun {
  /** Folder with the stack copy, .terraform and the state file (kept between runs: the next apply is an upgrade). */
  workDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** Copies the synthesized stack into the work folder (the state there is kept) and returns that folder. */
export function prepareWorkDir(stackDir: string, workDir: string): string {
  mkdirSync(workDir, { recursive: true });
  copyFileSync(join(stackDir, "cdk.tf.json"), join(workDir, "cdk.tf.json"));
  // The stack pins the provider to one exact version; a lock file from an earlier install of it (another build or
  // mirror of the same version) would only stop init, so the work copy never keeps one.
  rmSync(join(workDir, ".terraform.lock.hcl"), { force: true });
  return workDir;
}

export function terraform(run: TerraformRun, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd: run.workDir, env: { ...run.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) run.log(`  terraform │ ${line}`);
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new TerraformExit(args[0] ?? "", code))));
  });
}
