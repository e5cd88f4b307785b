/**
 * `npx tsx bench/review/run.ts [--quick]`: how long `npm run review` takes for every environment, for two diffs, next
 * to one plain synth of every environment (`npx tsx infra/main.ts`), all child processes measured in this run:
 *   - the empty diff: base = head = the committed HEAD;
 *   - a real change: a bundle change (a runtime string in function/log/logger.ts, so the bundle's hash and the
 *     function resources change) plus a config change (dev's log retention 7 → 14 days) against the committed HEAD.
 * Everything runs in a throw-away clone of the committed HEAD (its own worktrees, node_modules linked), so the
 * working tree other people edit is neither read nor touched. The review synthesizes twice (base in a worktree,
 * head in place, in parallel) and then diffs and renders; the target is review ≤ 2.5 × synth. Rounds alternate the
 * order of the three measurements. Prints numbers only; nothing is asserted.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTsx } from "../../infra/artifacts/run-tsx";
import { synthWorkingTree } from "../../tools/review/synth-at-ref";

const REPO_ROOT = join(__dirname, "..", "..");
const quick = process.argv.includes("--quick");
const rounds = quick ? 1 : 3;

/** The real change: one runtime string of the bundle, one environment setting. */
const CHANGE: Array<{ file: string; from: string; to: string }> = [
  { file: "function/log/logger.ts", from: '"fields not serialisable"', to: '"fields could not be serialised"' },
  { file: "infra/environments/dev.json", from: '"logRetentionDays": 7', to: '"logRetentionDays": 14' },
];

function cloneHead(): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-review-"));
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", REPO_ROOT, dir]);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

function applyChange(root: string, on: boolean): void {
  for (const c of CHANGE) {
    const file = join(root, c.file);
    const text = readFileSync(file, "utf8");
    const [a, b] = on ? [c.from, c.to] : [c.to, c.from];
    if (!text.includes(a) && !text.includes(b)) throw new Error(`bench/review: ${c.file} no longer contains ${c.from}; update CHANGE`);
    writeFileSync(file, text.replace(a, b));
  }
}

async function timeSynth(root: string): Promise<number> {
  const started = performance.now();
  const run = await synthWorkingTree(root);
  const ms = performance.now() - started;
  run.cleanup();
  return ms;
}

/** The whole `npm run review` as a user waits for it: its own process, start-up included. */
async function timeReview(root: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const run = await runTsx(root, "tools/review/cli.ts", {}, ["--base", "HEAD"]);
  return { ms: performance.now() - started, bytes: run.stdout.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const root = cloneHead();
  try {
    // Warm-up (file cache, tsx transform cache, artifact store) so the first measured round is not an outlier.
    await timeSynth(root);
    const synth: number[] = [];
    const empty: number[] = [];
    const real: number[] = [];
    let bytes = { empty: 0, real: 0 };
    const steps: Array<() => Promise<void>> = [
      async () => void synth.push(await timeSynth(root)),
      async () => {
        applyChange(root, false);
        const r = await timeReview(root);
        empty.push(r.ms);
        bytes.empty = r.bytes;
      },
      async () => {
        applyChange(root, true);
        try {
          const r = await timeReview(root);
          real.push(r.ms);
          bytes = { ...bytes, real: r.bytes };
        } finally {
          applyChange(root, false);
        }
      },
    ];
    for (let i = 0; i < rounds; i++) {
      // Rotate the order so background load drifts hit every measurement alike.
      for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]!();
      console.log(`round ${i + 1}: synth ${s(synth[i]!)}, review empty ${s(empty[i]!)}, review real change ${s(real[i]!)}`);
    }
    console.log("");
    console.log("| measure (all environments, committed HEAD in a clone) | median | / synth |");
    console.log("|---|---|---|");
    console.log(`| synth alone (infra/main.ts) | ${s(median(synth))} | 1.00 |`);
    console.log(`| review, empty diff (Markdown ${Math.round(bytes.empty / 1024)} KiB) | ${s(median(empty))} | ${(median(empty) / median(synth)).toFixed(2)} |`);
    console.log(`| review, bundle + config change (Markdown ${Math.round(bytes.real / 1024)} KiB) | ${s(median(real))} | ${(median(real) / median(synth)).toFixed(2)} |`);
    console.log("target: review / synth ≤ 2.5");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
