/**
 * Bundle benchmark: our recorder bundle against baselines that each change ONE thing, all built in this run with the
 * same esbuild settings (minified, node18, one CJS file):
 *   - whole SDK: `tencentcloud-sdk-nodejs` imported at the package root (every service) instead of per service;
 *   - no shims: the unused-dependency shims off (infra/artifacts/function-bundle.ts);
 *   - unminified: minify off (everything else as ours).
 * Prints raw and zipped size and cold load: a fresh `node` with the environment the function really gets (every
 * variable set, clients pointed at the COS, KMS and TRTC doubles of the test harness) requires the bundle and calls
 * `recorderApi` once with a TRTC event whose Sign is wrong — its first real answer (401) needs the event key, read
 * from the state bucket through COS and opened with KMS. Median of N runs, in alternating order. Targets: zipped
 * ≤ 1 MB and ≤ 15% of the whole-SDK one. Ratios only; nothing is asserted.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { bundleFunction, unusedDependencyShims } from "../../infra/artifacts/function-bundle";
import { writeDeterministicZip } from "../../infra/artifacts/deterministic-zip";
import { startRecorderHarness, type RecorderHarness } from "../../test/function/harness";

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

// argv: bundle file, API Gateway event (JSON). Prints the time to the first answer and that answer's status.
const COLD_LOAD = `
const t0 = process.hrtime.bigint();
const m = require(process.argv[1]);
const event = JSON.parse(process.argv[2]);
const ctx = { request_id: "bench-cold", getRemainingTimeInMillis: () => 10000, time_limit_in_ms: 10000, memory_limit_in_mb: 256 };
Promise.resolve(m.recorderApi(event, ctx)).then((res) => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stderr.write("COLD_LOAD_MS=" + ms + " STATUS=" + (res && res.statusCode) + " BODY=" + JSON.stringify(res && res.body).slice(0, 160) + String.fromCharCode(10));
  process.exit(0);
}, (err) => { process.stderr.write("FAILED " + (err && err.stack) + String.fromCharCode(10)); process.exit(1); });`;

interface Built {
  name: string;
  differs: string;
  file: string;
  raw: number;
  zipped: number;
  cold: number[];
  answers: Set<string>;
}

/** One fresh node process; async, so the doubles in this process keep answering while it runs. */
function coldLoadOnce(file: string, env: Record<string, string>, event: unknown): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", COLD_LOAD, file, JSON.stringify(event)], { env: { ...env, PATH: process.env.PATH ?? "" } });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => {
      const m = /COLD_LOAD_MS=([\d.]+) STATUS=(\S+) BODY=(.*)/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`cold load of ${file} failed (exit ${code}): ${err.slice(-800)}`));
      resolve({ ms: Number(m[1]), answer: `${m[2]} ${m[3]}` });
    });
  });
}

async function build(name: string, differs: string, code: Buffer, dir: string): Promise<Built> {
  const file = join(dir, `${name.replace(/\W+/g, "-")}.js`);
  writeFileSync(file, code);
  const zip = join(dir, `${name.replace(/\W+/g, "-")}.zip`);
  await writeDeterministicZip(zip, [{ name: "index.js", data: code }]);
  return { name, differs, file, raw: code.length, zipped: statSync(zip).size, cold: [], answers: new Set() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  let h: RecorderHarness | undefined;
  try {
    const bundles = [
      await build("ours", "(production build)", await bundleFunction({ root }), dir),
      await build("whole SDK", "SDK imported at the package root", await bundleFunction({ root, plugins: [wholeSdk, unusedDependencyShims] }), dir),
      await build("no shims", "unused-dependency shims off", await bundleFunction({ root, plugins: [] }), dir),
      await build("unminified", "minify off", await bundleFunction({ root, minify: false }), dir),
    ];
    h = await startRecorderHarness({ deliver: async () => ({ kind: "failed", message: "transcode failed", detail: "bench: not used" }) });
    const event = h.apigwRequest("POST", "/trtc-events", JSON.stringify({ EventGroupId: 3, EventType: 301, CallbackTs: Date.now(), EventInfo: {} }), { sign: "d3Jvbmctc2lnbmF0dXJlLTAwMDAwMDAwMDAwMDAwMDA=" });
    // Alternate the order each round so drift on the machine hits every bundle alike.
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? bundles : [...bundles].reverse();
      for (const b of order) {
        const r = await coldLoadOnce(b.file, h.env as Record<string, string>, event);
        b.cold.push(r.ms);
        b.answers.add(r.answer);
      }
    }
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const ours = bundles[0]!;
    console.log(`bundle benchmark (cold load: median of ${runs} fresh node processes, alternating order, harness environment)`);
    console.log("| bundle | differs from ours in | raw | zipped | cold load to first answer | ours/this zipped | ours/this cold |");
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    for (const b of bundles) {
      console.log(`| ${b.name} | ${b.differs} | ${kb(b.raw)} | ${kb(b.zipped)} | ${median(b.cold).toFixed(1)} ms | ${(ours.zipped / b.zipped).toFixed(3)} | ${(median(ours.cold) / median(b.cold)).toFixed(3)} |`);
    }
    console.log(`first answers seen: ${[...new Set(bundles.flatMap((b) => [...b.answers]))].join(" / ")}`);
    console.log(`zipped ours/whole-SDK: ${(ours.zipped / bundles[1]!.zipped).toFixed(3)} (target ≤ 0.15); zipped ours ${kb(ours.zipped)} (target ≤ 1024 KiB)`);
  } finally {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
