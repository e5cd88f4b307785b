// The customer master keys a KMS double holds. Master key material never leaves the double, as in real KMS:
// callers only ever see KeyIds and ciphertext blobs. The records are plain JSON (material base64) so the control
// plane can keep them in its state folder: a key created by `terraform apply` still decrypts after a restart.
import { randomBytes, randomUUID } from "node:crypto";

/** KeyMetadata.KeyState values (kms_models.d.ts). */
export type KeyState = "Enabled" | "Disabled" | "PendingDelete" | "PendingImport" | "Archived";

/** What the control plane knows about a key besides its material (DescribeKey's KeyMetadata). */
export interface KeyControlMetadata {
  description: string;
  keyUsage: string;
  origin: "TENCENT_KMS" | "EXTERNAL";
  /** Seconds since the epoch. */
  createTime: number;
  rotationEnabled: boolean;
  rotateDays: number;
  /** Seconds since the epoch; set while PendingDelete. */
  deletionDate?: number;
  pendingWindowInDays?: number;
  creatorUin: string;
}

export interface KeyRecord {
  keyId: string;
  alias?: string;
  /** 32 random bytes, base64: AES-256-GCM key material. */
  material: string;
  state: KeyState;
  control?: KeyControlMetadata;
}

export interface MasterKey {
  keyId: string;
  alias?: string;
  material: Buffer;
  state: KeyState;
  /** True only in state Enabled. */
  enabled: boolean;
}

export class Keyring {
  constructor(
    /** The records, keyed by KeyId; the control plane passes its persisted document here. */
    readonly records: Record<string, KeyRecord> = {},
    /** Called after every change, so a persisted owner can save. */
    private readonly changed: () => void = () => {},
  ) {}

  /** Registers a key under a KeyId the test chose (e.g. the RECORDER_KMS_KEY_ID it configures). */
  addKey(keyId: string, alias?: string, state: KeyState = "Enabled", control?: KeyControlMetadata): string {
    if (Object.hasOwn(this.records, keyId)) throw new Error(`Keyring.addKey: KeyId ${keyId} already exists`);
    this.records[keyId] = { keyId, alias, material: randomBytes(32).toString("base64"), state, control };
    this.changed();
    return keyId;
  }

  /** Creates a key with a fresh UUID KeyId, the form real KMS uses. */
  createKey(alias?: string): string {
    return this.addKey(randomUUID(), alias);
  }

  record(keyId: string): KeyRecord | undefined {
    return Object.hasOwn(this.records, keyId) ? this.records[keyId] : undefined;
  }

  get(keyId: string): MasterKey | undefined {
    const r = this.record(keyId);
    return r && { keyId: r.keyId, alias: r.alias, material: Buffer.from(r.material, "base64"), state: r.state, enabled: r.state === "Enabled" };
  }

  keyIdOf(alias: string): string | undefined {
    return Object.values(this.records).find((k) => k.alias === alias)?.keyId;
  }

  /** Applies a change to a record and reports it (saved by the owner). */
  update(keyId: string, change: (r: KeyRecord) => void): void {
    const r = this.record(keyId);
    if (!r) throw new Error(`Keyring.update: no KeyId ${keyId}`);
    change(r);
    this.changed();
  }

  remove(keyId: string): void {
    delete this.records[keyId];
    this.changed();
  }

  setEnabled(keyId: string, enabled: boolean): void {
    this.update(keyId, (r) => {
      r.state = enabled ? "Enabled" : "Disabled";
    });
  }

  keyIds(): string[] {
    return Object.keys(this.records);
  }
}
