/** Test helpers: synthesize environments into a temporary folder and read the result back as plain JSON. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildArtifacts } from "../../infra/artifacts/build";
import { buildApp, REPO_ROOT } from "../../infra/app";
import { ENVIRONMENTS_DIR } from "../../infra/environments/load";
import type { RecorderStackArtifacts } from "../../infra/stacks/recorder-stack";

import type { TfJson } from "../../infra/synthesized/tf-json";
export type { TfJson };

let artifacts: Promise<RecorderStackArtifacts> | undefined;
/** The real artifacts (built once per test process; the store caches by content). */
export function testArtifacts(): Promise<RecorderStackArtifacts> {
  artifacts ??= buildArtifacts(REPO_ROOT, undefined, { restorePins: false }); // passed explicitly: no pin is read
  return artifacts;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A copy of the environments folder with some files replaced, so tests can vary one field at a time. */
export function environmentsWith(changes: Record<string, (env: Record<string, unknown>) => Record<string, unknown>>): string {
  const dir = tempDir("envs-");
  cpSync(ENVIRONMENTS_DIR, dir, { recursive: true, filter: (src) => !src.endsWith(".ts") });
  for (const [name, change] of Object.entries(changes)) {
    const file = join(dir, `${name}.json`);
    const current = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(change(current), null, 2));
  }
  return dir;
}

export interface Synthesized {
  outdir: string;
  stacks: Record<string, TfJson>;
  cleanup(): void;
}

export async function synthEnvironments(options: { environments?: string[]; environmentsDir?: string } = {}): Promise<Synthesized> {
  const outdir = tempDir("cdktf-out-");
  const { app } = buildApp({ outdir, environments: options.environments, environmentsDir: options.environmentsDir, artifacts: await testArtifacts() });
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const stacks: Record<string, TfJson> = {};
  for (const [name, s] of Object.entries(manifest.stacks)) {
    stacks[name] = JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")) as TfJson;
  }
  return { outdir, stacks, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** All resources of one type, without cdktf's metadata. */
export function resourcesOf(stack: TfJson, type: string): Array<Record<string, unknown> & { __name: string }> {
  return Object.entries(stack.resource?.[type] ?? {}).map(([name, body]) => {
    const rest: Record<string, unknown> = { ...body };
    delete rest["//"];
    return { ...rest, __name: name };
  });
}

export function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, found ${items.length}`);
  return items[0]!;
}
