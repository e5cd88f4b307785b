// Reading a synthesized stack: the reference evaluator resolves exactly the forms the stack uses and refuses the
// rest, unmodelled shapes fail loudly, and a stack older than its inputs counts as stale.
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDeployment } from "../../local/stack/read-deployment";
import { ReferenceResolver, UnresolvableReference } from "../../local/stack/references";
import type { TfJson } from "../../local/stack/tf-json";
import { stackFreshness } from "../../local/synth/freshness";
import { parseCron, nextFire, CronError } from "../../local/timer/cron";
import { timerEvent } from "../../local/timer/timer-triggers";

const account = { appId: "1250000009", uin: "100000000009" };
const json: TfJson = {
  provider: { tencentcloud: [{ region: "ap-shanghai" }] },
  data: { tencentcloud_user_info: { me: {} } },
  resource: {
    tencentcloud_cos_bucket: { b: { bucket: "state-${data.tencentcloud_user_info.me.app_id}" } },
    tencentcloud_kms_key: { k: { alias: "a" } },
    tencentcloud_scf_layer: { l: { layer_name: "ff", content: { cos_bucket_name: "art", cos_object_name: "ffmpeg-layer/l.zip", cos_bucket_region: "ap-shanghai" } } },
    tencentcloud_scf_function: {
      f: {
        name: "fn",
        handler: "index.main",
        runtime: "Nodejs18.15",
        cos_bucket_name: "art-1250000009",
        cos_object_name: "recorder-bundle/f.zip",
        cos_bucket_region: "ap-shanghai",
        environment: { BUCKET: "${tencentcloud_cos_bucket.b.bucket}", KEY: "${tencentcloud_kms_key.k.id}", LITERAL: "$${not a ref}" },
        layers: [{ layer_name: "ff", layer_version: "${tencentcloud_scf_layer.l.layer_version}" }],
      },
    },
  },
};

/** Plays the artifact bucket: object key → a path under /artifacts. */
const artifacts = (bucket: string, key: string) => `/artifacts/${bucket}/${key}`;

describe("the reference evaluator", () => {
  const r = new ReferenceResolver(json, account);

  it("resolves configured attributes, computed ids, the account's app id, embedded and whole-string references", () => {
    const d = readDeployment(json, "s", "/stack", account, artifacts);
    expect(d.region).toBe("ap-shanghai");
    expect(d.buckets).toEqual([{ name: "state-1250000009", region: "ap-shanghai" }]);
    const env = d.functions[0].environment;
    expect(env.BUCKET).toBe("state-1250000009");
    expect(env.KEY).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(env.KEY).toBe(d.kmsKeys[0].keyId);
    expect(env.LITERAL).toBe("${not a ref}");
    expect(d.functions[0].layers[0]).toMatchObject({ name: "ff", version: 1, zipPath: "/artifacts/art/ffmpeg-layer/l.zip" });
    expect(d.functions[0].codeZipPath).toBe("/artifacts/art-1250000009/recorder-bundle/f.zip");
    expect(d.functions[0]).toMatchObject({ memoryMb: 128, timeoutSeconds: 3, namespace: "default", asyncRun: false, asyncRetries: 2, asyncRetriesSource: "platform-default" });
  });

  it("refuses what it does not model, naming where it was found", () => {
    expect(() => r.resolve("${tencentcloud_kms_key.k.arn}", "here")).toThrow(UnresolvableReference);
    expect(() => r.resolve("${tencentcloud_kms_key.k.arn}", "here")).toThrow(/^here: cannot resolve \$\{tencentcloud_kms_key.k.arn\}/);
    expect(() => r.resolve("${lookup(jsondecode(x), \"url\", \"\")}", "out")).toThrow(/only <type>.<name>.<attribute> references/);
    expect(() => r.resolve("${data.tencentcloud_cam_policies.p.policy_list}", "x")).toThrow(/data source tencentcloud_cam_policies is not modelled/);
    expect(() => r.resolve("${tencentcloud_vpc.missing.id}", "x")).toThrow(/no resource tencentcloud_vpc.missing/);
  });

  it("takes code only from the artifact bucket: an inline zip (over the API's 10 MB body) is refused", () => {
    const inline = structuredClone(json);
    const f = (inline.resource as Record<string, Record<string, Record<string, unknown>>>).tencentcloud_scf_function.f;
    delete f.cos_bucket_name;
    f.zip_file = "assets/f.zip";
    expect(() => readDeployment(inline, "s", "/stack", account, artifacts)).toThrow(/cos_bucket_name: expected code from the artifact bucket/);
  });

  it("gives a CFS file system's fs_id the FSID shape (not cfs-…), so a mount by fs_id fails as SCF refuses it", () => {
    const withFs = structuredClone(json);
    (withFs.resource as Record<string, unknown>).tencentcloud_cfs_file_system = { fs: { name: "x" } };
    const rr = new ReferenceResolver(withFs, account);
    expect(rr.resolve("${tencentcloud_cfs_file_system.fs.id}", "here")).toMatch(/^cfs-[0-9a-f]{8}$/);
    expect(rr.resolve("${tencentcloud_cfs_file_system.fs.fs_id}", "here")).toMatch(/^[0-9a-f]{8}$/);
  });

  it("refuses shapes it cannot serve as synthesized (inline triggers, other API backends)", () => {
    const inline = structuredClone(json);
    (inline.resource as Record<string, Record<string, Record<string, unknown>>>).tencentcloud_scf_function.f.triggers = [{ name: "t", type: "timer" }];
    expect(() => readDeployment(inline, "s", "/stack", account, artifacts)).toThrow(/triggers: expected no inline triggers/);
    const mock = structuredClone(json);
    (mock.resource as Record<string, unknown>).tencentcloud_api_gateway_api = { a: { service_id: "s", service_config_type: "MOCK", request_config_path: "/x" } };
    expect(() => readDeployment(mock, "s", "/stack", account, artifacts)).toThrow(/service_config_type: expected "SCF"/);
  });
});

