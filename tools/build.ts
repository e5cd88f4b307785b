/** `npm run build`: content-addressed recorder bundle + ffmpeg layer in dist/artifacts/, with manifest.json. */
import { join } from "node:path";
import { buildArtifacts } from "../infra/artifacts/build";

async function main(): Promise<void> {
  const root = join(__dirname, "..");
  const started = Date.now();
  const { bundle, layer } = await buildArtifacts(root);
  for (const a of [bundle, layer]) {
    console.log(`${a.kind.padEnd(16)} ${a.hash}  ${(a.size / 1024).toFixed(1)} KiB zipped, ${(a.unpackedSize / 1024).toFixed(1)} KiB unpacked  (${a.sourceCommit})`);
  }
  console.log(`artifacts in dist/artifacts (manifest.json) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
