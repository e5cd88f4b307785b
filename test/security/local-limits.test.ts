// Attack: exhaust the local cloud with a burst (200 requests → 251 function processes, gateway 504s, memory that
// grows and stays) or with huge bodies. The local SCF keeps a per-function concurrency quota as SCF does (432 for
// sync triggers, a wait for async ones), refuses oversized events (406), caps what it keeps in memory, and the
// gateway refuses bodies over its limit before buffering them.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApigw } from "../../emulator/ingress/apigw-server";
import { deployFunctions } from "../../emulator/scf/deploy";
import { InvocationLog, MAX_RECORDS } from "../../emulator/scf/invocation-log";
import { RotatingLog } from "../../emulator/scf/rotating-log";
import { ScfRuntime } from "../../emulator/scf/runtime";
import { fakeDeployment } from "../local/support/fake-functions";

let stateDir: string;
let fakeDir: string;
let runtime: ScfRuntime;
const LIMIT = 2;

beforeAll(async () => {
  const { deployment, dir } = await fakeDeployment([
    { name: "sleepy", handler: "index.sleep", timeoutSeconds: 10 },
    { name: "asyncrun", handler: "index.sleep", asyncRun: true },
  ]);
  fakeDir = dir;
  stateDir = mkdtempSync(join(tmpdir(), "limits-test-"));
  const deployed = await deployFunctions(deployment, stateDir);
  runtime = new ScfRuntime({ deployment, deployed, role: { secretId: "AKIDr", secretKey: "k", token: "t" }, apiEndpoint: () => "127.0.0.1:1", cosIp: () => "127.0.0.1:2", maxConcurrentPerFunction: LIMIT });
});

afterAll(async () => {
  await runtime.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(fakeDir, { recursive: true, force: true });
});

describe("the local SCF under a burst", () => {
  it("answers a synchronous invocation over the quota with SCF's 432 ResourceLimitReached, at once", async () => {
    const busy = [0, 1].map(() => runtime.invokeSync({ functionName: "sleepy", event: { ms: 300 }, trigger: "invoke-sync" }));
    const over = await runtime.invokeSync({ functionName: "sleepy", event: { ms: 300 }, trigger: "apigw" });
    expect(over.asyncRun).toBe(false);
    expect(!over.asyncRun && over.outcome).toMatchObject({ status: 432, error: { statusCode: 432, errorMessage: expect.stringContaining("ResourceLimitReached") } });
    for (const r of await Promise.all(busy)) expect(!r.asyncRun && r.outcome.status).toBe(200);
  });

  it("runs an asynchronous burst with never more instances at once than the quota, and loses none", async () => {
    let running = 0;
    let peak = 0;
    const onStart = (r: { functionName: string }) => {
      if (r.functionName !== "asyncrun") return;
      running++;
      peak = Math.max(peak, running);
    };
    const onEnd = (r: { functionName: string; status?: number }) => {
      if (r.functionName === "asyncrun" && r.status !== 432) running--;
    };
    runtime.log.on("start", onStart);
    runtime.log.on("end", onEnd);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await runtime.invokeSync({ functionName: "asyncrun", event: { ms: 20 }, trigger: "apigw" })).requestId);
    await runtime.idle();
    runtime.log.off("start", onStart);
    runtime.log.off("end", onEnd);
    expect(peak).toBeLessThanOrEqual(LIMIT);
    const done = runtime.log.of("asyncrun").filter((r) => ids.includes(r.requestId) && r.status === 200);
    expect(done).toHaveLength(12);
  });

  it("refuses an event over SCF's limit with 406 (128 KB for an async-run function) and runs nothing", async () => {
    const before = runtime.log.of("asyncrun").length;
    const r = await runtime.invokeSync({ functionName: "asyncrun", event: { body: "x".repeat(200 * 1024) }, trigger: "apigw" });
    expect(!r.asyncRun && r.outcome).toMatchObject({ status: 406, error: { errorMessage: expect.stringContaining("RequestTooLarge") } });
    expect(runtime.log.of("asyncrun")).toHaveLength(before);
  });

  it("keeps a bounded invocation log: old records dropped, huge events and log lines shortened", () => {
    const log = new InvocationLog();
    const held = log.records;
    for (let i = 0; i < MAX_RECORDS + 50; i++) {
      const r = log.begin({ requestId: `r${i}`, functionName: "f", namespace: "default", qualifier: "$LATEST", trigger: "apigw", attempt: 1, event: "e".repeat(i === MAX_RECORDS + 49 ? 1_000_000 : 10), startedAt: 0, logs: [] });
      log.line(r, "l".repeat(100_000));
    }
    expect(held).toBe(log.records);
    expect(log.records).toHaveLength(MAX_RECORDS);
    expect(log.records[0].requestId).toBe("r50");
    const last = log.records[MAX_RECORDS - 1];
    expect(last.event.length).toBeLessThan(20_000);
    expect(last.logs[0].length).toBeLessThan(20_000);
  });
});

describe("the local API Gateway", () => {
  it("refuses a body over its limit with 413 before reading it whole", async () => {
    const gw = await startApigw({ routes: [], runtime, maxBodyBytes: 64 * 1024 });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${gw.baseUrl("release")}/record`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(Buffer.alloc(10 * 1024 * 1024, 0x61));
      });
      expect(status).toBe(413);
    } finally {
      await gw.close();
    }
  });
});

describe("the function log files", () => {
  it("rotate past their size cap, keeping one previous file", () => {
    const dir = mkdtempSync(join(tmpdir(), "rotating-log-"));
    try {
      const log = new RotatingLog(join(dir, "f.log"), 1000);
      for (let i = 0; i < 100; i++) log.append(`${"x".repeat(99)}\n`);
      expect(readdirSync(dir).sort()).toEqual(["f.log", "f.log.1"]);
      for (const f of ["f.log", "f.log.1"]) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
