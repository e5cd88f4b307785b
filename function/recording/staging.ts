// Where TRTC writes its raw output, and with which keys (docs/storage-and-secrets.md). TRTC's CloudStorage keeps
// the keys for the whole task, so role credentials (temporary, ≤ 6 h, with a token TRTC cannot take) do not fit:
// - the caller gave CosConfig.SecretId/SecretKey → TRTC writes into the caller's own bucket, under a staging
//   folder below their Path (their key may be scoped to that Path);
// - otherwise → the deployment-owned staging bucket with the operator's sub-account key (runtime secret
//   `trtc-staging-cos-key`); delivery later reads it with the role's temporary credentials.
import type { RecordRequest } from "../contract/request";
import type { StagingStorage } from "../engine/port";
import type { KmsPort } from "../secrets/envelope";
import { open, seal, type SealedBlob } from "../secrets/envelope";
import { parseCosKeySecret, type RuntimeSecrets } from "../secrets/runtime-secrets";
import { stateKeys } from "../state/keys";
import { getJson, putJson, type StateStore } from "../state/store";

export const STAGING_FOLDER = "recorder-staging";

export interface StagingPlan {
  owner: "caller" | "deployment";
  storage: StagingStorage;
}

export type StagingDecision = { ok: true; plan: StagingPlan } | { ok: false; detail: string };

// TRTC accepts only these characters in FileNamePrefix entries.
const PREFIX_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** The FileNamePrefix for a recording: below the caller's Path when TRTC accepts its segments, else at the root. */
export function stagingPrefix(path: string, recordingId: string): string[] {
  const segments = path === "" ? [] : path.split("/");
  const usable = segments.length <= 8 && segments.every((s) => PREFIX_SEGMENT.test(s));
  return [...(usable ? segments : []), STAGING_FOLDER, recordingId];
}

export async function decideStaging(
  request: RecordRequest,
  recordingId: string,
  deps: { secrets: RuntimeSecrets; staging?: { bucket: string; region: string } },
): Promise<StagingDecision> {
  const cos = request.cos;
  if (cos.secretId !== undefined && cos.secretKey !== undefined) {
    return {
      ok: true,
      plan: {
        owner: "caller",
        storage: {
          bucket: cos.bucket,
          region: cos.region,
          fileNamePrefix: stagingPrefix(cos.path, recordingId),
          accessKey: cos.secretId,
          secretKey: cos.secretKey,
        },
      },
    };
  }
  if (!deps.staging) {
    return { ok: false, detail: "this deployment has no staging bucket (RECORDER_STAGING_BUCKET); give CosConfig.SecretId/SecretKey" };
  }
  const text = await deps.secrets.get("trtc-staging-cos-key");
  const key = text === undefined ? undefined : parseCosKeySecret(text);
  if (!key) {
    return { ok: false, detail: "the runtime secret trtc-staging-cos-key is not provisioned; give CosConfig.SecretId/SecretKey or ask the operator" };
  }
  return {
    ok: true,
    plan: {
      owner: "deployment",
      storage: {
        bucket: deps.staging.bucket,
        region: deps.staging.region,
        fileNamePrefix: [STAGING_FOLDER, recordingId],
        accessKey: key.secretId,
        secretKey: key.secretKey,
      },
    },
  };
}

const cosKeysContext = (recordingId: string) => `cos-keys:${recordingId}`;

/** Keeps the caller's COS keys for delivery, envelope-encrypted; nothing else ever stores them. */
export async function sealCallerKeys(store: StateStore, kms: KmsPort, keyId: string, recordingId: string, secretId: string, secretKey: string): Promise<void> {
  const blob = await seal(kms, keyId, JSON.stringify({ SecretId: secretId, SecretKey: secretKey }), cosKeysContext(recordingId));
  await putJson(store, stateKeys.sealedCosKeys(recordingId), blob);
}

export async function openCallerKeys(store: StateStore, kms: KmsPort, recordingId: string): Promise<{ secretId: string; secretKey: string } | undefined> {
  const blob = await getJson<SealedBlob>(store, stateKeys.sealedCosKeys(recordingId));
  if (!blob) return undefined;
  return parseCosKeySecret((await open(kms, blob, cosKeysContext(recordingId))).toString("utf8"));
}
