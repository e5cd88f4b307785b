// One JSON document per emulated service, kept in the control plane's state folder so that resources survive a
// restart of the local cloud (Terraform's state outlives any one process; the emulated account must as well).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface PersistedState<T> {
  /** The live document; mutate it, then call save(). */
  readonly data: T;
  /** Writes the document atomically (temp file + rename), so a crash never leaves half a state file. */
  save(): void;
}

/**
 * Loads `<dir>/<name>.json`, or starts from `initial()` when the folder has none. Without `dir` the state lives in
 * memory only (tests that do not need persistence).
 */
export function persistedState<T>(dir: string | undefined, name: string, initial: () => T): PersistedState<T> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`persistedState: name must be [a-z0-9-]+, got ${JSON.stringify(name)}`);
  const file = dir ? join(dir, `${name}.json`) : undefined;
  let data: T;
  try {
    data = file ? (JSON.parse(readFileSync(file, "utf8")) as T) : initial();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`control-plane state ${file} is unreadable: ${(e as Error).message}`);
    data = initial();
  }
  return {
    data,
    save() {
      if (!file || !dir) return;
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data, null, 1));
      renameSync(tmp, file);
    },
  };
}
