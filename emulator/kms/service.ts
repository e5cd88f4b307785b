// KMS 2019-01-18 (Encrypt, Decrypt, GenerateDataKey) on the TC3 framework, with real AES-256-GCM under per-key
// master keys held here. Error codes are those the KMS API documents for these actions.
import { randomBytes } from "node:crypto";
import { Tc3ApiError, type Tc3ServiceDef } from "../tc3/types";
import { openBlob, parseBlob, sealBlob } from "./blob";
import { Keyring, type MasterKey } from "./keyring";
import { decodeBase64, optionalInteger, optionalString, requiredString } from "./params";

/** KMS limits Encrypt's plaintext to 4 KiB and EncryptionContext to 1024 characters. */
const MAX_PLAINTEXT_BYTES = 4096;
const MAX_CONTEXT_CHARS = 1024;
const KEY_SPEC_BYTES: Record<string, number> = { AES_128: 16, AES_256: 32 };

export interface KmsServiceOptions {
  /** KeyIds that exist from the start (e.g. the RECORDER_KMS_KEY_ID the test configures). @default [] */
  keys?: string[];
  /** The keys to serve; the control plane passes its persisted keyring. @default a new, in-memory Keyring */
  keyring?: Keyring;
}

export interface KmsService extends Tc3ServiceDef {
  readonly keyring: Keyring;
  /** Creates a CMK with a fresh UUID KeyId and returns the KeyId. */
  createKey(alias?: string): string;
  /** The KeyId created under `alias`, if any. */
  keyIdOf(alias: string): string | undefined;
  /** Disables or re-enables a CMK (disabled -> ResourceUnavailable.CmkDisabled). */
  setKeyEnabled(keyId: string, enabled: boolean): void;
  keyIds(): string[];
}

type DataAction = "Encrypt" | "Decrypt" | "GenerateDataKey";

/**
 * The key when its state allows `action`. KMS documents: a disabled CMK cannot encrypt or decrypt (DisableKey); an
 * archived one decrypts only (ArchiveKey); GenerateDataKey lists KeyPendingDelete. A key pending deletion was
 * disabled first (ScheduleKeyDeletion refuses an enabled key), so Encrypt/Decrypt report it as disabled (assumed).
 */
function usableKey(keyring: Keyring, keyId: string, action: DataAction): MasterKey {
  const key = keyring.get(keyId);
  if (!key) throw new Tc3ApiError("ResourceUnavailable.CmkNotFound", `The CMK ${keyId} does not exist`);
  switch (key.state) {
    case "Enabled":
      return key;
    case "Archived":
      if (action === "Decrypt") return key;
      throw new Tc3ApiError("ResourceUnavailable.CmkArchived", `The CMK ${keyId} is archived: it can decrypt only`);
    case "PendingDelete":
      if (action === "GenerateDataKey") throw new Tc3ApiError("ResourceUnavailable.KeyPendingDelete", `The CMK ${keyId} is pending deletion`);
      throw new Tc3ApiError("ResourceUnavailable.CmkDisabled", `The CMK ${keyId} is pending deletion (disabled)`);
    default:
      throw new Tc3ApiError("ResourceUnavailable.CmkDisabled", `The CMK ${keyId} has been disabled (state ${key.state})`);
  }
}

function encryptionContext(params: Record<string, unknown>): string {
  const context = optionalString(params, "EncryptionContext") ?? "";
  if (context.length > MAX_CONTEXT_CHARS) {
    throw new Tc3ApiError("InvalidParameter", `EncryptionContext must be at most ${MAX_CONTEXT_CHARS} characters (got ${context.length})`);
  }
  if (context !== "") {
    try {
      JSON.parse(context);
    } catch {
      throw new Tc3ApiError("InvalidParameter", "EncryptionContext must be a JSON string of key/value pairs");
    }
  }
  return context;
}

function dataKeyBytes(params: Record<string, unknown>): number {
  // KMS: one of KeySpec / NumberOfBytes is required; NumberOfBytes wins when both are given.
  const numberOfBytes = optionalInteger(params, "NumberOfBytes");
  if (numberOfBytes !== undefined) {
    if (numberOfBytes < 1 || numberOfBytes > 1024) throw new Tc3ApiError("InvalidParameter", `NumberOfBytes must be 1..1024 (got ${numberOfBytes})`);
    return numberOfBytes;
  }
  const keySpec = optionalString(params, "KeySpec");
  if (keySpec === undefined) throw new Tc3ApiError("MissingParameter", "One of KeySpec or NumberOfBytes is required");
  const bytes = KEY_SPEC_BYTES[keySpec];
  if (bytes === undefined) throw new Tc3ApiError("InvalidParameter", `KeySpec must be AES_128 or AES_256 (got ${keySpec})`);
  return bytes;
}

export function kmsService(opts: KmsServiceOptions = {}): KmsService {
  const keyring = opts.keyring ?? new Keyring();
  for (const keyId of opts.keys ?? []) if (!keyring.record(keyId)) keyring.addKey(keyId);

  return {
    service: "kms",
    version: "2019-01-18",
    keyring,
    createKey: (alias) => keyring.createKey(alias),
    keyIdOf: (alias) => keyring.keyIdOf(alias),
    setKeyEnabled: (keyId, enabled) => keyring.setEnabled(keyId, enabled),
    keyIds: () => keyring.keyIds(),
    actions: {
      Encrypt: (params) => {
        const key = usableKey(keyring, requiredString(params, "KeyId"), "Encrypt");
        const plaintext = decodeBase64(requiredString(params, "Plaintext"));
        if (!plaintext) throw new Tc3ApiError("InvalidParameterValue.InvalidPlaintext", "Plaintext must be base64-encoded");
        if (plaintext.length > MAX_PLAINTEXT_BYTES) {
          throw new Tc3ApiError("InvalidParameterValue.InvalidPlaintext", `Plaintext must be at most ${MAX_PLAINTEXT_BYTES} bytes before base64 (got ${plaintext.length})`);
        }
        return { CiphertextBlob: sealBlob(key.keyId, key.material, plaintext, encryptionContext(params)), KeyId: key.keyId };
      },
      Decrypt: (params) => {
        const parsed = parseBlob(requiredString(params, "CiphertextBlob"));
        if (!parsed) throw new Tc3ApiError("InvalidParameterValue.InvalidCiphertext", "The ciphertext is in incorrect format");
        const key = usableKey(keyring, parsed.keyId, "Decrypt");
        const plaintext = openBlob(parsed, key.material, encryptionContext(params));
        if (!plaintext) throw new Tc3ApiError("InvalidParameterValue.InvalidCiphertext", "The ciphertext could not be decrypted (tampered, or EncryptionContext differs)");
        return { KeyId: key.keyId, Plaintext: plaintext.toString("base64") };
      },
      GenerateDataKey: (params) => {
        const key = usableKey(keyring, requiredString(params, "KeyId"), "GenerateDataKey");
        const dataKey = randomBytes(dataKeyBytes(params));
        return {
          KeyId: key.keyId,
          Plaintext: dataKey.toString("base64"),
          CiphertextBlob: sealBlob(key.keyId, key.material, dataKey, encryptionContext(params)),
        };
      },
    },
  };
}
