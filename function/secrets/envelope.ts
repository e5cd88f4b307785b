// Envelope encryption with the stack's KMS key: KMS GenerateDataKey gives a fresh 256-bit data key (plaintext +
// KMS-encrypted blob); the secret is sealed locally with AES-256-GCM and only the blob is kept. Opening asks KMS to
// decrypt the blob. KMS never sees the secret, and the store never sees a usable key.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** The two KMS calls envelope encryption needs (adapter over the SDK in kms-adapter.ts; fakes in tests). */
export interface KmsPort {
  /** A fresh AES-256 data key: its plaintext and its KMS ciphertext blob (base64, opaque). */
  generateDataKey(keyId: string): Promise<{ plaintext: Buffer; ciphertextBlob: string }>;
  /** The plaintext of a ciphertext blob produced by this KMS. */
  decrypt(ciphertextBlob: string): Promise<Buffer>;
}

/** What is stored. All binary fields are base64. */
export interface SealedBlob {
  v: 1;
  alg: "AES-256-GCM";
  /** KMS ciphertext of the data key. */
  ciphertextBlob: string;
  iv: string;
  tag: string;
  data: string;
}

/**
 * `context` is bound as GCM additional data ("secret:<name>", "cos-keys:<recordingId>"), so a blob copied to
 * another key or recording fails to open instead of silently serving the wrong secret.
 */
export async function seal(kms: KmsPort, keyId: string, plaintext: Buffer | string, context: string): Promise<SealedBlob> {
  const dataKey = await kms.generateDataKey(keyId);
  if (dataKey.plaintext.length !== 32) throw new Error(`KMS returned a ${dataKey.plaintext.length}-byte data key; AES-256 needs 32`);
  try {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", dataKey.plaintext, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      v: 1,
      alg: "AES-256-GCM",
      ciphertextBlob: dataKey.ciphertextBlob,
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      data: data.toString("base64"),
    };
  } finally {
    dataKey.plaintext.fill(0);
  }
}

export async function open(kms: KmsPort, blob: SealedBlob, context: string): Promise<Buffer> {
  if (blob.v !== 1 || blob.alg !== "AES-256-GCM") throw new Error(`unsupported sealed blob (v=${String(blob.v)}, alg=${String(blob.alg)})`);
  const key = await kms.decrypt(blob.ciphertextBlob);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(blob.iv, "base64"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(blob.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(blob.data, "base64")), decipher.final()]);
  } finally {
    key.fill(0);
  }
}
