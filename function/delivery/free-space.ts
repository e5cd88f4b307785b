// Local disk is the scarce resource on SCF (/tmp is 512 MB by default): anything written to the work dir is checked
// against statfs first, so "no space" is reported before a half-written download, not after.
import { statfs } from "node:fs/promises";
import { StageError } from "./cos-errors";

/** Kept free on top of what a download needs (ffmpeg's list files, other tenants of a shared CFS). */
const HEADROOM_BYTES = 32 * 1024 * 1024;

export async function freeBytes(dir: string): Promise<number> {
  const st = await statfs(dir);
  return st.bavail * st.bsize;
}

export async function ensureFreeSpace(dir: string, bytes: number, what: string): Promise<void> {
  const free = await freeBytes(dir);
  if (free < bytes + HEADROOM_BYTES) {
    const mib = (n: number) => `${Math.ceil(n / 1024 / 1024)} MiB`;
    throw new StageError("transcode failed", `work dir ${dir} has ${mib(free)} free; ${what} needs ${mib(bytes)} plus ${mib(HEADROOM_BYTES)} headroom (set CFS_PATH for large recordings)`);
  }
}
