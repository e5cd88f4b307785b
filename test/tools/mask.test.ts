import { describe, expect, it } from "vitest";
import { isSecretName, looksSecret, MASKED, maskValue } from "../../tools/review/mask";
import { renderDrift, renderReview } from "../../tools/review/render-markdown";
import { driftBetween, reviewStacks } from "../../tools/review/review";
import { fixtureStack, withResource } from "./fixtures/stacks";

const SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAexample\n-----END RSA PRIVATE KEY-----";
const USERSIG = "eJwtzM0KgkAUhuG7Oesg5kdnFNoYEUKLiCJc2jg5TKbjjKX0793b5fd8vC9c9ke46SJR6Ab0TB";

describe("secret masking", () => {
  it("recognises secret attribute names, and leaves look-alikes that are not secrets", () => {
    for (const p of ["secret_key", "provider.tencentcloud[0].security_token", "environment.DB_PASSWORD", "access_key_secret", "environment.CALLBACK_HMAC_KEY", "private_key", "key_material"]) {
      expect(isSecretName(p), p).toBe(true);
    }
    for (const p of ["environment.RECORDER_SECRETS_PREFIX", "environment.RECORDER_KMS_KEY_ID", "key_usage", "secret_name", "name"]) {
      expect(isSecretName(p), p).toBe(false);
    }
  });

  it("recognises secret-looking values anywhere: SecretId, PEM private key, UserSig", () => {
    expect(looksSecret(SECRET_ID)).toBe(true);
    expect(looksSecret(PEM)).toBe(true);
    expect(looksSecret(`https://x/?usersig=${USERSIG}`)).toBe(true);
    expect(looksSecret("trtc-rec-prod")).toBe(false);
  });

  it("keeps pure references: they reveal nothing", () => {
    expect(maskValue("secret_key", "${tencentcloud_kms_key.k.id}")).toBe("${tencentcloud_kms_key.k.id}");
    expect(maskValue("secret_key", "abc")).toBe(MASKED);
  });

  it("never prints a secret in a review, whatever the kind of change", () => {
    const before = fixtureStack();
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      const env = b.environment as Record<string, string>;
      env.DB_PASSWORD = "hunter2-but-longer";
      env.TENCENTCLOUD_SECRETID = SECRET_ID;
      env.INNOCENT_LOOKING = USERSIG;
      b.description = PEM;
    });
    after.provider = { tencentcloud: [{ region: "ap-guangzhou", secret_key: SECRET_KEY, security_token: "token-value-123" }] };
    after.resource!.tencentcloud_api_gateway_api_key = { k: { secret_name: "client", access_key_secret: "s3cr3t-value-xyz" } };
    const md = renderReview({ title: "t", context: [], stacks: reviewStacks({ "recorder-dev": before }, { "recorder-dev": after }) });
    for (const secret of ["hunter2-but-longer", SECRET_ID, USERSIG, "MIIEowIBAAKCAQEAexample", SECRET_KEY, "token-value-123", "s3cr3t-value-xyz"]) {
      expect(md).not.toContain(secret);
    }
    expect(md).toContain(MASKED);
    // The names stay visible: a reviewer must see *that* a secret changed.
    expect(md).toContain("environment.DB_PASSWORD");
    expect(md).toContain("secret_name");
    expect(md).toContain("`client`");
  });

  it("masks secrets in environment drift too", () => {
    const staging = fixtureStack("staging");
    const prod = withResource(fixtureStack("prod"), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      (b.environment as Record<string, string>).API_TOKEN = "prod-only-token-value";
    });
    const drift = driftBetween({ "recorder-staging": staging, "recorder-prod": prod }, "staging", "prod", (e) => `recorder-${e}`);
    const md = renderDrift({ a: "staging", b: "prod", normalized: drift.normalized, context: [], stack: drift.stack });
    expect(md).not.toContain("prod-only-token-value");
    expect(md).toContain("environment.API_TOKEN");
  });
});
