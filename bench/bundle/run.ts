/**
 * Bundle benchmark: our recorder bundle against a naive bundle of the same entry that imports the whole
 * tencentcloud SDK (not per service), keeps every dependency and is not minified. Both are built in this run.
 * Prints raw and zipped size, and cold load (a fresh `node` that requires the bundle and calls `recorderApi` once
 * with a bad request), median of N runs. Targets: zipped ≤ 1 MB and ≤ 15% of the naive one.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { bundleFunction } from "../../infra/artifacts/function-bundle";
import { writeDeterministicZip } from "../../infra/artifacts/deterministic-zip";

const root = join(__dirname, "..", "..");
const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 9);

/** What a first version would do: `import { trtc } from "tencentcloud-sdk-nodejs"` — the package root, every service. */
const wholeSdk: Plugin = {
  name: "whole-sdk",
  setup(b) {
    b.onResolve({ filter: /^tencentcloud-sdk-nodejs\/tencentcloud\/services\// }, () => ({ path: "whole-sdk", namespace: "naive" }));
    b.onLoad({ filter: /.*/, namespace: "naive" }, () => ({
      contents: 'module.exports = require("tencentcloud-sdk-nodejs");',
      loader: "js",
      resolveDir: root,
    }));
  },
};

const COLD_LOAD = `
const t0 = process.hrtime.bigint();
const m = require(process.argv[1]);
const event = { httpMethod: "GET", path: "/recordings/", headers: {}, body: "", isBase64Encoded: false, requestContext: { httpMethod: "GET", path: "/recordings/{id}" } };
const ctx = { request_id: "bench", getRemainingTimeInMillis: () => 10000, time_limit_in_ms: 10000, memory_limit_in_mb: 256 };
Promise.resolve(m.recorderApi(event, ctx)).catch(() => undefined).then(() => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stderr.write("COLD_LOAD_MS=" + ms + String.fromCharCode(10));
  process.exit(0);
});`;

function coldLoadMs(file: string): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ["-e", COLD_LOAD, file], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    if (r.status !== 0) throw new Error(`cold load of ${file} failed: ${r.stderr}`);
    const m = /COLD_LOAD_MS=([\d.]+)/.exec(r.stderr);
    if (!m) throw new Error(`cold load of ${file} printed no timing: ${r.stderr.slice(-500)}`);
    samples.push(Number(m[1]));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

async function measure(name: string, code: Buffer, dir: string) {
  const file = join(dir, `${name}.js`);
  writeFileSync(file, code);
  const zip = join(dir, `${name}.zip`);
  await writeDeterministicZip(zip, [{ name: "index.js", data: code }]);
  return { name, raw: code.length, zipped: statSync(zip).size, coldMs: coldLoadMs(file) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  try {
    const ours = await measure("ours", await bundleFunction({ root }), dir);
    const naive = await measure("naive", await bundleFunction({ root, minify: false, plugins: [wholeSdk] }), dir);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(`bundle benchmark (cold load: median of ${runs} fresh node processes)`);
    console.log("| bundle | raw | zipped | cold load |");
    console.log("| --- | --- | --- | --- |");
    for (const m of [ours, naive]) console.log(`| ${m.name} | ${kb(m.raw)} | ${kb(m.zipped)} | ${m.coldMs.toFixed(1)} ms |`);
    console.log(`zipped ratio ours/naive: ${(ours.zipped / naive.zipped).toFixed(3)} (target ≤ 0.15); zipped ours ${kb(ours.zipped)} (target ≤ 1024 KiB)`);
    console.log(`raw ratio ours/naive: ${(ours.raw / naive.raw).toFixed(3)}; cold-load ratio ours/naive: ${(ours.coldMs / naive.coldMs).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
