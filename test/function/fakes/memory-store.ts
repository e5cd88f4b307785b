// In-memory StateStore (a fake of our port, not of an SDK) for unit tests of code above the store.
import type { StateStore } from "../../../function/state/store";

export interface MemoryStore extends StateStore {
  readonly objects: Map<string, Buffer>;
}

export function memoryStore(): MemoryStore {
  const objects = new Map<string, Buffer>();
  const toBuf = (b: Buffer | string) => (Buffer.isBuffer(b) ? Buffer.from(b) : Buffer.from(b, "utf8"));
  return {
    objects,
    location: "memory:",
    get: async (key) => {
      const v = objects.get(key);
      return v ? Buffer.from(v) : undefined;
    },
    put: async (key, body) => {
      objects.set(key, toBuf(body));
    },
    create: async (key, body) => {
      if (objects.has(key)) return false;
      objects.set(key, toBuf(body));
      return true;
    },
    delete: async (key) => {
      objects.delete(key);
    },
    list: async (prefix) => [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(),
  };
}
