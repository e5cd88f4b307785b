/**
 * `npx tsx bench/review/run.ts [--quick] [--base <ref>]`: how long `npm run review` takes for every environment, against
 * one plain synth of every environment (`npx tsx infra/main.ts`), both as child processes, measured in this run.
 * The review synthesizes twice (base in a worktree, head in place, in parallel) and then diffs and renders; the
 * target is review ≤ 2.5 × synth. Prints numbers only; nothing is asserted (timings belong here, not in tests).
 */
import { join } from "node:path";
import { runTsx } from "../../infra/artifacts/run-tsx";
import { synthWorkingTree } from "../../tools/review/synth-at-ref";

const REPO_ROOT = join(__dirname, "..", "..");
const quick = process.argv.includes("--quick");
// `--base <ref>` as for `npm run review` (default: the merge base with main).
const baseIndex = process.argv.indexOf("--base");
const reviewArgs = baseIndex > 0 && process.argv[baseIndex + 1] ? ["--base", process.argv[baseIndex + 1]!] : [];
const rounds = quick ? 1 : 3;

async function timeSynth(): Promise<number> {
  const started = performance.now();
  const run = await synthWorkingTree(REPO_ROOT);
  const ms = performance.now() - started;
  run.cleanup();
  return ms;
}

/** The whole `npm run review` as a user waits for it: its own process, start-up included. */
async function timeReview(): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const run = await runTsx(REPO_ROOT, "tools/review/cli.ts", {}, reviewArgs);
  return { ms: performance.now() - started, bytes: run.stdout.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  // Warm-up (file cache, tsx transform cache, artifact store) so the first measured round is not an outlier.
  await timeSynth();
  const synth: number[] = [];
  const review: number[] = [];
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    // Alternate the order so background load drifts hit both sides alike.
    if (i % 2 === 0) {
      synth.push(await timeSynth());
      const r = await timeReview();
      review.push(r.ms);
      bytes = r.bytes;
    } else {
      const r = await timeReview();
      review.push(r.ms);
      bytes = r.bytes;
      synth.push(await timeSynth());
    }
    console.log(`round ${i + 1}: synth ${s(synth[i]!)}, review ${s(review[i]!)}, ratio ${(review[i]! / synth[i]!).toFixed(2)}`);
  }
  const ratio = median(review) / median(synth);
  console.log("");
  console.log("| measure (all environments) | median |");
  console.log("|---|---|");
  console.log(`| synth alone (infra/main.ts) | ${s(median(synth))} |`);
  console.log(`| review (base + head synth, diff, Markdown ${Math.round(bytes / 1024)} KiB) | ${s(median(review))} |`);
  console.log(`| ratio review / synth (target ≤ 2.5) | ${ratio.toFixed(2)} |`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
