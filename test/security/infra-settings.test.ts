// The environment's security settings reach the functions (function/auth/policy.ts reads them) and the synth says
// plainly what is not protected: the role's delivery allow-list and the deployment's own buckets, callback hosts,
// the UserSig opt-out (refused without a reason, warned with one) and what API Gateway key-pair auth covers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app";
import { environmentsWith, resourcesOf, testArtifacts, type Synthesized, synthEnvironments } from "../infra/synth";

function functionEnv(s: Synthesized, stack: string): Record<string, string> {
  const fns = resourcesOf(s.stacks[stack], "tencentcloud_scf_function");
  const env = fns[0]?.environment as Record<string, string> | undefined;
  if (!env) throw new Error(`no function environment in ${stack}`);
  return env;
}

let synth: Synthesized;
beforeAll(async () => {
  const dir = environmentsWith({ dev: (e) => ({ ...e, security: { callbackHosts: ["Hooks.Example.com", "hooks.example.com:8443"] } }) });
  synth = await synthEnvironments({ environments: ["prod", "dev"], environmentsDir: dir });
}, 300_000);
afterAll(() => synth?.cleanup());

describe("security settings in the synthesized stacks", () => {
  it("prod: the role delivers only to role.deliveryBuckets, never to the artifact or Terraform state buckets; UserSigs verified", () => {
    const env = functionEnv(synth, "recorder-prod");
    expect(env.RECORDER_ROLE_BUCKETS).toBe("class-recordings-1250000000");
    expect(env.RECORDER_RESERVED_BUCKETS.split(",")).toEqual(expect.arrayContaining(["tfstate-1250000000"]));
    expect(env.RECORDER_CALLER_CHECK).toBeUndefined();
    expect(env.RECORDER_CALLBACK_HOSTS).toBeUndefined();
  });

  it("the least-privilege role reaches the same delivery buckets the function allows", () => {
    const policies = resourcesOf(synth.stacks["recorder-prod"], "tencentcloud_cam_policy");
    const text = policies.map((p) => String(p.document)).join("\n");
    expect(text).toContain("class-recordings-1250000000");
  });

  it("dev: an allow-list of callback hosts, lower-cased", () => {
    expect(functionEnv(synth, "recorder-dev").RECORDER_CALLBACK_HOSTS).toBe("hooks.example.com,hooks.example.com:8443");
  });
});

describe("synth warnings", () => {
  async function warningsFor(changes: Parameters<typeof environmentsWith>[0], environments: string[]): Promise<string> {
    const { app } = buildApp({ outdir: "/tmp/unused-cdktf-out", environments, environmentsDir: environmentsWith(changes), artifacts: await testArtifacts() });
    return app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)))
      .join("\n");
  }

  it("say that API Gateway key-pair auth does not cover method, path or body, and recommend function-URL keys", async () => {
    const text = await warningsFor({}, ["prod"]);
    expect(text).toContain("signs only the x-date and source headers, not the method, path or body");
    expect(text).toContain("function-URL ingress with bearer API keys");
  });

  it("refuse a UserSig opt-out without a reason, and warn with one", async () => {
    await expect(warningsFor({ dev: (e) => ({ ...e, security: { userSigVerification: false } }) }, ["dev"])).rejects.toThrow(/userSigOptOutReason/);
    const text = await warningsFor({ dev: (e) => ({ ...e, security: { userSigVerification: false, userSigOptOutReason: "lab only" } }) }, ["dev"]);
    expect(text).toContain("callers' UserSigs are not verified (lab only)");
  });
});
