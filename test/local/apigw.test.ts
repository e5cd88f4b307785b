// The local API Gateway over fake functions: the event it builds (apigw.md §4), the two integration-response modes,
// async-run answers, its own errors (no matching API, key-pair auth, backend timeout).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApigw, type ApigwServer } from "../../emulator/ingress/apigw-server";
import { signedHeaders } from "../../emulator/ingress/key-pair-auth";
import { deployFunctions } from "../../emulator/scf/deploy";
import { ScfRuntime } from "../../emulator/scf/runtime";
import type { LocalRoute } from "../../emulator/deployment";
import { fakeDeployment } from "./support/fake-functions";

let stateDir: string;
let fakeDir: string;
let runtime: ScfRuntime;
let gw: ApigwServer;
const key = { secretId: "AKIDApigwTest", secretKey: "apigw-test-secret" };

function route(method: string, path: string, functionName: string, extra: Partial<LocalRoute> = {}): LocalRoute {
  return {
    address: `tencentcloud_api_gateway_api.${functionName}`,
    apiName: functionName,
    serviceId: "service-test0001",
    stage: "release",
    method,
    path,
    authType: "NONE",
    functionName,
    namespace: "default",
    qualifier: "live",
    integratedResponse: false,
    timeoutSeconds: 10,
    parameters: [],
    ...extra,
  };
}

beforeAll(async () => {
  const { deployment, dir } = await fakeDeployment([
    { name: "echo", handler: "index.echo" },
    { name: "integrated", handler: "index.integrated" },
    { name: "fail", handler: "index.fail" },
    { name: "slow", handler: "index.sleep", timeoutSeconds: 5 },
    { name: "timeout", handler: "index.sleep", timeoutSeconds: 1 },
    { name: "asyncrun", handler: "index.sleep", asyncRun: true },
  ]);
  fakeDir = dir;
  stateDir = mkdtempSync(join(tmpdir(), "apigw-test-"));
  const deployed = await deployFunctions(deployment, stateDir);
  runtime = new ScfRuntime({ deployment, deployed, role: { secretId: "AKIDRole", secretKey: "k", token: "t" }, apiEndpoint: () => "127.0.0.1:1", cosIp: () => "127.0.0.1:2" });
  gw = await startApigw({
    runtime,
    apiKeys: [key],
    routes: [
      route("POST", "/things/{id}", "echo", { parameters: [{ name: "id", position: "PATH", required: true }, { name: "q", position: "QUERY", required: false }] }),
      route("GET", "/items/{id}", "integrated", { integratedResponse: true }),
      route("POST", "/items/{id}", "integrated", { integratedResponse: true }),
      route("POST", "/off/fail", "fail"),
      route("POST", "/on/fail", "fail", { integratedResponse: true }),
      route("POST", "/slow", "slow", { timeoutSeconds: 1 }),
      route("POST", "/timeout", "timeout", { timeoutSeconds: 10 }),
      route("POST", "/record", "asyncrun"),
      route("GET", "/secret", "integrated", { authType: "SECRET", integratedResponse: true }),
    ],
  });
});

afterAll(async () => {
  await gw.close();
  await runtime.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(fakeDir, { recursive: true, force: true });
});

