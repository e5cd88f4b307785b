// Where delivery may put intermediate files: CFS (when mounted, writable and roomy) survives continuations and is
// large; /tmp is 512 MB and per instance. Free space is checked with statfs before choosing.
import { constants, promises as fs } from "node:fs";
import path from "node:path";

export interface WorkDirChoice {
  /** The recording's own directory under the chosen root (created). */
  dir: string;
  root: string;
  freeBytes: number;
}

async function freeBytesOf(dir: string): Promise<number | undefined> {
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.access(dir, constants.W_OK);
    const st = await fs.statfs(dir);
    return st.bavail * st.bsize;
  } catch {
    return undefined;
  }
}

/**
 * The first root that is writable with at least `minFreeBytes` free; if none has enough, the roomiest writable one
 * (delivery reports "transcode failed" if it then runs out, rather than the recorder refusing to try).
 */
export async function chooseWorkDir(roots: string[], minFreeBytes: number, recordingId: string): Promise<WorkDirChoice> {
  let best: { root: string; free: number } | undefined;
  for (const root of roots) {
    const free = await freeBytesOf(root);
    if (free === undefined) continue;
    if (free >= minFreeBytes) {
      best = { root, free };
      break;
    }
    if (!best || free > best.free) best = { root, free };
  }
  if (!best) throw new Error(`no writable work directory among ${roots.join(", ")}`);
  const dir = path.join(best.root, recordingId);
  await fs.mkdir(dir, { recursive: true });
  return { dir, root: best.root, freeBytes: best.free };
}
