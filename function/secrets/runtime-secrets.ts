// Runtime secrets: values the operator provisions after deployment (never in Terraform config or state), stored
// KMS-envelope-encrypted in the state store under RECORDER_SECRETS_PREFIX (default "secrets/"). Every value read is
// registered with the log masker before anyone can log it.
import type { Masker } from "../log/mask";
import { stateKeys } from "../state/keys";
import { getJson, putJson, type StateStore } from "../state/store";
import { open, seal, type KmsPort, type SealedBlob } from "./envelope";

/**
 * - `trtc-staging-cos-key`: JSON `{"SecretId","SecretKey"}` of a sub-account allowed to write the staging bucket;
 *   TRTC's CloudStorage needs long-lived keys when the caller gave none.
 * - `callback-signing-key`: HMAC key for the callback's X-Signature.
 * - `trtc-event-key`: the TRTC console's callback key, to verify `Sign` on /trtc-events.
 * - `client-api-keys`: JSON array of bearer keys clients present to the function-URL ingress.
 * - `trtc-sdk-secret-key-<SdkAppId>`: the TRTC application's SDK secret key, to verify callers' UserSigs (one per app).
 */
export type RuntimeSecretName = "trtc-staging-cos-key" | "callback-signing-key" | "trtc-event-key" | "client-api-keys" | UserSigKeyName;

/** The runtime secret holding one TRTC application's SDK secret key (UserSig verification). */
export type UserSigKeyName = `trtc-sdk-secret-key-${number}`;

export function userSigKeyName(sdkAppId: number): UserSigKeyName {
  return `trtc-sdk-secret-key-${sdkAppId}`;
}

/** True for a per-app UserSig key name like `trtc-sdk-secret-key-1400000001`. */
export function isUserSigKeyName(name: string): name is UserSigKeyName {
  return /^trtc-sdk-secret-key-[1-9]\d{0,9}$/.test(name);
}

export interface RuntimeSecrets {
  /** The secret's value, or undefined when the operator has not provisioned it. */
  get(name: RuntimeSecretName): Promise<string | undefined>;
}

export interface RuntimeSecretsOptions {
  store: StateStore;
  kms: KmsPort;
  /** Key prefix in the store, e.g. "secrets/". */
  prefix: string;
  masker: Masker;
}

/** The additional data a runtime secret is sealed with (see envelope.ts). */
export function runtimeSecretContext(name: string): string {
  return `secret:${name}`;
}

export function createRuntimeSecrets(opts: RuntimeSecretsOptions): RuntimeSecrets {
  const cache = new Map<RuntimeSecretName, Promise<string | undefined>>();
  async function read(name: RuntimeSecretName): Promise<string | undefined> {
    const blob = await getJson<SealedBlob>(opts.store, stateKeys.secret(opts.prefix, name));
    if (!blob) return undefined;
    const value = (await open(opts.kms, blob, runtimeSecretContext(name))).toString("utf8");
    opts.masker.register(value);
    const cosKey = name === "trtc-staging-cos-key" ? parseCosKeySecret(value) : undefined;
    if (cosKey) {
      opts.masker.register(cosKey.secretId, "id");
      opts.masker.register(cosKey.secretKey);
    }
    return value;
  }
  return {
    get(name) {
      let pending = cache.get(name);
      if (!pending) {
        pending = read(name);
        // A failed read (KMS hiccup) must not be cached for the life of the instance.
        pending.catch(() => cache.delete(name));
        cache.set(name, pending);
      }
      return pending;
    },
  };
}

export function parseCosKeySecret(text: string): { secretId: string; secretKey: string } | undefined {
  try {
    const v = JSON.parse(text) as { SecretId?: unknown; SecretKey?: unknown };
    if (typeof v.SecretId === "string" && v.SecretId !== "" && typeof v.SecretKey === "string" && v.SecretKey !== "") {
      return { secretId: v.SecretId, secretKey: v.SecretKey };
    }
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/** How an operator tool (and the test harness) provisions a runtime secret. */
export async function writeRuntimeSecret(
  store: StateStore,
  kms: KmsPort,
  keyId: string,
  prefix: string,
  name: RuntimeSecretName,
  value: string,
): Promise<void> {
  await putJson(store, stateKeys.secret(prefix, name), await seal(kms, keyId, value, runtimeSecretContext(name)));
}
