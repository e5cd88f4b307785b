// The local SCF runtime with small fake handlers: the context and environment an instance gets, the limits it
// enforces (timeout, memory), failures in SCF's shapes, private /tmp, CFS persistence, async retries, async-run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployFunctions } from "../../emulator/scf/deploy";
import type { InvocationRecord } from "../../emulator/scf/invocation-log";
import { FunctionLookupError, ScfRuntime } from "../../emulator/scf/runtime";
import { fakeDeployment } from "./support/fake-functions";

let stateDir: string;
let fakeDir: string;
let runtime: ScfRuntime;
const role = { secretId: "AKIDRoleTest", secretKey: "role-secret-key", token: "role-session-token" };

beforeAll(async () => {
  const { deployment, dir } = await fakeDeployment([
    { name: "echo", handler: "index.echo" },
    { name: "sleepy", handler: "index.sleep", timeoutSeconds: 1 },
    { name: "hanger", handler: "index.hang", timeoutSeconds: 30 },
    { name: "hog", handler: "index.hog", memoryMb: 128 },
    { name: "fail", handler: "index.fail" },
    { name: "cb", handler: "index.callbackStyle" },
    { name: "missing", handler: "index.notAFunction" },
    { name: "tmp", handler: "index.writeTmp" },
    { name: "flaky", handler: "index.failUntil", asyncRetries: 2 },
    { name: "asyncrun", handler: "index.sleep", asyncRun: true },
  ]);
  fakeDir = dir;
  stateDir = mkdtempSync(join(tmpdir(), "runtime-test-"));
  const deployed = await deployFunctions(deployment, stateDir);
  process.env.LOCAL_CLOUD_TEST_PARENT_VAR = "leaked";
  runtime = new ScfRuntime({ deployment, deployed, role, apiEndpoint: () => "127.0.0.1:1111", cosIp: () => "127.0.0.1:2222", retryDelaysMs: [50, 50] });
});

afterAll(async () => {
  delete process.env.LOCAL_CLOUD_TEST_PARENT_VAR;
  await runtime.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(fakeDir, { recursive: true, force: true });
});

async function sync(functionName: string, event: unknown) {
  const r = await runtime.invokeSync({ functionName, event, trigger: "invoke-sync", qualifier: "live" });
  if (r.asyncRun) throw new Error("unexpected async-run answer");
  return r.outcome;
}

