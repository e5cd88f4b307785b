import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCosStore } from "../../function/state/cos-store";
import { createKmsPort } from "../../function/secrets/kms-adapter";
import { createRuntimeSecrets } from "../../function/secrets/runtime-secrets";
import { createMasker } from "../../function/log/mask";
import { putSecret, validateSecretValue } from "../../tools/secrets/put-secret";
import { startCosDouble, type CosDouble } from "../../emulator/cos";
import { startKmsDouble, type KmsDouble } from "../../emulator/kms/start";
import { tc3AgentFor, cosOptionsFor } from "../../emulator/endpoints";
import COS from "cos-nodejs-sdk-v5";

const OPERATOR = { secretId: "AKIDoperator0000000000000000000000", secretKey: "operator-secret-key-000000000000" };
const BUCKET = "trtc-rec-dev-state-1250000000";
let cos: CosDouble;
let kms: KmsDouble;
let keyId: string;
beforeAll(async () => {
  cos = await startCosDouble({ credentials: [OPERATOR], buckets: [{ name: BUCKET, region: "ap-guangzhou" }] });
  kms = await startKmsDouble({ credentials: [OPERATOR] });
  keyId = kms.createKey("recorder");
});
afterAll(async () => {
  await cos.close();
  await kms.close();
});

describe("npm run secret: provisioning a runtime secret", () => {
  it("stores it envelope-encrypted, and the recorder's reader gets the same value back", async () => {
    const value = "0123456789abcdef0123456789abcdef-signing";
    await putSecret({ name: "callback-signing-key", value, bucket: BUCKET, region: "ap-guangzhou", kmsKeyId: keyId, credential: OPERATOR, reroute: { apiAgent: tc3AgentFor(kms.hostPort), cosIp: cos.hostPort } });
    const stored = cos.getObjectDirect(BUCKET, "secrets/callback-signing-key");
    expect(stored).toBeDefined();
    expect(stored!.toString("utf8")).not.toContain(value);
    const store = createCosStore({ cos: new COS({ SecretId: OPERATOR.secretId, SecretKey: OPERATOR.secretKey, ...cosOptionsFor(cos.hostPort) }), bucket: BUCKET, region: "ap-guangzhou" });
    const kmsPort = createKmsPort({ credential: OPERATOR, region: "ap-guangzhou", profile: { httpProfile: { endpoint: "kms.tencentcloudapi.com", protocol: "http://", agent: tc3AgentFor(kms.hostPort) } } });
    const secrets = createRuntimeSecrets({ store, kms: kmsPort, prefix: "secrets/", masker: createMasker() });
    expect(await secrets.get("callback-signing-key")).toBe(value);
  });

  it("refuses values the recorder could not use, before writing anything", async () => {
    expect(validateSecretValue("trtc-event-key", "has spaces in it")).toMatch(/1-32 letters or digits/);
    expect(validateSecretValue("trtc-staging-cos-key", "AKID:secret")).toMatch(/JSON \{"SecretId"/);
    expect(validateSecretValue("client-api-keys", '["short"]')).toMatch(/at least 16 characters/);
    expect(validateSecretValue("callback-key", "x")).toMatch(/name must be one of/);
    await expect(
      putSecret({ name: "trtc-event-key", value: "bad value!", bucket: BUCKET, region: "ap-guangzhou", kmsKeyId: keyId, credential: OPERATOR, reroute: { apiAgent: tc3AgentFor(kms.hostPort), cosIp: cos.hostPort } }),
    ).rejects.toThrow("put-secret: trtc-event-key must be");
    expect(cos.getObjectDirect(BUCKET, "secrets/trtc-event-key")).toBeUndefined();
  });
});
