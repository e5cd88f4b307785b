import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthEnvironments, type Synthesized } from "./synth";

// Values that would only be in the output if something copied the provider credentials into it.
const CANARY_ID = "AKIDcanary0000000000000000000000000";
const CANARY_KEY = "canarySecretKey0000000000000000000";

/** Literals that look like credentials: Tencent SecretIds, 32+ char key-like strings in secret-named fields, PEM keys. */
const PATTERNS: Array<[string, RegExp]> = [
  ["Tencent SecretId", /AKID[0-9A-Za-z]{20,}/],
  ["PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["secret-named attribute with a literal", /"(secret_key|secret_id|security_token|access_key_secret|password|user_sig|usersig)"\s*:\s*"(?!\$\{)[^"]+"/i],
  ["UserSig-like token", /eJ[0-9A-Za-z*_-]{60,}/],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

let synth: Synthesized;
const saved = { id: process.env.TENCENTCLOUD_SECRET_ID, key: process.env.TENCENTCLOUD_SECRET_KEY };
beforeAll(async () => {
  process.env.TENCENTCLOUD_SECRET_ID = CANARY_ID;
  process.env.TENCENTCLOUD_SECRET_KEY = CANARY_KEY;
  synth = await synthEnvironments();
});
afterAll(() => {
  process.env.TENCENTCLOUD_SECRET_ID = saved.id;
  process.env.TENCENTCLOUD_SECRET_KEY = saved.key;
  if (saved.id === undefined) delete process.env.TENCENTCLOUD_SECRET_ID;
  if (saved.key === undefined) delete process.env.TENCENTCLOUD_SECRET_KEY;
  synth.cleanup();
});

describe("no secret is ever synthesized", () => {
  it("provider credentials from the environment never reach any synthesized file", () => {
    const texts = files(synth.outdir).filter((f) => f.endsWith(".json")).map((f) => readFileSync(f, "utf8"));
    expect(texts.length).toBeGreaterThanOrEqual(5);
    for (const t of texts) {
      expect(t).not.toContain(CANARY_ID);
      expect(t).not.toContain(CANARY_KEY);
    }
  });

  it("no stack holds a credential-looking literal", () => {
    for (const [name, stack] of Object.entries(synth.stacks)) {
      const text = JSON.stringify(stack);
      for (const [what, pattern] of PATTERNS) expect(pattern.test(text), `${name}: ${what}`).toBe(false);
    }
  });

  it("the scanner itself catches a planted credential", () => {
    const planted = JSON.stringify({ provider: { tencentcloud: [{ secret_key: "abc123", secret_id: "AKIDabcdefghijklmnopqrstuvwx" }] } });
    expect(PATTERNS.some(([, p]) => p.test(planted))).toBe(true);
  });
});
