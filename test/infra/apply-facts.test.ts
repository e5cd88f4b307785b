// Every variant a team deploys must pass the apply-time facts with zero errors and zero warnings: the environments
// plus function URL, storage off, an existing network, an existing CFS file system, an existing role, least
// privilege, concurrency settings and a prod canary. Each variant is an environment file of its own, synthesized by
// the real app into one output folder and judged by `check-tf-schema.mjs --apply`.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app";
import { ENVIRONMENTS_DIR } from "../../infra/environments/load";
import type { RecorderStackArtifacts } from "../../infra/stacks/recorder-stack";
import { checkTfSchema } from "./schema-check";
import { testArtifacts } from "./synth";
import type { TfJson } from "../../infra/synthesized/tf-json";

type Env = Record<string, unknown>;
const dev = JSON.parse(readFileSync(join(ENVIRONMENTS_DIR, "dev.json"), "utf8")) as Env;
const backend = (name: string) => ({ kind: "cos", bucket: "tfstate-1250000000", region: "ap-guangzhou", prefix: `trtc-recorder/${name}` });

const VARIANTS: Record<string, Env> = {
  "v-url": { ingress: { kind: "function-url", auth: true } },
  "v-url-open": { ingress: { kind: "function-url", auth: false, authOptOutReason: "test variant" } },
  "v-nostore": { storage: { enabled: false } },
  "v-existing-net": { network: { vpcId: "vpc-abc123", subnetId: "subnet-abc123" } },
  "v-existing-cfs": {
    network: { vpcId: "vpc-abc123", subnetId: "subnet-abc123" },
    storage: { enabled: true, mountDir: "/mnt/rec", fileSystemId: "cfs-abc12345", mountTargetId: "cfs-abc12345" },
  },
  "v-cfs": { network: { vpcCidr: "10.40.0.0/16", subnetCidr: "10.40.1.0/24" }, storage: { enabled: true } },
  "v-role-existing": { role: { name: "SCF_ExecuteRole", create: false } },
  "v-least": { role: { name: "v-least-exec", leastPrivilege: true, deliveryBuckets: ["class-recordings-1250000000"] }, observability: { alarms: true, logRetentionDays: 30 } },
  "v-concurrency": { function: { recorderReservedConcurrency: 100, apiReservedConcurrency: 50, apiProvisionedConcurrency: 5 } },
};

