// Buckets and their configuration (ACL, versioning, lifecycle, CORS, tags) survive a restart of the local cloud, as
// Terraform's state expects: a second `terraform plan` reads them back. Objects are not persisted here (they are data,
// not deployed configuration, and recordings can be large); see docs/fidelity.md.
import { persistedState } from "../control-plane/persisted-state";
import type { BucketConfig, CosStore, VersioningState } from "./store";

interface SavedBucket {
  name: string;
  region: string;
  versioning: VersioningState;
  config: BucketConfig;
}

export interface PersistedBuckets {
  /** Writes every bucket's metadata (call after a bucket-level change). */
  save(): void;
}

/** Loads `<stateDir>/cos-buckets.json` into `store` (creating those buckets) and returns the saver. */
export function persistBuckets(store: CosStore, stateDir: string | undefined): PersistedBuckets {
  const state = persistedState<{ buckets: SavedBucket[] }>(stateDir, "cos-buckets", () => ({ buckets: [] }));
  for (const saved of state.data.buckets) {
    const bucket = store.named(saved.name) ?? store.createBucket(saved.name, saved.region);
    bucket.versioning = saved.versioning;
    bucket.config = saved.config;
  }
  return {
    save() {
      state.data.buckets = store.all().map((b) => ({ name: b.name, region: b.region, versioning: b.versioning, config: b.config }));
      state.save();
    },
  };
}
