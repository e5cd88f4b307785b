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

// 1980-01-01 is the earliest DOS date; any constant works, this one makes the intent obvious.
const FIXED_MTIME = new Date("1980-01-01T00:00:00Z");

export async function writeDeterministicZip(outPath: string, entries: ZipEntry[], compressionLevel = 9): Promise<void> {
  const zip = new ZipFile();
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of sorted) {
    const options = { mtime: FIXED_MTIME, mode: (entry.mode ?? 0o644) | 0o100000, compressionLevel };
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
