import { describe, expect, it } from "vitest";
import { open, seal } from "../../../function/secrets/envelope";
import { createRuntimeSecrets, parseCosKeySecret, writeRuntimeSecret } from "../../../function/secrets/runtime-secrets";
import { createMasker } from "../../../function/log/mask";
import { fakeKms } from "../fakes/fake-kms";
import { memoryStore } from "../fakes/memory-store";

describe("envelope encryption", () => {
  it("round-trips a secret and stores only ciphertext", async () => {
    const kms = fakeKms();
    const blob = await seal(kms, "key-1", "my-secret-value", "secret:x");
    expect(JSON.stringify(blob)).not.toContain("my-secret-value");
    expect(Object.keys(blob).sort()).toEqual(["alg", "ciphertextBlob", "data", "iv", "tag", "v"]);
    expect((await open(kms, blob, "secret:x")).toString()).toBe("my-secret-value");
  });

  it("refuses a blob opened under another context (copied to another name)", async () => {
    const kms = fakeKms();
    const blob = await seal(kms, "key-1", "v", "secret:a");
    await expect(open(kms, blob, "secret:b")).rejects.toThrow();
  });

  it("refuses a tampered blob", async () => {
    const kms = fakeKms();
    const blob = await seal(kms, "key-1", "value", "c");
    const data = Buffer.from(blob.data, "base64");
    data[0] ^= 1;
    await expect(open(kms, { ...blob, data: data.toString("base64") }, "c")).rejects.toThrow();
  });
});

describe("runtime secrets", () => {
  it("reads a provisioned secret once, registers it with the masker, and reports a missing one as undefined", async () => {
    const store = memoryStore();
    const kms = fakeKms();
    const masker = createMasker();
    await writeRuntimeSecret(store, kms, "key-1", "secrets/", "callback-signing-key", "hmac-key-0123456789");
    expect([...store.objects.keys()]).toEqual(["secrets/callback-signing-key"]);
    const secrets = createRuntimeSecrets({ store, kms, prefix: "secrets/", masker });
    expect(await secrets.get("callback-signing-key")).toBe("hmac-key-0123456789");
    expect(await secrets.get("callback-signing-key")).toBe("hmac-key-0123456789");
    expect(kms.decrypted).toBe(1);
    expect(masker.scrubText("x hmac-key-0123456789 y")).toBe("x *** y");
    expect(await secrets.get("trtc-event-key")).toBeUndefined();
  });

  it("parses the staging COS key secret", () => {
    expect(parseCosKeySecret('{"SecretId":"AKID1","SecretKey":"k"}')).toEqual({ secretId: "AKID1", secretKey: "k" });
    expect(parseCosKeySecret("not json")).toBeUndefined();
    expect(parseCosKeySecret('{"SecretId":""}')).toBeUndefined();
  });
});
