/**
 * Writes a zip whose bytes depend only on the entries' names, contents and modes: fixed timestamps, sorted entries.
 * That is what makes "same source → same artifact hash" true, and so what lets environments pin and promote bytes.
 */
import { createWriteStream, renameSync } from "node:fs";
import { ZipFile } from "yazl";

export interface ZipEntry {
  /** Path inside the archive (forward slashes). */
  name: string;
  /** File contents, or a path on disk to stream (large binaries such as ffmpeg). */
  data: Buffer | { file: string };
  /** Unix mode; 0o755 for executables (SCF unpacks layers keeping it). */
  mode?: number;
}

// A constant timestamp, built from LOCAL components on purpose: zip stores DOS dates in local time (yazl reads
// getFullYear()/getHours()), so a UTC instant would encode differently in Shanghai than on a UTC CI runner and the same
// source would hash differently per machine. For the same reason the Info-ZIP "UT" extra field (a UTC Unix time, which
// a local-midnight Date shifts per time zone) is left out: forceDosTimestamp. 2000, not 1980 (the first DOS date):
// yazl clamps anything before its own local 1980-01-01, and a date on that edge can fall on the wrong side of it.
const fixedMtime = (): Date => new Date(2000, 0, 1, 0, 0, 0);

/**
 * What, besides the entries, decides the zip's bytes: this writer's layout and the deflate implementation. Build
 * caches key on it, so a changed writer (or another zlib) rebuilds instead of reusing bytes it would not produce.
 */
export const ZIP_FORMAT = `yazl-3/dos-2000-local/no-ut/deflate-9/zlib-${process.versions.zlib}`;

export async function writeDeterministicZip(outPath: string, entries: ZipEntry[], compressionLevel = 9): Promise<void> {
  const zip = new ZipFile();
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of sorted) {
    const options = { mtime: fixedMtime(), mode: (entry.mode ?? 0o644) | 0o100000, compressionLevel, forceDosTimestamp: true };
    if (Buffer.isBuffer(entry.data)) zip.addBuffer(entry.data, entry.name, options);
    else zip.addFile(entry.data.file, entry.name, options);
  }
  zip.end();
  // Write beside the target and rename, so a crash never leaves a half-written artifact under its final name.
  const partial = `${outPath}.partial`;
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(partial);
    zip.outputStream.on("error", reject).pipe(out).on("error", reject).on("close", () => resolve());
  });
  renameSync(partial, outPath);
}