let root: string;
let outdir: string;
let stacks: Record<string, TfJson>;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "apply-facts-"));
  const envDir = join(root, "environments");
  cpSync(ENVIRONMENTS_DIR, envDir, { recursive: true, filter: (src) => !src.endsWith(".ts") });
  for (const [name, change] of Object.entries(VARIANTS)) {
    writeFileSync(join(envDir, `${name}.json`), JSON.stringify({ ...dev, ...change, name, backend: backend(name), tags: { env: name } }, null, 2));
  }
  outdir = join(root, "cdktf.out");
  const artifacts = await testArtifacts();
  buildApp({ outdir, environments: Object.keys(VARIANTS), environmentsDir: envDir, artifacts }).app.synth();
  // A prod canary: a previous bundle and layer published earlier (only their content addresses matter here).
  const previous = {
    bundle: { ...artifacts.bundle, hash: "0".repeat(16), sha256: "0".repeat(64), path: undefined },
    layer: { ...artifacts.layer, hash: "1".repeat(16), sha256: "1".repeat(64), path: undefined },
  };
  const canary: RecorderStackArtifacts = { ...artifacts, canary: { weight: 0.1, previous } };
  buildApp({ outdir, environments: ["prod"], environmentsDir: envDir, artifacts: canary }).app.synth();
  stacks = Object.fromEntries(
    [...Object.keys(VARIANTS), "prod"].map((n) => [n, JSON.parse(readFileSync(join(outdir, "stacks", `recorder-${n}`, "cdk.tf.json"), "utf8")) as TfJson]),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("apply-time facts on every variant", () => {
  it("passes check-tf-schema --apply with zero errors and zero warnings", () => {
    const result = checkTfSchema(outdir);
    expect(result.output).toContain(`${Object.keys(VARIANTS).length + 1} valid, 0 invalid`);
    expect(result.warnings).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("mounts an existing CFS file system by its own ids, in its VPC, creating no file system, group or rule", () => {
    const s = stacks["v-existing-cfs"]!;
    expect(s.resource?.tencentcloud_cfs_file_system).toBeUndefined();
    expect(s.resource?.tencentcloud_cfs_access_group).toBeUndefined();
    for (const fn of Object.values(s.resource!.tencentcloud_scf_function!)) {
      expect(fn.cfs_config).toEqual([{ cfs_id: "cfs-abc12345", mount_ins_id: "cfs-abc12345", local_mount_dir: "/mnt/rec", remote_mount_dir: "/", user_id: "10000", user_group_id: "10000" }]);
      expect(fn).toMatchObject({ vpc_id: "vpc-abc123", subnet_id: "subnet-abc123" });
      expect((fn.environment as Record<string, string>).CFS_PATH).toBe("/mnt/rec");
    }
  });

  it("fails the apply loudly when the provider drops a cfs_config change (postcondition on the read-back mount)", () => {
    for (const name of ["v-cfs", "v-existing-cfs"]) {
      for (const fn of Object.values(stacks[name]!.resource!.tencentcloud_scf_function!)) {
        const [post] = (fn.lifecycle as { postcondition: Array<{ condition: string; error_message: string }> }).postcondition;
        for (const field of ["cfs_id", "mount_ins_id", "local_mount_dir", "remote_mount_dir"]) expect(post!.condition).toContain(`self.cfs_config[0].${field} ==`);
        expect(post!.error_message).toContain("cannot change cfs_config on an existing function");
      }
    }
    for (const fn of Object.values(stacks["v-nostore"]!.resource!.tencentcloud_scf_function!)) expect(fn.lifecycle).toBeUndefined();
  });

  it("uses an existing role by name without creating it, and still attaches the recorder's policies to it", () => {
    const s = stacks["v-role-existing"]!;
    expect(s.resource?.tencentcloud_cam_role).toBeUndefined();
    const lookup = Object.entries(s.data!.tencentcloud_cam_roles!);
    expect(lookup).toHaveLength(1);
    expect(lookup[0]![1].name).toBe("SCF_ExecuteRole");
    for (const a of Object.values(s.resource!.tencentcloud_cam_role_policy_attachment!)) {
      expect(String(a.role_id)).toBe(`\${data.tencentcloud_cam_roles.${lookup[0]![0]}.role_list[0].role_id}`);
    }
    for (const fn of Object.values(s.resource!.tencentcloud_scf_function!)) expect(fn.role).toBe("SCF_ExecuteRole");
  });

  it("keeps the canary's previous versions and layer, and routes to them per function", () => {
    const s = stacks.prod!;
    expect(Object.keys(s.resource!.tencentcloud_scf_layer!)).toHaveLength(2);
    expect(Object.keys(s.resource!.tencentcloud_scf_function_version!)).toHaveLength(4);
    const versions = new Set(
      Object.values(s.resource!.tencentcloud_scf_function_alias!).map((a) => (a.routing_config as { additional_version_weights: Array<{ version: string }> }).additional_version_weights[0]!.version),
    );
    expect(versions.size).toBe(2);
  });

  it("enables the KMS key (the provider disables a key created without is_enabled)", () => {
    for (const s of Object.values(stacks)) for (const k of Object.values(s.resource!.tencentcloud_kms_key!)) expect(k).toMatchObject({ is_enabled: true, key_rotation_enabled: true });
  });

  it("writes the alarm filter in the Monitor API's shape: DIMENSION and [[{Key, Operator, Value}]]", () => {
    const [policy] = Object.values(stacks["v-least"]!.resource!.tencentcloud_monitor_alarm_policy!);
    const filter = policy!.filter as { type: string; dimensions: string };
    expect(filter.type).toBe("DIMENSION");
    const groups = JSON.parse(filter.dimensions) as Array<Array<{ Key: string; Operator: string; Value: string[] }>>;
    expect(groups).toHaveLength(2);
    for (const g of groups) {
      expect(g.map((d) => d.Key).sort()).toEqual(["functionName", "namespace"]);
      for (const d of g) expect(Array.isArray(d.Value)).toBe(true);
    }
    // Remark: letters, digits, _ and - only (CreateAlarmPolicyRequest.Remark).
    expect(String(policy!.remark)).toMatch(/^[A-Za-z0-9_-]{1,100}$/);
  });

  it("republishes the API Gateway release when anything a route serves changes (function, timeout, auth)", () => {
    const releaseDesc = (s: TfJson) => String(Object.values(s.resource!.tencentcloud_api_gateway_service_release!)[0]!.release_desc);
    // Same routes and backends → same release; other function names (another environment) → another release.
    expect(releaseDesc(stacks["v-nostore"]!)).not.toBe(releaseDesc(stacks["v-existing-net"]!));
  });
});
