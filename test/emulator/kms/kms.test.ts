// Proves the KMS double does real envelope encryption for the real kms.v20190118 client and answers KMS's
// documented error codes; signature checks come from the shared TC3 framework.
import { afterEach, describe, expect, it } from "vitest";
import { kms } from "tencentcloud-sdk-nodejs/tencentcloud/services/kms";
import { tc3AgentFor } from "../../../emulator/endpoints";
import { startKmsDouble, type KmsDouble } from "../../../emulator/kms/start";

const KEY = { secretId: "AKIDkms00000000000000000000000000000", secretKey: "kms-secret-key-00000000000000000" };
const TEMP = { secretId: "AKIDscfrole000000000000000000000000", secretKey: "role-secret-key-0000000000000000", token: "scf-session-token" };
const FIXED_KEY_ID = "3f1c1a2e-0000-4000-8000-000000000001";

type KmsClient = InstanceType<typeof kms.v20190118.Client>;

let double: KmsDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

async function start(): Promise<KmsDouble> {
  double = await startKmsDouble({ credentials: [KEY, TEMP], keys: [FIXED_KEY_ID] });
  return double;
}

function client(d: KmsDouble, credential: { secretId: string; secretKey: string; token?: string } = KEY): KmsClient {
  return new kms.v20190118.Client({
    credential,
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: "kms.tencentcloudapi.com", protocol: "http://", agent: tc3AgentFor(d.hostPort) } },
  });
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  throw new Error("expected the KMS call to fail, it succeeded");
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("KMS double with the real kms.v20190118 client", () => {
  it("round-trips Encrypt -> Decrypt under a pre-registered KeyId, and the blob does not contain the plaintext", async () => {
    const d = await start();
    const c = client(d);
    const secret = "recorder-cos-secret-key-value";
    const enc = await c.Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: b64(secret) });
    expect(enc.KeyId).toBe(FIXED_KEY_ID);
    expect(Buffer.from(enc.CiphertextBlob ?? "", "base64").includes(Buffer.from(secret))).toBe(false);
    const dec = await c.Decrypt({ CiphertextBlob: enc.CiphertextBlob ?? "" });
    expect(dec.KeyId).toBe(FIXED_KEY_ID);
    expect(Buffer.from(dec.Plaintext ?? "", "base64").toString("utf8")).toBe(secret);
  });

  it("encrypts the same plaintext to different blobs (random IV)", async () => {
    const d = await start();
    const c = client(d);
    const a = await c.Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: b64("same") });
    const b = await c.Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: b64("same") });
    expect(a.CiphertextBlob).not.toBe(b.CiphertextBlob);
  });

  it("generates data keys of KeySpec or NumberOfBytes length whose blob decrypts to the same key", async () => {
    const d = await start();
    const keyId = d.createKey("recorder");
    expect(d.kms.keyIdOf("recorder")).toBe(keyId);
    const c = client(d);
    const k256 = await c.GenerateDataKey({ KeyId: keyId, KeySpec: "AES_256" });
    const k128 = await c.GenerateDataKey({ KeyId: keyId, KeySpec: "AES_128" });
    const k48 = await c.GenerateDataKey({ KeyId: keyId, KeySpec: "AES_128", NumberOfBytes: 48 });
    expect(Buffer.from(k256.Plaintext ?? "", "base64")).toHaveLength(32);
    expect(Buffer.from(k128.Plaintext ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(k48.Plaintext ?? "", "base64")).toHaveLength(48);
    const dec = await c.Decrypt({ CiphertextBlob: k256.CiphertextBlob ?? "" });
    expect(dec.Plaintext).toBe(k256.Plaintext);
    expect(dec.KeyId).toBe(keyId);
  });

  it("works with SCF role (temporary) credentials", async () => {
    const d = await start();
    await expect(client(d, TEMP).Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: b64("x") })).resolves.toMatchObject({ KeyId: FIXED_KEY_ID });
  });

  it("binds EncryptionContext: Decrypt without the same context fails", async () => {
    const d = await start();
    const c = client(d);
    const ctx = JSON.stringify({ purpose: "cos-secret" });
    const enc = await c.Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: b64("v"), EncryptionContext: ctx });
    expect(await codeOf(c.Decrypt({ CiphertextBlob: enc.CiphertextBlob ?? "" }))).toBe("InvalidParameterValue.InvalidCiphertext");
    const dec = await c.Decrypt({ CiphertextBlob: enc.CiphertextBlob ?? "", EncryptionContext: ctx });
    expect(dec.Plaintext).toBe(b64("v"));
  });
});

