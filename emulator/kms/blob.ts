// The CiphertextBlob format of this double. Real KMS blobs are opaque and embed which CMK to use, so Decrypt needs no
// KeyId; this one does the same: magic | keyId length | keyId | iv | tag | AES-256-GCM ciphertext, base64-encoded.
// The KeyId and the EncryptionContext are authenticated data, so swapping either makes Decrypt fail.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const MAGIC = Buffer.from("KDB1", "ascii");
const IV_BYTES = 12;
const TAG_BYTES = 16;

function aad(keyId: string, context: string): Buffer {
  return Buffer.from(`${keyId}\n${context}`, "utf8");
}

export function sealBlob(keyId: string, material: Buffer, plaintext: Buffer, context = ""): string {
  const keyIdBytes = Buffer.from(keyId, "utf8");
  if (keyIdBytes.length > 255) throw new Error(`sealBlob: keyId longer than 255 bytes (got ${keyIdBytes.length})`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", material, iv);
  cipher.setAAD(aad(keyId, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([MAGIC, Buffer.from([keyIdBytes.length]), keyIdBytes, iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

export interface ParsedBlob {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** Splits a blob without decrypting it; undefined when it is not a blob of this format. */
export function parseBlob(blob: string): ParsedBlob | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob) || blob.length % 4 !== 0) return undefined;
  const raw = Buffer.from(blob, "base64");
  if (raw.length < MAGIC.length + 1 || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const idLen = raw[MAGIC.length];
  const idStart = MAGIC.length + 1;
  const ivStart = idStart + idLen;
  const tagStart = ivStart + IV_BYTES;
  const ctStart = tagStart + TAG_BYTES;
  if (raw.length < ctStart) return undefined;
  return {
    keyId: raw.subarray(idStart, ivStart).toString("utf8"),
    iv: raw.subarray(ivStart, tagStart),
    tag: raw.subarray(tagStart, ctStart),
    ciphertext: raw.subarray(ctStart),
  };
}

/** Decrypts a parsed blob; undefined when authentication fails (tampered, wrong key, or wrong context). */
export function openBlob(parsed: ParsedBlob, material: Buffer, context = ""): Buffer | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", material, parsed.iv);
    decipher.setAAD(aad(parsed.keyId, context));
    decipher.setAuthTag(parsed.tag);
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
