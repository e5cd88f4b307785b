import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import type { ArtifactRef } from "../../infra/artifacts/artifact-store";
import { EncryptionKey } from "../../infra/constructs/encryption-key";
import { ExecutionRole, type ExecutionRoleProps } from "../../infra/constructs/execution-role";
import { FfmpegLayer } from "../../infra/constructs/ffmpeg-layer";
import { Ingress } from "../../infra/constructs/ingress";
import { Network, cidrContains } from "../../infra/constructs/network";
import { Observability } from "../../infra/constructs/observability";
import { RecorderFunction, type RecorderFunctionProps } from "../../infra/constructs/recorder-function";
import { RecordingStorage } from "../../infra/constructs/recording-storage";

function scope(): Construct {
  return new TerraformStack(Testing.app(), "props");
}

const bundle: ArtifactRef = { kind: "recorder-bundle", hash: "0123456789abcdef", sha256: "0123456789abcdef".repeat(4), size: 1000, sourceCommit: "test" };
const layerArtifact: ArtifactRef = { kind: "ffmpeg-layer", hash: "fedcba9876543210", sha256: "fedcba9876543210".repeat(4), size: 1000, sourceCommit: "test" };
const artifactBucket = { bucket: "art-1250000000", region: "ap-guangzhou" };

const roleProps: ExecutionRoleProps = { region: "ap-guangzhou", appId: "1250000000", uin: "100000000001", kmsKeyId: "key-1", namespace: "default", functionNames: ["rec"] };

function fnProps(s: Construct, over: Partial<RecorderFunctionProps> = {}): RecorderFunctionProps {
  return {
    bundle,
    artifactBucket,
    layer: new FfmpegLayer(s, "layer", { artifact: layerArtifact, artifactBucket }),
    role: new ExecutionRole(s, "role", roleProps),
    ...over,
  };
}

