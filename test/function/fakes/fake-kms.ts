// A KmsPort fake: real random data keys, "encrypted" by reference to a map. Enough to test envelope logic without
// the KMS double; the integration tests use the double.
import { randomBytes } from "node:crypto";
import type { KmsPort } from "../../../function/secrets/envelope";

export interface FakeKms extends KmsPort {
  generated: number;
  decrypted: number;
}

export function fakeKms(): FakeKms {
  const keys = new Map<string, Buffer>();
  const kms: FakeKms = {
    generated: 0,
    decrypted: 0,
    async generateDataKey(keyId) {
      kms.generated += 1;
      const key = randomBytes(32);
      const blob = `${keyId}:${randomBytes(8).toString("hex")}`;
      keys.set(blob, Buffer.from(key));
      return { plaintext: key, ciphertextBlob: Buffer.from(blob).toString("base64") };
    },
    async decrypt(ciphertextBlob) {
      kms.decrypted += 1;
      const key = keys.get(Buffer.from(ciphertextBlob, "base64").toString());
      if (!key) throw new Error("InvalidCiphertext");
      return Buffer.from(key);
    },
  };
  return kms;
}
