// Claims, leases and the TRTC event log are the only keys written with an exclusive create, and on COS an exclusive
// create exists only in a bucket that never had versioning: COS ignores x-cos-forbid-overwrite once versioning was
// ever enabled, even suspended (PUT Object, https://cloud.tencent.com/document/product/436/7749). The status
// records stay in the versioned state bucket (every revision kept); these prefixes go to the lock store, for every
// operation, so a key is always read, listed and deleted where it was created.
import type { StateStore } from "./store";

export const EXCLUSIVE_PREFIXES: readonly string[] = ["claims/", "leases/", "events/", "task-events/", "watchdog/"];

export function isExclusiveKey(key: string): boolean {
  return EXCLUSIVE_PREFIXES.some((p) => key.startsWith(p));
}

/** `main` for records and everything else; `locks` for the exclusive prefixes. The same store twice is returned as is. */
export function routeExclusiveKeys(main: StateStore, locks: StateStore): StateStore {
  if (main === locks) return main;
  const pick = (key: string) => (isExclusiveKey(key) ? locks : main);
  return {
    location: `${main.location} + locks ${locks.location}`,
    get: (key) => pick(key).get(key),
    put: (key, body) => pick(key).put(key, body),
    async create(key, body) {
      // An exclusive create anywhere else would silently be an overwrite on the versioned state bucket.
      if (!isExclusiveKey(key)) throw new Error(`exclusive create of ${key}: only ${EXCLUSIVE_PREFIXES.join(", ")} keys may be created exclusively`);
      return locks.create(key, body);
    },
    delete: (key) => pick(key).delete(key),
    list: (prefix) => pick(prefix).list(prefix),
  };
}
