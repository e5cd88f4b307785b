// CDK Terrain (cdktn, the maintained fork of the archived cdktf) builds the same stacks from the same code. The only
// differences are documented: the synthesizer's own version in the "//" metadata, and how an empty array is laid
// out in the file (whitespace). Parsed, with that one field set aside, every stack is identical.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/app";
import { testArtifacts } from "./synth";

const root = mkdtempSync(join(tmpdir(), "cdktn-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function synthWith(cdk: "cdktf" | "cdktn", artifactsFile: string): string {
  const outdir = join(root, cdk);
  const out = execFileSync(
    process.execPath,
    [join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(REPO_ROOT, "tools", "cdktn", "synth-with.ts"), ...(cdk === "cdktn" ? ["--cdktn"] : []), outdir, artifactsFile],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  expect(out).toContain(`node_modules/${cdk}/lib/index.js`);
  return outdir;
}

type Stack = { "//"?: { metadata?: { version?: string } } } & Record<string, unknown>;
const read = (dir: string, stack: string) => JSON.parse(readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8")) as Stack;

describe("cdktf and cdktn", () => {
  it("synthesize the same stacks for every environment, but for the synthesizer's version", async () => {
    const artifactsFile = join(root, "artifacts.json");
    writeFileSync(artifactsFile, JSON.stringify(await testArtifacts()));
    const a = synthWith("cdktf", artifactsFile);
    const b = synthWith("cdktn", artifactsFile);
    const stacks = readdirSync(join(a, "stacks")).sort();
    expect(readdirSync(join(b, "stacks")).sort()).toEqual(stacks);
    expect(stacks).toEqual(["recorder-dev", "recorder-local", "recorder-prod", "recorder-staging"]);
    for (const stack of stacks) {
      const [x, y] = [read(a, stack), read(b, stack)];
      expect(x["//"]!.metadata!.version).toBe("0.21.0");
      expect(y["//"]!.metadata!.version).toBe("0.24.0");
      delete x["//"]!.metadata!.version;
      delete y["//"]!.metadata!.version;
      expect(y).toEqual(x);
    }
  });
});
