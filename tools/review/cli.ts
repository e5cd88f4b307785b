/**
 * `npm run review` — what a change does to every environment, as Markdown for the pull request.
 *
 *   npm run review                                  base = merge base with main, head = the working tree
 *   npm run review -- --base origin/main --env prod  one environment (repeat --env for more)
 *   npm run review -- --head HEAD~1 --base HEAD~3    two commits
 *   npm run review -- --envs staging,prod           drift between two environments at the head
 *   npm run review -- --out review.md               also write the Markdown to a file (for a PR comment)
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadStacks } from "./load-stack";
import { renderDrift, renderReview } from "./render-markdown";
import { driftBetween, reviewStacks, stackNameOf } from "./review";
import { mergeBase, synthAtRef, synthWorkingTree, type SynthRun } from "./synth-at-ref";

const USAGE = `usage: npm run review -- [--base <ref>] [--head <ref>] [--env <name>]... [--out <file>]
       npm run review -- --envs <a>,<b> [--head <ref>] [--out <file>]`;

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.partial`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function main(argv: string[]): Promise<{ markdown: string; out?: string }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      base: { type: "string" },
      head: { type: "string" },
      env: { type: "string", multiple: true },
      envs: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return { markdown: `${USAGE}\n` };
  // The repository root, without importing infra/app (which loads cdktf): this process only diffs JSON.
  const root = join(__dirname, "..", "..");
  const synthHead = (envs?: string[]): Promise<SynthRun> => (values.head ? synthAtRef(root, values.head, envs) : synthWorkingTree(root, envs));

  if (values.envs !== undefined) {
    const pair = values.envs.split(",").map((s) => s.trim()).filter(Boolean);
    if (pair.length !== 2 || pair[0] === pair[1]) throw new Error(`--envs: expected two different environments like staging,prod, got "${values.envs}"`);
    const [a, b] = pair as [string, string];
    const head = await synthHead(pair);
    try {
      const drift = driftBetween(loadStacks(head.outdir), a, b, stackNameOf);
      process.stderr.write(`synthesized ${a} and ${b} (${head.label}) in ${(head.ms / 1000).toFixed(1)} s\n`);
      return { out: values.out, markdown: renderDrift({ a, b, normalized: drift.normalized, context: [`Both synthesized from the ${head.label}.`], stack: drift.stack }) };
    } finally {
      head.cleanup();
    }
  }

  const baseRef = values.base ?? mergeBase(root);
  const envs = values.env?.length ? values.env : undefined;
  const started = Date.now();
  // Base and head synthesize in parallel: they are separate processes writing separate folders. When one fails,
  // the other's output folder is still removed.
  const [baseRun, headRun] = await Promise.allSettled([synthAtRef(root, baseRef, envs), synthHead(envs)]);
  if (baseRun.status === "rejected" || headRun.status === "rejected") {
    for (const r of [baseRun, headRun]) if (r.status === "fulfilled") r.value.cleanup();
    throw baseRun.status === "rejected" ? baseRun.reason : (headRun as PromiseRejectedResult).reason;
  }
  const base = baseRun.value;
  const head = headRun.value;
  try {
    const stacks = reviewStacks(loadStacks(base.outdir), loadStacks(head.outdir));
    process.stderr.write(`synthesized base ${base.label} and head ${head.label} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const markdown = renderReview({
      title: "Infrastructure review",
      context: [
        `Base: \`${base.label}\`${values.base ? ` (${values.base})` : " (merge base with main)"}. Head: ${values.head ? `\`${head.label}\` (${values.head})` : "the working tree, uncommitted changes included"}.`,
        "Verdicts come from the synthesized configuration and the provider's rules (ForceNew, fails or ignored at apply: tools/review/provider-rules.ts), not from a Terraform plan: computed values show as known after apply.",
      ],
      stacks,
    });
    return { markdown, out: values.out };
  } finally {
    base.cleanup();
    head.cleanup();
  }
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then(({ markdown, out }) => {
      if (out) {
        writeAtomically(resolve(process.cwd(), out), markdown);
        process.stderr.write(`wrote ${out}\n`);
      }
      process.stdout.write(markdown);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      console.error(USAGE);
      process.exit(1);
    });
}

export { main as reviewCli };
