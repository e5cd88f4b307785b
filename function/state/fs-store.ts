// State store on a mounted file system (CFS under CFS_PATH). Writes go to a temp file first and are renamed into
// place so a reader never sees half a record; the exclusive create hard-links the finished temp file, which fails
// with EEXIST atomically (NFS honours link), and falls back to an `wx` open where links are not supported.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { StateStore } from "./store";

const TEMP_PREFIX = ".tmp-";

function isCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === "object" && err !== null && codes.includes(String((err as { code?: unknown }).code));
}

/** Keys are relative, "/"-separated, and may not climb out of the root. */
function resolveKey(root: string, key: string): string {
  if (key === "" || key.startsWith("/") || key.split("/").some((s) => s === ".." || s === "." || s === "")) {
    throw new Error(`fs-store: invalid key ${JSON.stringify(key)}`);
  }
  return path.join(root, ...key.split("/"));
}

async function writeTemp(target: string, body: Buffer | string): Promise<string> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `${TEMP_PREFIX}${randomBytes(6).toString("hex")}`);
  await fs.writeFile(temp, body);
  return temp;
}

async function walk(dir: string, rel: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isCode(err, "ENOENT", "ENOTDIR")) return;
    throw err;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(TEMP_PREFIX)) continue;
    const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) await walk(path.join(dir, entry.name), childRel, out);
    else out.push(childRel);
  }
}

export function createFsStore(root: string): StateStore {
  return {
    location: `cfs:${root}`,
    async get(key) {
      try {
        return await fs.readFile(resolveKey(root, key));
      } catch (err) {
        if (isCode(err, "ENOENT", "ENOTDIR", "EISDIR")) return undefined;
        throw err;
      }
    },
    async put(key, body) {
      const target = resolveKey(root, key);
      const temp = await writeTemp(target, body);
      await fs.rename(temp, target);
    },
    async create(key, body) {
      const target = resolveKey(root, key);
      const temp = await writeTemp(target, body);
      try {
        await fs.link(temp, target);
        return true;
      } catch (err) {
        if (isCode(err, "EEXIST")) return false;
        if (!isCode(err, "EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS")) throw err;
        // No hard links here: an exclusive open still guarantees a single winner (a reader may briefly see it empty).
        try {
          await fs.writeFile(target, body, { flag: "wx" });
          return true;
        } catch (err2) {
          if (isCode(err2, "EEXIST")) return false;
          throw err2;
        }
      } finally {
        await fs.rm(temp, { force: true });
      }
    },
    async delete(key) {
      await fs.rm(resolveKey(root, key), { force: true });
    },
    async list(prefix) {
      // Walk only the deepest directory the prefix names fully, then filter by the partial last segment.
      const slash = prefix.lastIndexOf("/");
      const dirRel = slash >= 0 ? prefix.slice(0, slash) : "";
      const dir = dirRel === "" ? root : resolveKey(root, dirRel);
      const keys: string[] = [];
      await walk(dir, dirRel, keys);
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
  };
}
