// The shared state helpers every recorder operation uses, built once from the deps.
import { createAttention, type Attention } from "../state/attention";
import { createClaims, type Claims, type ClaimIdentity } from "../state/claims";
import { createLeases, type Leases } from "../state/leases";
import { createRecordRepo, type RecordRepo } from "../state/records";
import type { RecordingSpec } from "../state/status-record";
import type { RecorderDeps } from "./deps";

export interface Kit {
  deps: RecorderDeps;
  records: RecordRepo;
  claims: Claims;
  leases: Leases;
  /** Which recordings the watchdog must look at, by due minute (state/attention.ts). */
  attention: Attention;
  nowIso(): string;
}

/** The `reason` of a delivery asked for again because the lease that refused it was released (state/leases.ts). */
export const LEASE_RELEASED = "lease-released";

export function makeKit(deps: RecorderDeps): Kit {
  const nowIso = () => new Date(deps.clock.now()).toISOString();
  return {
    deps,
    records: createRecordRepo(deps.state, nowIso),
    claims: createClaims(deps.state, nowIso),
    // A delivery refused because another invocation held the lease is asked for again when that one lets go: the
    // holder may have been a 302 noting "not yet" while the 310 that makes delivery possible arrived.
    leases: createLeases(deps.state, () => deps.clock.now(), {
      wakeWaiters: (recordingId) => deps.invoker.invokeRecorder({ action: "deliver", recordingId, reason: LEASE_RELEASED }),
    }),
    attention: createAttention(deps.state, () => deps.clock.now()),
    nowIso,
  };
}

export function claimIdentity(spec: RecordingSpec): ClaimIdentity {
  return { sdkAppId: spec.sdkAppId, room: spec.room, userId: spec.userId };
}
