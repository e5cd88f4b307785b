// Resource ids in the shapes Tencent Cloud uses: a prefix and 8 lower-case letters/digits (vpc-1a2b3c4d, lam-…, cfs-…).
import { randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function randomSuffix(n = 8): string {
  return [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

/** `prefix-xxxxxxxx`, unique among `taken`. */
export function newId(prefix: string, taken: (id: string) => boolean, n = 8): string {
  for (;;) {
    const id = `${prefix}-${randomSuffix(n)}`;
    if (!taken(id)) return id;
  }
}
