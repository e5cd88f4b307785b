/**
 * `npm run build`: content-addressed recorder bundle + ffmpeg layer in dist/artifacts/, with manifest.json.
 * `npm run build -- --at <git ref>`: build that commit (in a temporary worktree, with its own build) into the same
 * store without moving "latest" — how an older pinned artifact comes back on a fresh machine.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildArtifacts } from "../infra/artifacts/build";
import { buildArtifactsAtRef } from "../infra/artifacts/build-at-ref";

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { at: { type: "string" } } });
  const root = join(__dirname, "..");
  const started = Date.now();
  const built = values.at
    ? (await buildArtifactsAtRef(root, values.at)).map((r) => ({ kind: r.kind, hash: r.hash, size: r.size, unpackedSize: r.unpackedSize, sourceCommit: r.sourceCommit }))
    : await buildArtifacts(root).then(({ bundle, layer }) => [bundle, layer]);
  for (const a of built) {
    console.log(`${a.kind.padEnd(16)} ${a.hash}  ${kib(a.size)} zipped, ${a.unpackedSize === undefined ? "?" : kib(a.unpackedSize)} unpacked  (${a.sourceCommit})`);
  }
  console.log(`artifacts in dist/artifacts (manifest.json) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
