// Bundles bootstrap.ts into one plain JS file in the state folder, so instances start with `node bootstrap.js`
// (no TypeScript loader in the function's process, as on SCF).
import { buildSync } from "esbuild";
import { join } from "node:path";

export function buildBootstrap(outDir: string): string {
  const outfile = join(outDir, "bootstrap.js");
  buildSync({
    entryPoints: [join(__dirname, "bootstrap.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node18",
    outfile,
    logLevel: "silent",
  });
  return outfile;
}
