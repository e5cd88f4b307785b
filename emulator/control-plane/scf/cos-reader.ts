// Lets SCF take function and layer code from the emulated COS: the store the COS route (or the local cloud) serves.
import type { CosStore } from "../../cos/store";
import type { CosObjectReader } from "./code-source";

/** Reads the current version of `key` in bucket `<name>-<appid>` of `region`; undefined when either is missing. */
export function cosStoreReader(store: CosStore): CosObjectReader {
  return (bucket, region, key) => store.bucket(bucket, region)?.objects.get(key)?.body;
}