describe("the event a function receives", () => {
  it("has lower-cased headers, the body as a string, the configured path/method in requestContext and declared parameters only", async () => {
    const res = await fetch(`${gw.baseUrl()}/things/a%20b?q=1&x=2&x=3&flag`, { method: "POST", headers: { "X-Custom": "Yes", "Content-Type": "application/json" }, body: '{"k":1}' });
    expect(res.status).toBe(200);
    const { event } = (await res.json()) as { event: Record<string, unknown> };
    expect(event.httpMethod).toBe("POST");
    expect(event.path).toBe("/things/a%20b");
    expect(event.body).toBe('{"k":1}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({ path: "/things/{id}", httpMethod: "POST", stage: "release", serviceId: "service-test0001", identity: {} });
    expect(event.headers).toMatchObject({ "x-custom": "Yes", "content-type": "application/json", "x-anonymous-consumer": "true", "x-qualifier": "live" });
    expect(event.pathParameters).toEqual({ id: "a b" });
    expect(event.queryStringParameters).toEqual({ q: "1" });
    expect(event.queryString).toEqual({ q: "1", x: ["2", "3"], flag: true });
  });
});

describe("integration response", () => {
  it("OFF: HTTP 200 whose body is the function's return value as JSON — even a thrown error, as SCF's error object", async () => {
    const ok = await fetch(`${gw.baseUrl()}/things/1`, { method: "POST" });
    expect(ok.headers.get("content-type")).toBe("application/json");
    const failed = await fetch(`${gw.baseUrl()}/off/fail`, { method: "POST", body: JSON.stringify({ message: "nope" }) });
    expect(failed.status).toBe(200);
    expect(await failed.json()).toMatchObject({ errorCode: -1, errorMessage: "user code exception caught", statusCode: 430 });
  });

  it("ON: the HTTP answer the function describes, and 403 'Invalid scf response' when it describes none", async () => {
    const res = await fetch(`${gw.baseUrl()}/items/7`);
    expect(res.status).toBe(201);
    expect(res.headers.get("x-test")).toBe("yes");
    expect(await res.json()).toMatchObject({ path: "/items/7" });
    const bad = await fetch(`${gw.baseUrl()}/items/7`, { method: "POST", body: JSON.stringify({ reply: { hello: "not an integrated response" } }) });
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { errorMessage: string }).errorMessage).toMatch(/^Invalid scf response\. expected scf response valid JSON\./);
    const b64 = await fetch(`${gw.baseUrl()}/items/7`, { method: "POST", body: JSON.stringify({ reply: { statusCode: 200, headers: {}, body: Buffer.from("raw bytes").toString("base64"), isBase64Encoded: true } }) });
    expect(await b64.text()).toBe("raw bytes");
  });

  it("an async-run function is answered at once with 'Async run task submitted' and x-scf-reqid, the request id the function sees", async () => {
    const res = await fetch(`${gw.baseUrl()}/record`, { method: "POST", body: JSON.stringify({ ms: 200 }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("Async run task submitted");
    const reqId = res.headers.get("x-scf-reqid");
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    await runtime.idle();
    expect(runtime.log.records.find((r) => r.requestId === reqId)).toMatchObject({ functionName: "asyncrun", status: 200, trigger: "apigw" });
  });
});

describe("the gateway's own answers", () => {
  it("404 with the gateway's message when no released API matches (wrong path, wrong method, wrong stage)", async () => {
    for (const [method, path] of [["GET", "/release/nope"], ["GET", "/release/record"], ["POST", "/test/record"]]) {
      const res = await fetch(`${gw.baseUrl().replace(/\/release$/, "")}${path}`, { method });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { message: string }).message).toMatch(/^There is no api match uri\[/);
    }
  });

  it("504 when the function outlives service_config_timeout; 200 with SCF's timeout error when the function times out first", async () => {
    const slow = await fetch(`${gw.baseUrl()}/slow`, { method: "POST", body: JSON.stringify({ ms: 3000 }) });
    expect(slow.status).toBe(504);
    const timeout = await fetch(`${gw.baseUrl()}/timeout`, { method: "POST", body: JSON.stringify({ ms: 3000 }) });
    expect(timeout.status).toBe(200);
    expect(await timeout.json()).toMatchObject({ statusCode: 433, errorMessage: "Task timed out after 1 seconds" });
  });

  it("SECRET routes: 401 without Authorization, 403 with a wrong signature, the function's answer with a valid key-pair signature", async () => {
    const none = await fetch(`${gw.baseUrl()}/secret`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: "HMAC signature cannot be verified, a validate authorization header is required" });
    const forged = await fetch(`${gw.baseUrl()}/secret`, { headers: signedHeaders({ secretId: key.secretId, secretKey: "wrong" }) });
    expect(forged.status).toBe(403);
    const signed = await fetch(`${gw.baseUrl()}/secret`, { headers: signedHeaders(key) });
    expect(signed.status).toBe(201);
    const body = (await signed.json()) as { requestContext: { identity: unknown }; headers: Record<string, string> };
    expect(body.requestContext.identity).toEqual({ secretId: key.secretId });
    expect(body.headers["x-anonymous-consumer"]).toBe("false");
  });
});
