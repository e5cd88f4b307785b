/**
 * `npm run bench`: runs every benchmark in turn; each prints its own table and ratios against a baseline measured in
 * the same run. No pass/fail: the numbers are for people (and the closing notes), not for assertions.
 * `npm run bench -- bundle review` runs a subset; `--quick` is passed through to benches that support it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ALL = ["bundle", "review", "delivery", "e2e", "scale"];
const args = process.argv.slice(2);
const chosen = args.filter((a) => !a.startsWith("--"));
const passThrough = args.filter((a) => a.startsWith("--"));
let failed = false;
for (const name of chosen.length ? chosen : ALL) {
  const entry = join(__dirname, name, "run.ts");
  if (!existsSync(entry)) {
    console.error(`bench ${name}: no ${entry}`);
    failed = true;
    continue;
  }
  console.log(`\n=== bench/${name} ===`);
  const r = spawnSync(process.execPath, [join(__dirname, "..", "node_modules", "tsx", "dist", "cli.mjs"), entry, ...passThrough], { stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
