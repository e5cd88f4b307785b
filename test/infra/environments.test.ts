import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EnvironmentError, listEnvironments, loadEnvironment } from "../../infra/environments/load";
import { environmentsWith, tempDir } from "./synth";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function withChange(env: string, change: (e: Record<string, unknown>) => Record<string, unknown>): string {
  const dir = environmentsWith({ [env]: change });
  dirs.push(dir);
  return dir;
}

function problemsOf(fn: () => unknown): EnvironmentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvironmentError) return err;
    throw err;
  }
  throw new Error("expected an EnvironmentError");
}

describe("environment files", () => {
  it("the shipped files all load", () => {
    for (const name of listEnvironments()) expect(loadEnvironment(name).name).toBe(name);
  });

  it("names the environment, the file, the field, what was expected and what was given", () => {
    const dir = withChange("dev", (e) => ({ ...e, region: "guangzhou" }));
    const err = problemsOf(() => loadEnvironment("dev", dir));
    expect(err.message).toContain(`environment "dev" (${join(dir, "dev.json")}) is invalid`);
    expect(err.problems).toEqual([{ field: "region", expected: "expected a region like ap-guangzhou", got: '"guangzhou"' }]);
  });

  it("refuses a region TRTC cloud recording does not serve unless trtcRegion names one it does", () => {
    const dir = withChange("dev", (e) => ({ ...e, region: "ap-chengdu", availabilityZone: "ap-chengdu-1" }));
    expect(problemsOf(() => loadEnvironment("dev", dir)).problems).toEqual([
      { field: "trtcRegion", expected: "expected one of ap-beijing, ap-guangzhou, ap-mumbai, ap-shanghai, ap-singapore: TRTC cloud recording does not serve ap-chengdu", got: "nothing" },
    ]);
    const ok = withChange("dev", (e) => ({ ...e, region: "ap-chengdu", availabilityZone: "ap-chengdu-1", trtcRegion: "ap-guangzhou" }));
    expect(loadEnvironment("dev", ok).trtcRegion).toBe("ap-guangzhou");
    const bad = withChange("dev", (e) => ({ ...e, trtcRegion: "ap-chengdu" }));
    expect(problemsOf(() => loadEnvironment("dev", bad)).problems[0]!.field).toBe("trtcRegion");
  });

  it("requires the artifact bucket as name-APPID, and refuses an existing CFS outside an existing VPC or an endpoint outside local", () => {
    const noArtifacts = withChange("dev", (e) => {
      const { artifacts: _drop, ...rest } = e;
      return rest;
    });
    expect(problemsOf(() => loadEnvironment("dev", noArtifacts)).problems[0]!.field).toBe("artifacts");
    const cfs = withChange("staging", (e) => ({ ...e, storage: { enabled: true, fileSystemId: "cfs-abc12345" } }));
    expect(problemsOf(() => loadEnvironment("staging", cfs)).problems.map((p) => p.field)).toEqual(["network"]);
    const endpoint = withChange("dev", (e) => ({ ...e, endpoint: { protocol: "HTTP", domain: "emulator.local", cosDomain: "http://cos.ap-guangzhou.myqcloud.com" } }));
    expect(problemsOf(() => loadEnvironment("dev", endpoint)).problems.map((p) => p.field)).toEqual(["endpoint"]);
    const role = withChange("dev", (e) => ({ ...e, role: { create: false } }));
    expect(problemsOf(() => loadEnvironment("dev", role)).problems.map((p) => p.field)).toEqual(["role.name"]);
  });

  it("reports every problem at once, with nested field paths", () => {
    const dir = withChange("staging", (e) => ({ ...e, network: { vpcCidr: "10.0.0.0", subnetCidr: "10.0.1.0/24" }, storage: { enabled: "yes" } }));
    const err = problemsOf(() => loadEnvironment("staging", dir));
    const fields = err.problems.map((p) => p.field);
    expect(fields).toContain("storage.enabled");
    expect(err.message).toMatch(/network[^\n]*expected either \{vpcCidr, subnetCidr\}|network\.vpcCidr[^\n]*expected an IPv4 CIDR/);
  });

  it("rejects unknown keys (a typo must not be silently ignored)", () => {
    const dir = withChange("prod", (e) => ({ ...e, regoin: "ap-shanghai" }));
    const err = problemsOf(() => loadEnvironment("prod", dir));
    expect(err.message).toContain("regoin");
  });

  it("requires a network when storage is on, a reason when auth is off, and the name to match the file", () => {
    const dir = withChange("staging", (e) => {
      const { network: _network, ...rest } = e;
      return { ...rest, name: "stage", ingress: { kind: "apigw", auth: false } };
    });
    const err = problemsOf(() => loadEnvironment("staging", dir));
    expect(err.problems.map((p) => p.field).sort()).toEqual(["ingress.authOptOutReason", "name", "network"]);
    expect(err.problems.find((p) => p.field === "name")).toEqual({ field: "name", expected: 'expected "staging" (the file name)', got: '"stage"' });
  });

  it("refuses a COS backend without a bucket, with the field named", () => {
    const dir = withChange("dev", (e) => ({ ...e, backend: { kind: "cos", region: "ap-guangzhou", prefix: "x" } }));
    const err = problemsOf(() => loadEnvironment("dev", dir));
    expect(err.problems[0]!.field).toBe("backend.bucket");
  });

  it("reports invalid JSON and a missing file precisely", () => {
    const dir = tempDir("envs-bad-");
    dirs.push(dir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "dev.json"), "{ not json");
    expect(problemsOf(() => loadEnvironment("dev", dir)).problems[0]!.expected).toBe("expected valid JSON");
    expect(problemsOf(() => loadEnvironment("qa", dir)).problems[0]!.got).toBe("no file");
  });
});