describe("KMS double errors", () => {
  it("answers ResourceUnavailable.CmkNotFound for an unknown KeyId, and for a blob made by another KMS", async () => {
    const d = await start();
    expect(await codeOf(client(d).Encrypt({ KeyId: "00000000-0000-4000-8000-000000000000", Plaintext: b64("x") }))).toBe("ResourceUnavailable.CmkNotFound");
    const other = await startKmsDouble({ credentials: [KEY] });
    try {
      const foreign = await client(other).Encrypt({ KeyId: other.createKey(), Plaintext: b64("x") });
      expect(await codeOf(client(d).Decrypt({ CiphertextBlob: foreign.CiphertextBlob ?? "" }))).toBe("ResourceUnavailable.CmkNotFound");
    } finally {
      await other.close();
    }
  });

  it("answers InvalidParameterValue.InvalidCiphertext for a tampered or malformed blob", async () => {
    const d = await start();
    const c = client(d);
    const enc = await c.Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: b64("payload") });
    const raw = Buffer.from(enc.CiphertextBlob ?? "", "base64");
    raw[raw.length - 1] ^= 0x01;
    expect(await codeOf(c.Decrypt({ CiphertextBlob: raw.toString("base64") }))).toBe("InvalidParameterValue.InvalidCiphertext");
    expect(await codeOf(c.Decrypt({ CiphertextBlob: "not base64!" }))).toBe("InvalidParameterValue.InvalidCiphertext");
  });

  it("answers ResourceUnavailable.CmkDisabled for a disabled key", async () => {
    const d = await start();
    d.kms.setKeyEnabled(FIXED_KEY_ID, false);
    expect(await codeOf(client(d).GenerateDataKey({ KeyId: FIXED_KEY_ID, KeySpec: "AES_256" }))).toBe("ResourceUnavailable.CmkDisabled");
  });

  it("validates parameters: Plaintext base64 and size, KeySpec/NumberOfBytes, required fields", async () => {
    const d = await start();
    const c = client(d);
    expect(await codeOf(c.Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: "%%%" }))).toBe("InvalidParameterValue.InvalidPlaintext");
    expect(await codeOf(c.Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: Buffer.alloc(4097).toString("base64") }))).toBe("InvalidParameterValue.InvalidPlaintext");
    expect(await codeOf(c.GenerateDataKey({ KeyId: FIXED_KEY_ID }))).toBe("MissingParameter");
    expect(await codeOf(c.GenerateDataKey({ KeyId: FIXED_KEY_ID, KeySpec: "AES_512" }))).toBe("InvalidParameter");
    expect(await codeOf(c.GenerateDataKey({ KeyId: FIXED_KEY_ID, NumberOfBytes: 1025 }))).toBe("InvalidParameter");
    expect(await codeOf(c.Encrypt({ KeyId: "", Plaintext: b64("x") }))).toBe("MissingParameter");
  });

  it("rejects a wrong SecretKey and a wrong session token before touching keys", async () => {
    const d = await start();
    expect(await codeOf(client(d, { ...KEY, secretKey: "nope" }).Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: b64("x") }))).toBe("AuthFailure.SignatureFailure");
    expect(await codeOf(client(d, { ...TEMP, token: "stale" }).Encrypt({ KeyId: FIXED_KEY_ID, Plaintext: b64("x") }))).toBe("AuthFailure.TokenFailure");
    expect(d.calls).toHaveLength(0);
  });
});