describe("freshness", () => {
  const root = mkdtempSync(join(tmpdir(), "fresh-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is stale when the stack is missing or any input is newer, fresh otherwise", () => {
    mkdirSync(join(root, "infra"), { recursive: true });
    writeFileSync(join(root, "infra", "a.ts"), "x");
    const stack = join(root, "cdk.tf.json");
    expect(stackFreshness(stack, root, ["infra"]).fresh).toBe(false);
    writeFileSync(stack, "{}");
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, "infra", "a.ts"), past, past);
    expect(stackFreshness(stack, root, ["infra"])).toMatchObject({ fresh: true });
    writeFileSync(join(root, "infra", "b.ts"), "y");
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(root, "infra", "b.ts"), future, future);
    expect(stackFreshness(stack, root, ["infra"]).reason).toMatch(/b\.ts is newer/);
  });
});

describe("SCF timer cron", () => {
  it("parses 7 fields and finds the next fire time (UTC+8 wall clock)", () => {
    const everyMinute = parseCron("0 */1 * * * * *");
    const t = Date.parse("2026-01-01T00:00:30Z");
    expect(new Date(nextFire(everyMinute, t, 480) ?? 0).toISOString()).toBe("2026-01-01T00:01:00.000Z");
    const daily = parseCron("0 30 9 * * MON-FRI *");
    // 09:30 in UTC+8 is 01:30Z; 2026-01-03 is a Saturday, so the next weekday is Monday 2026-01-05.
    expect(new Date(nextFire(daily, Date.parse("2026-01-02T02:00:00Z"), 480) ?? 0).toISOString()).toBe("2026-01-05T01:30:00.000Z");
    expect(() => parseCron("*/5 * * * *")).toThrow(CronError);
    expect(() => parseCron("0 61 * * * * *")).toThrow(/minute must be 0..59/);
  });

  it("fires the timer event SCF sends", () => {
    const e = timerEvent({ address: "a", triggerName: "watchdog", functionName: "f", namespace: "default", qualifier: "live", cron: "0 */1 * * * * *", customArgument: '{"action":"watchdog"}', enabled: true }, Date.parse("2026-01-01T00:01:00.123Z"));
    expect(e).toEqual({ Type: "Timer", TriggerName: "watchdog", Time: "2026-01-01T00:01:00Z", Message: '{"action":"watchdog"}' });
  });
});
