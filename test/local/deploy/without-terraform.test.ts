// `npm run deploy:local` on a machine without terraform: it stops before touching anything, exits 3, and says what
// to install and which path works without it (`npm start`).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../infra/app";

describe("deploy:local without terraform", () => {
  it("exits 3 naming terraform, the provider version and npm start", () => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(REPO_ROOT, "local", "deploy", "cli.ts")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: "/nonexistent" },
    });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("needs terraform (≥ 1.5) on PATH and the tencentcloud provider 1.83.25");
    expect(run.stderr).toContain("`npm start` needs neither");
  });
});
