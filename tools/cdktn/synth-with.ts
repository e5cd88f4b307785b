/**
 * Synthesizes every environment with cdktf (default) or, with `--cdktn`, with CDK Terrain, into an output folder, on
 * the artifacts given in a JSON file. The equivalence test runs it twice in child processes: the module swap of
 * use-cdktn.ts must happen before anything loads cdktf, so the app is required only after it.
 * usage: tsx tools/cdktn/synth-with.ts [--cdktn] <outdir> <artifacts.json>
 */
import { readFileSync } from "node:fs";
import type { RecorderStackArtifacts } from "../../infra/stacks/recorder-stack";

const args = process.argv.slice(2);
const cdktn = args[0] === "--cdktn";
const [outdir, artifactsFile] = cdktn ? args.slice(1) : args;
if (!outdir || !artifactsFile) {
  console.error("usage: synth-with.ts [--cdktn] <outdir> <artifacts.json>");
  process.exit(2);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the swap must run before infra/app loads cdktf
if (cdktn) require("./use-cdktn");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildApp } = require("../../infra/app") as typeof import("../../infra/app");
const artifacts = JSON.parse(readFileSync(artifactsFile, "utf8")) as RecorderStackArtifacts;
buildApp({ outdir, artifacts }).app.synth();
console.log(`synthesized with ${require.resolve(cdktn ? "cdktn" : "cdktf")}`);
