// The COS emulator as a Host route of the control plane's listener (emulator/control-plane/server.ts `routes`): the
// provider, with `cos_domain = "http://cos.<region>.myqcloud.com"` and HTTP_PROXY pointing at the control plane,
// sends every bucket request (cos-go-sdk-v5 and aws-sdk-go alike) to `<bucket>.cos.<region>.myqcloud.com`, which this
// route claims. Buckets and their configuration persist in the state folder.
import type { RequestListener } from "node:http";
import { FaultInjector } from "../faults";
import type { Tc3Credential } from "../tc3/types";
import { persistBuckets } from "./bucket-state";
import { parseCosHost } from "./request";
import { createCosListener, type CosRequestRecord } from "./server";
import { CosStore } from "./store";

export interface CosRouteOptions {
  credentials: readonly Tc3Credential[];
  /** `<stateDir>/cos-buckets.json`; undefined = memory only. */
  stateDir?: string;
  /** The account's APPID (PUT Bucket refuses other APPIDs). */
  appId?: string;
  /** The store to serve; pass the local cloud's own to share buckets with its data plane. @default a new store */
  store?: CosStore;
  faults?: FaultInjector;
  now?: () => number;
}

export interface CosRoute {
  matches(host: string): boolean;
  listener: RequestListener;
  store: CosStore;
  requests: CosRequestRecord[];
}

export function cosRoute(opts: CosRouteOptions): CosRoute {
  const store = opts.store ?? new CosStore();
  const persisted = persistBuckets(store, opts.stateDir);
  const requests: CosRequestRecord[] = [];
  const listener = createCosListener({
    credentials: opts.credentials,
    store,
    faults: opts.faults ?? new FaultInjector(),
    now: opts.now ?? Date.now,
    requests,
    appId: opts.appId,
    onBucketChange: () => persisted.save(),
  });
  return { matches: (host) => parseCosHost(host) !== undefined, listener, store, requests };
}

/** The buckets the local cloud's data plane serves (LocalDeployment.buckets). */
export function localBuckets(store: CosStore): Array<{ name: string; region: string }> {
  return store.all().map((b) => ({ name: b.name, region: b.region }));
}
