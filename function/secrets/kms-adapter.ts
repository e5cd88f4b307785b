// KmsPort over the KMS API (2019-01-18). Only the kms service entry of the SDK is imported: bundle size matters.
import { kms } from "tencentcloud-sdk-nodejs/tencentcloud/services/kms";
import type { ClientConfig } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import type { KmsPort } from "./envelope";

type KmsClient = InstanceType<typeof kms.v20190118.Client>;

export function createKmsPort(config: ClientConfig): KmsPort {
  const client: KmsClient = new kms.v20190118.Client(config);
  return {
    async generateDataKey(keyId) {
      const out = await client.GenerateDataKey({ KeyId: keyId, KeySpec: "AES_256" });
      if (!out.Plaintext || !out.CiphertextBlob) throw new Error("KMS GenerateDataKey returned no key material");
      return { plaintext: Buffer.from(out.Plaintext, "base64"), ciphertextBlob: out.CiphertextBlob };
    },
    async decrypt(ciphertextBlob) {
      const out = await client.Decrypt({ CiphertextBlob: ciphertextBlob });
      if (!out.Plaintext) throw new Error("KMS Decrypt returned no plaintext");
      return Buffer.from(out.Plaintext, "base64");
    },
  };
}
