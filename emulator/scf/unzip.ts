// Unpacks a code or layer zip the way SCF does: every entry at its path below the target (the entry file at the
// root), Unix modes kept (the ffmpeg layer's binary must stay executable). Extraction goes to a sibling temp dir
// that is renamed into place, so a crash never leaves a half-unpacked function behind.
import { createWriteStream } from "node:fs";
import { chmod, cp, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import * as yauzl from "yauzl";

export interface ZipListing {
  entries: Array<{ name: string; size: number; mode: number }>;
  uncompressedBytes: number;
}

function modeOf(entry: yauzl.Entry): number {
  const unix = (entry.externalFileAttributes >>> 16) & 0o777;
  return unix === 0 ? 0o644 : unix;
}

export async function listZip(zipPath: string): Promise<ZipListing> {
  const zip = await yauzl.openPromise(zipPath);
  const entries: ZipListing["entries"] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push({ name: entry.fileName, size: entry.uncompressedSize, mode: modeOf(entry) });
  } finally {
    zip.close();
  }
  return { entries, uncompressedBytes: entries.reduce((n, e) => n + e.size, 0) };
}

/** Extracts `zipPath` into `target` (created; an existing target is replaced). */
export async function extractZip(zipPath: string, target: string): Promise<void> {
  const staging = `${target}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const root = resolve(staging);
  const zip = await yauzl.openPromise(zipPath);
  try {
    for await (const entry of zip.eachEntry()) {
      // yauzl already refuses absolute and "../" names; this keeps the guarantee local and explicit.
      const dest = resolve(root, entry.fileName);
      if (dest !== root && !dest.startsWith(root + sep)) throw new Error(`${zipPath}: entry ${JSON.stringify(entry.fileName)} escapes the target`);
      if (entry.fileName.endsWith("/")) {
        await mkdir(dest, { recursive: true });
        continue;
      }
      await mkdir(dirname(dest), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(dest));
      await chmod(dest, modeOf(entry));
    }
  } finally {
    zip.close();
  }
  await rm(target, { recursive: true, force: true });
  await mkdir(dirname(target), { recursive: true });
  await rename(staging, target);
}

/** Extracts several zips into one target in order, later ones overwriting earlier files (SCF's layer order rule). */
export async function extractLayered(zipPaths: string[], target: string): Promise<void> {
  const staging = `${target}.layers-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  for (const [i, zipPath] of zipPaths.entries()) {
    const part = join(staging, `.layer-${i}`);
    await extractZip(zipPath, part);
    await mergeInto(part, staging);
    await rm(part, { recursive: true, force: true });
  }
  await rm(target, { recursive: true, force: true });
  await mkdir(dirname(target), { recursive: true });
  await rename(staging, target);
}

async function mergeInto(from: string, to: string): Promise<void> {
  for (const name of await readdir(from)) {
    const src = join(from, name);
    const st = await stat(src);
    if (st.isDirectory()) {
      await mkdir(join(to, name), { recursive: true });
      await mergeInto(src, join(to, name));
    } else {
      await rm(join(to, name), { force: true });
      await rename(src, join(to, name)).catch(() => cp(src, join(to, name), { preserveTimestamps: true }));
    }
  }
}