describe("an instance", () => {
  it("gets the event, SCF's context fields, the mapped environment, role keys and the local overrides, and nothing from the parent", async () => {
    const o = await sync("echo", { hello: "world" });
    expect(o.status).toBe(200);
    const v = JSON.parse("json" in o ? o.json : "{}");
    expect(v.event).toEqual({ hello: "world" });
    expect(v.context).toMatchObject({ function_name: "echo", namespace: "default", function_version: "1", memory_limit_in_mb: 128, time_limit_in_ms: 10_000, tencentcloud_region: "ap-guangzhou", tencentcloud_appid: "1250000000" });
    expect(v.context.remaining).toBeGreaterThan(0);
    expect(v.context.remaining).toBeLessThanOrEqual(10_000);
    expect(JSON.parse(v.context.environment)).toMatchObject({ CFS_PATH: join(stateDir, "cfs", "cfs-fake0001") });
    expect(v.context.environment).not.toContain("role-secret-key");
    expect(v.env.CFS_PATH).toBe(join(stateDir, "cfs", "cfs-fake0001"));
    expect(v.env.FFMPEG_PATH).toMatch(new RegExp(`^${stateDir}/opt/[0-9a-f]+/ffmpeg$`));
    expect(v.ffmpegExecutable).toBe(true);
    expect(v.tmpdir).toBe(v.env.TMPDIR);
    expect(v.env.TMPDIR.startsWith(join(stateDir, "instances"))).toBe(true);
    expect(v.env).toMatchObject({ RECORDER_API_ENDPOINT_OVERRIDE: "127.0.0.1:1111", RECORDER_COS_IP_OVERRIDE: "127.0.0.1:2222", TENCENTCLOUD_SECRETID: "AKIDRoleTest", HAS_SESSION_TOKEN: true });
    expect(v.env.FROM_PARENT).toBeUndefined();
  });

  it("is killed at the function's timeout with SCF's 433 and message", async () => {
    const o = await sync("sleepy", { ms: 5000 });
    expect(o.status).toBe(433);
    expect("error" in o && o.error).toMatchObject({ statusCode: 433, errorMessage: "Task timed out after 1 seconds" });
  });

  it("is killed when it exceeds its memory with 434", async () => {
    const o = await sync("hog", {});
    expect(o.status).toBe(434);
    expect("error" in o && o.error.errorMessage).toMatch(/Memory limit reached/);
  });

  it("reports a thrown error as 430 'user code exception caught' with the stack", async () => {
    const o = await sync("fail", { message: "the reason" });
    expect(o.status).toBe(430);
    if (!("error" in o)) throw new Error("expected an error");
    expect(o.error).toMatchObject({ errorCode: -1, errorMessage: "user code exception caught", statusCode: 430 });
    expect(o.error.stackTrace).toContain("the reason");
    expect(o.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("supports callback-style handlers and reports a handler that is not a function as 437", async () => {
    const cb = await sync("cb", { n: 7 });
    expect("json" in cb && JSON.parse(cb.json)).toEqual({ via: "callback", n: 7 });
    const missing = await sync("missing", {});
    expect(missing.status).toBe(437);
  });

  it("has a private /tmp per instance, kept while a warm instance serves the next invocation; the CFS folder is shared", async () => {
    const [a, b] = await Promise.all([sync("tmp", { value: "first" }), sync("tmp", { value: "second" })]);
    const [va, vb] = [a, b].map((o) => JSON.parse("json" in o ? o.json : "{}"));
    // Two invocations at once need two instances, each with its own /tmp.
    expect([va.before, vb.before]).toEqual([false, false]);
    expect(va.file).not.toBe(vb.file);
    const c = await sync("tmp", { value: "third" });
    const vc = JSON.parse("json" in c ? c.json : "{}");
    expect(vc.before).toBe(true);
    expect([va.file, vb.file]).toContain(vc.file);
    expect(c.initMs).toBeUndefined();
    expect(a.initMs ?? b.initMs).toBeGreaterThan(0);
    expect(readFileSync(join(stateDir, "cfs", "cfs-fake0001", "first.txt"), "utf8")).toBe("first");
    expect(readFileSync(join(stateDir, "cfs", "cfs-fake0001", "second.txt"), "utf8")).toBe("second");
  });

  it("ends with 439 when its process is killed", async () => {
    // Killed once it is running (its log line says so; it then waits for ever), not after a guessed delay.
    const onLog = (rec: InvocationRecord, line: string) => {
      if (rec.functionName === "hanger" && line.includes("hanging")) runtime.inFlight().find((x) => x.record === rec)?.instance.kill();
    };
    runtime.log.on("log", onLog);
    try {
      const r = await runtime.invokeSync({ functionName: "hanger", event: {}, trigger: "invoke-sync" });
      expect(!r.asyncRun && r.outcome.status).toBe(439);
    } finally {
      runtime.log.off("log", onLog);
    }
  });

  it("is in flight when its start event is emitted: killed there, the invocation never runs (439, no side effect)", async () => {
    const onStart = (rec: { requestId: string }) => {
      if (rec.requestId === "req-killed-at-start") runtime.inFlight().find((x) => x.record === rec)?.instance.kill();
    };
    runtime.log.on("start", onStart);
    try {
      const r = await runtime.invokeSync({ functionName: "tmp", event: { value: "never" }, trigger: "invoke-sync", requestId: "req-killed-at-start" });
      expect(!r.asyncRun && r.outcome.status).toBe(439);
    } finally {
      runtime.log.off("start", onStart);
    }
    expect(existsSync(join(stateDir, "cfs", "cfs-fake0001", "never.txt"))).toBe(false);
  });
});

describe("invocation routing", () => {
  it("refuses an unknown function (435) and an unknown qualifier (442)", async () => {
    await expect(runtime.invokeSync({ functionName: "nope", event: {}, trigger: "invoke-sync" })).rejects.toMatchObject({ status: 435 });
    const err = await runtime.invokeSync({ functionName: "echo", qualifier: "prod", event: {}, trigger: "invoke-sync" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FunctionLookupError);
    expect(err).toMatchObject({ status: 442, code: "ResourceNotFound.Qualifier" });
  });

  it("answers a synchronous trigger of an async-run function at once with the request id, and runs it detached", async () => {
    const r = await runtime.invokeSync({ functionName: "asyncrun", event: { ms: 300 }, trigger: "apigw", requestId: "req-async-1" });
    expect(r).toEqual({ requestId: "req-async-1", asyncRun: true });
    const record = runtime.log.records.find((x) => x.requestId === "req-async-1");
    expect(record?.endedAt).toBeUndefined();
    await runtime.idle();
    expect(record?.status).toBe(200);
  });

  it("retries a failed asynchronous invocation up to retry_num times with the same request id", async () => {
    const ok = runtime.invokeAsync({ functionName: "flaky", event: { key: "a", failures: 2 }, trigger: "invoke-event" });
    const never = runtime.invokeAsync({ functionName: "flaky", event: { key: "b", failures: 5 }, trigger: "invoke-event" });
    await runtime.idle();
    const attempts = (id: string) => runtime.log.records.filter((r) => r.requestId === id).map((r) => [r.attempt, r.status]);
    expect(attempts(ok.requestId)).toEqual([[1, 430], [2, 430], [3, 200]]);
    expect(attempts(never.requestId)).toEqual([[1, 430], [2, 430], [3, 430]]);
  });

  it("stop() cancels a retry that is waiting for its delay, and later triggers start no instance", async () => {
    const { deployment, dir } = await fakeDeployment([{ name: "fail", handler: "index.fail", asyncRetries: 2 }]);
    const state = mkdtempSync(join(tmpdir(), "runtime-stop-"));
    try {
      const deployed = await deployFunctions(deployment, state);
      const rt = new ScfRuntime({ deployment, deployed, role, apiEndpoint: () => "127.0.0.1:1", cosIp: () => "127.0.0.1:2", retryDelaysMs: [3_600_000] });
      const { requestId } = rt.invokeAsync({ functionName: "fail", event: {}, trigger: "invoke-event" });
      await new Promise<void>((resolve) => rt.log.on("end", () => resolve()));
      await rt.stop();
      expect(rt.log.records.filter((r) => r.requestId === requestId)).toHaveLength(1);
      const late = await rt.invokeSync({ functionName: "fail", event: {}, trigger: "invoke-sync" });
      expect(!late.asyncRun && late.outcome.status).toBe(500);
      expect(rt.log.records).toHaveLength(1);
    } finally {
      rmSync(state, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
