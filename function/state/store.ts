// The state store port: a tiny key/value surface that both COS (default) and a CFS mount can honour, including
// the one conditional write the recorder needs (exclusive create) for claims and leases.

export interface StateStore {
  /** The object's bytes, or undefined when the key does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  /** Writes (or overwrites) the object. */
  put(key: string, body: Buffer | string): Promise<void>;
  /**
   * Creates the object only if it does not exist yet (COS `x-cos-forbid-overwrite`, CFS exclusive link/`wx`).
   * True when this call created it, false when it already existed. Exactly one of concurrent creators wins.
   */
  create(key: string, body: Buffer | string): Promise<boolean>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix`, sorted (binary order), across pages. */
  list(prefix: string): Promise<string[]>;
  /** Where this store lives, for logs and docs: `cos://<bucket>/` or `cfs:<dir>`. */
  readonly location: string;
}

export async function getJson<T>(store: StateStore, key: string): Promise<T | undefined> {
  const body = await store.get(key);
  return body === undefined ? undefined : (JSON.parse(body.toString("utf8")) as T);
}

export async function putJson(store: StateStore, key: string, value: unknown): Promise<void> {
  await store.put(key, JSON.stringify(value, null, 1));
}

export async function createJson(store: StateStore, key: string, value: unknown): Promise<boolean> {
  return store.create(key, JSON.stringify(value, null, 1));
}
