// The customer master keys a KMS double holds. Master key material never leaves the double, as in real KMS:
// callers only ever see KeyIds and ciphertext blobs.
import { randomBytes, randomUUID } from "node:crypto";

export interface MasterKey {
  keyId: string;
  alias?: string;
  /** 32 random bytes: AES-256-GCM key material. */
  material: Buffer;
  enabled: boolean;
}

export class Keyring {
  private readonly keys = new Map<string, MasterKey>();

  /** Registers a key under a KeyId the test chose (e.g. the RECORDER_KMS_KEY_ID it configures). */
  addKey(keyId: string, alias?: string): string {
    if (this.keys.has(keyId)) throw new Error(`Keyring.addKey: KeyId ${keyId} already exists`);
    this.keys.set(keyId, { keyId, alias, material: randomBytes(32), enabled: true });
    return keyId;
  }

  /** Creates a key with a fresh UUID KeyId, the form real KMS uses. */
  createKey(alias?: string): string {
    return this.addKey(randomUUID(), alias);
  }

  get(keyId: string): MasterKey | undefined {
    return this.keys.get(keyId);
  }

  keyIdOf(alias: string): string | undefined {
    return [...this.keys.values()].find((k) => k.alias === alias)?.keyId;
  }

  setEnabled(keyId: string, enabled: boolean): void {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Keyring.setEnabled: no KeyId ${keyId}`);
    key.enabled = enabled;
  }

  keyIds(): string[] {
    return [...this.keys.keys()];
  }
}
