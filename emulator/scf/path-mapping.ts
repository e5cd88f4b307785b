// Container paths a function sees on SCF, and where they live on this machine. SCF unpacks layers into /opt and
// mounts CFS at cfs_config.local_mount_dir; locally those are folders in the state directory, and every
// environment value that names such a path is rewritten to the local folder (CFS_PATH=/mnt/recordings →
// <state>/cfs/<fs-id>, FFMPEG_PATH=/opt/ffmpeg → <state>/opt/<layers>/ffmpeg). The table is printed at start.
import { join } from "node:path";
import type { LocalFunction } from "../deployment";

export interface PathMapping {
  /** The path inside an SCF instance. */
  container: string;
  /** The local folder standing in for it. */
  host: string;
  what: string;
}

export function functionPathMappings(fn: LocalFunction, dirs: { optDir: string; cfsRoot: string }): PathMapping[] {
  const mappings: PathMapping[] = [{ container: "/opt", host: dirs.optDir, what: `layers ${fn.layers.map((l) => `${l.name}@${l.version}`).join(", ") || "(none)"}` }];
  for (const m of fn.mounts) {
    const remote = m.remoteMountDir.replace(/^\/+/, "");
    mappings.push({ container: m.localMountDir.replace(/\/+$/, "") || "/", host: join(dirs.cfsRoot, m.fsId, remote), what: `CFS ${m.fsId}:${m.remoteMountDir}` });
  }
  return mappings;
}

/** `value` with a leading container path replaced by its local folder (longest container path first). */
export function mapPath(value: string, mappings: PathMapping[]): string {
  const sorted = [...mappings].sort((a, b) => b.container.length - a.container.length);
  for (const m of sorted) {
    if (value === m.container || value === `${m.container}/`) return value.endsWith("/") ? `${m.host}/` : m.host;
    if (value.startsWith(`${m.container}/`)) return join(m.host, value.slice(m.container.length + 1));
  }
  return value;
}
