// The SCF API double through the real tencentcloud-sdk-nodejs client (signed, Host scf.tencentcloudapi.com):
// Invoke Event queues with retries and returns the request id, RequestResponse returns RetMsg/ErrMsg, errors
// come back in the API's shape; and timer triggers fire the function with SCF's timer event.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scf } from "tencentcloud-sdk-nodejs/tencentcloud/services/scf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployFunctions } from "../../emulator/scf/deploy";
import { scfService } from "../../emulator/scf/invoke-api";
import { ScfRuntime } from "../../emulator/scf/runtime";
import { startTimers } from "../../local/timer/timer-triggers";
import { tc3AgentFor } from "../../emulator/endpoints";
import { startTc3Server, type Tc3Server } from "../../emulator/tc3";
import { fakeDeployment } from "./support/fake-functions";

const role = { secretId: "AKIDRoleApi", secretKey: "role-api-secret", token: "role-api-token" };
let stateDir: string;
let fakeDir: string;
let runtime: ScfRuntime;
let server: Tc3Server;
let client: InstanceType<typeof scf.v20180416.Client>;

beforeAll(async () => {
  const { deployment, dir } = await fakeDeployment([
    { name: "echo", handler: "index.echo" },
    { name: "fail", handler: "index.fail", asyncRetries: 1 },
  ]);
  fakeDir = dir;
  stateDir = mkdtempSync(join(tmpdir(), "scf-api-test-"));
  const deployed = await deployFunctions(deployment, stateDir);
  runtime = new ScfRuntime({ deployment, deployed, role, apiEndpoint: () => server.hostPort, cosIp: () => "127.0.0.1:2", retryDelaysMs: [20] });
  server = await startTc3Server({ credentials: [role], services: [scfService(() => runtime)] });
  client = new scf.v20180416.Client({
    credential: role,
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: "scf.tencentcloudapi.com", protocol: "http://", agent: tc3AgentFor(server.hostPort) } },
  });
});

afterAll(async () => {
  await server.close();
  await runtime.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(fakeDir, { recursive: true, force: true });
});

describe("Invoke", () => {
  it("RequestResponse returns the function's return value in RetMsg", async () => {
    const out = await client.Invoke({ FunctionName: "echo", Qualifier: "live", ClientContext: JSON.stringify({ a: 1 }) });
    expect(out.Result?.InvokeResult).toBe(0);
    expect(JSON.parse(out.Result?.RetMsg ?? "{}").event).toEqual({ a: 1 });
    expect(out.Result?.FunctionRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("Event returns at once with the request id; the invocation runs with the platform's retries", async () => {
    const out = await client.Invoke({ FunctionName: "fail", InvocationType: "Event", ClientContext: JSON.stringify({ message: "async boom" }) });
    const id = out.Result?.FunctionRequestId;
    expect(out.Result?.RetMsg).toBe("");
    await runtime.idle();
    const attempts = runtime.log.records.filter((r) => r.requestId === id);
    expect(attempts.map((r) => [r.trigger, r.attempt, r.status])).toEqual([["invoke-event", 1, 430], ["invoke-event", 2, 430]]);
  });

  it("a RequestResponse error comes back in ErrMsg; unknown functions and qualifiers are API errors", async () => {
    const failed = await client.Invoke({ FunctionName: "fail", ClientContext: JSON.stringify({ message: "sync boom" }) });
    expect(failed.Result?.InvokeResult).toBe(-1);
    expect(JSON.parse(failed.Result?.ErrMsg ?? "{}")).toMatchObject({ statusCode: 430, errorMessage: "user code exception caught" });
    await expect(client.Invoke({ FunctionName: "nope" })).rejects.toMatchObject({ code: "ResourceNotFound.Function" });
    await expect(client.Invoke({ FunctionName: "echo", Qualifier: "v9" })).rejects.toMatchObject({ code: "ResourceNotFound.Qualifier" });
    await expect(client.Invoke({ FunctionName: "echo", ClientContext: "not json" })).rejects.toMatchObject({ code: "InvalidParameterValue.ClientContext" });
  });

  it("GetFunction describes the deployed function", async () => {
    const fn = await client.GetFunction({ FunctionName: "echo", Qualifier: "live" });
    expect(fn).toMatchObject({ FunctionName: "echo", Handler: "index.echo", Status: "Active", MemorySize: 128, AsyncRunEnable: "FALSE" });
  });
});

describe("timer triggers", () => {
  it("fire the function asynchronously with SCF's timer event, on schedule (sped up) and on demand", async () => {
    const timer = { address: "t", triggerName: "tick", functionName: "echo", namespace: "default", qualifier: "live", cron: "*/1 * * * * * *", customArgument: '{"action":"watchdog"}', enabled: true };
    const fired: string[] = [];
    const timers = startTimers({ timers: [timer], runtime, speed: 4, onFire: (_t, id) => fired.push(id) });
    const manual = timers.fireNow("tick");
    // At least one scheduled firing besides the manual one (every simulated second at 4× speed): waited for, not timed.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (fired.length >= 2) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    timers.stop();
    await runtime.idle();
    expect(fired.length).toBeGreaterThanOrEqual(2);
    const record = runtime.log.records.find((r) => r.requestId === manual);
    expect(record?.trigger).toBe("timer");
    expect(JSON.parse(record?.event ?? "{}")).toMatchObject({ Type: "Timer", TriggerName: "tick", Message: '{"action":"watchdog"}' });
    expect(() => timers.fireNow("nope")).toThrow(/no timer trigger "nope"/);
  });
});
