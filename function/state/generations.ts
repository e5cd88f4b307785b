// A slot owned by whoever created its newest generation. Ownership changes only by an exclusive create of the next
// generation number, so exactly one of any number of concurrent takers wins — on COS (an unversioned bucket honours
// x-cos-forbid-overwrite) and on CFS (link/`wx`) alike — without a compare-and-swap and without deletes: "delete the
// stale object, then create" lets two takers both win (the second deletes the first's fresh object), and a
// read-then-delete release can remove a successor's object. Old generations are never deleted for the same reason:
// a slow taker that read generation n earlier must find n+1 still there.
import { createJson, getJson, putJson, type StateStore } from "./store";

export interface Generation<T> {
  gen: number;
  key: string;
  body: T;
}

const GEN_DIGITS = 10;
const GEN_KEY = /(\d{10})\.json$/;

export interface Generations<T> {
  /** The newest generation, or undefined when the slot was never taken. */
  top(): Promise<Generation<T> | undefined>;
  /** Creates generation `after + 1` (1 when `after` is undefined); true when this call created it. */
  next(after: number | undefined, body: T): Promise<boolean>;
  /** Rewrites a generation this caller owns (extending a lease); never creates one. */
  rewrite(gen: Generation<T>, body: T): Promise<void>;
}

export function generations<T>(store: StateStore, prefix: string): Generations<T> {
  const keyOf = (gen: number) => `${prefix}${String(gen).padStart(GEN_DIGITS, "0")}.json`;
  return {
    async top() {
      // A generation is never deleted by this module, so the newest listed key can always be read.
      const keys = await store.list(prefix);
      let best: number | undefined;
      for (const k of keys) {
        const m = GEN_KEY.exec(k.slice(prefix.length));
        if (m && (best === undefined || Number(m[1]) > best)) best = Number(m[1]);
      }
      if (best === undefined) return undefined;
      const body = await getJson<T>(store, keyOf(best));
      return body === undefined ? undefined : { gen: best, key: keyOf(best), body };
    },
    next: (after, body) => createJson(store, keyOf((after ?? 0) + 1), body),
    rewrite: (gen, body) => putJson(store, gen.key, body),
  };
}