describe("construct props are validated at construction, naming the prop, the rule and the value", () => {
  it("RecorderFunction refuses a timeout over the provider's 900 s", () => {
    const s = scope();
    expect(() => new RecorderFunction(s, "f", fnProps(s, { recorderTimeoutSeconds: 86400 }))).toThrow(
      /^RecorderFunction: props\.recorderTimeoutSeconds must be an integer 60\.\.900 \(the provider refuses more than 900.*\(got 86400\)$/,
    );
  });

  it("RecorderFunction refuses memory that is not a multiple of 128", () => {
    const s = scope();
    expect(() => new RecorderFunction(s, "f", fnProps(s, { recorderMemoryMb: 1000 }))).toThrow("RecorderFunction: props.recorderMemoryMb must be a multiple of 128 in 128..3072 (got 1000)");
  });

  it("RecorderFunction refuses a secret-looking environment variable without echoing its value", () => {
    const s = scope();
    let message = "";
    try {
      new RecorderFunction(s, "f", fnProps(s, { environment: { CALLBACK_SECRET: "hunter2-value" } }));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("props.environment.CALLBACK_SECRET must be not a secret");
    expect(message).not.toContain("hunter2-value");
  });

  it("RecorderFunction refuses a non-Node runtime and a bad name", () => {
    const s = scope();
    expect(() => new RecorderFunction(s, "f", fnProps(s, { runtime: "Python3.9" }))).toThrow('RecorderFunction: props.runtime must be a Node.js SCF runtime like "Nodejs18.15" (got "Python3.9")');
    const s2 = scope();
    expect(() => new RecorderFunction(s2, "f", fnProps(s2, { name: "9lives" }))).toThrow(/props\.name must be 1-56 letters.*\(got "9lives"\)/);
  });

  it("RecorderFunction refuses a layer artifact as its bundle", () => {
    const s = scope();
    expect(() => new RecorderFunction(s, "f", fnProps(s, { bundle: layerArtifact }))).toThrow('RecorderFunction: props.bundle must be a recorder-bundle artifact (got "ffmpeg-layer")');
  });

  it("RecordingStorage refuses a mount dir outside /mnt/ or not normalized", () => {
    for (const mountDir of ["/tmp/rec", "/mnt/", "/mnt/a/../b", "/mnt/rec/", "mnt/rec"]) {
      const s = scope();
      const network = new Network(s, "n", { name: "t", availabilityZone: "ap-guangzhou-3", vpcCidr: "10.0.0.0/16", subnetCidr: "10.0.1.0/24" });
      expect(() => new RecordingStorage(s, "st", { name: "t", network, availabilityZone: "ap-guangzhou-3", mountDir })).toThrow(
        `RecordingStorage: props.mountDir must be a normalized directory under /mnt/ like "/mnt/recordings" (no trailing slash, no "..") (got ${JSON.stringify(mountDir)})`,
      );
    }
  });

  it("Network refuses a subnet outside the VPC and half-given existing ids", () => {
    const s = scope();
    expect(() => new Network(s, "n", { name: "t", availabilityZone: "ap-guangzhou-3", vpcCidr: "10.0.0.0/16", subnetCidr: "10.1.1.0/24" })).toThrow(
      'Network: props.subnetCidr must be inside vpcCidr 10.0.0.0/16 (got "10.1.1.0/24")',
    );
    expect(() => new Network(scope(), "n", { name: "t", availabilityZone: "ap-guangzhou-3", vpcId: "vpc-abc" })).toThrow("Network: props.subnetId must be an existing subnet id like subnet-abc123 (required with vpcId) (got \"\")");
    expect(cidrContains("10.0.0.0/16", "10.0.255.0/24")).toBe(true);
    expect(cidrContains("10.0.0.0/16", "10.1.0.0/24")).toBe(false);
  });

  it("ExecutionRole requires buckets with leastPrivilege", () => {
    expect(() => new ExecutionRole(scope(), "r", { ...roleProps, leastPrivilege: true })).toThrow(
      "ExecutionRole: props.buckets must be non-empty when leastPrivilege is true (which buckets may the recorder write?) (got [])",
    );
    expect(() => new ExecutionRole(scope(), "r", { ...roleProps, buckets: ["Bad_Bucket"] })).toThrow('ExecutionRole: props.buckets must be a list of buckets like records-1250000000 (got "Bad_Bucket")');
  });

  it("FfmpegLayer refuses a zip over SCF's 500 MB layer limit", () => {
    expect(() => new FfmpegLayer(scope(), "l", { artifact: { ...layerArtifact, size: 600 * 1024 * 1024 }, artifactBucket })).toThrow(
      "FfmpegLayer: props.artifact must be a zip of at most 500 MB (SCF's layer size limit) (got 629145600)",
    );
  });

  it("Ingress refuses auth off without a reason, and warns when it is off with one", () => {
    const s = scope();
    const fns = new RecorderFunction(s, "f", fnProps(s));
    expect(() => new Ingress(s, "i", { name: "t", recorder: fns.recorder, api: fns.api, auth: false })).toThrow(
      "Ingress: props.authOptOutReason must be a reason when auth is false (anyone could start recordings) (got undefined)",
    );
    const s2 = scope();
    const fns2 = new RecorderFunction(s2, "f", fnProps(s2));
    const ingress = new Ingress(s2, "i", { name: "t", recorder: fns2.recorder, api: fns2.api, auth: false, authOptOutReason: "private network" });
    const warnings = ingress.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(warnings.join("\n")).toContain("client routes are unauthenticated (private network)");
  });

  it("Observability needs functions to watch when alarms are on; EncryptionKey checks its delete window", () => {
    expect(() => new Observability(scope(), "o", { name: "t", alarms: true })).toThrow("Observability: props.functionNames must be non-empty when alarms is true (got [])");
    expect(() => new EncryptionKey(scope(), "k", { alias: "a", pendingDeleteWindowInDays: 3 })).toThrow("EncryptionKey: props.pendingDeleteWindowInDays must be an integer 7..30 (got 3)");
  });
});
