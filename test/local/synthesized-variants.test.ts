// What runs is what was synthesized: each variant of the local environment is synthesized by the real cdktf app,
// and the local cloud started on it behaves as that variant says — not as the default stack does.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiGatewayApi } from "../../infra/provider/generated";
import { startLocalCloud, type LocalCloud } from "../../local/cloud";
import { signedHeaders } from "../../emulator/ingress/key-pair-auth";
import { synthVariant, type Variant } from "./support/variants";

let variant: Variant | undefined;
let cloud: LocalCloud | undefined;

afterEach(async () => {
  await cloud?.stop();
  variant?.cleanup();
  cloud = undefined;
  variant = undefined;
});

async function start(change: (env: Record<string, unknown>) => Record<string, unknown>, tweak?: Parameters<typeof synthVariant>[1]): Promise<LocalCloud> {
  variant = await synthVariant(change, tweak);
  cloud = await startLocalCloud({ stackDir: variant.stackDir });
  return cloud;
}

/** A request the recorder refuses (no CosConfig.Bucket): it fails fast, leaving a status record behind. */
const INVALID = { SdkAppId: 1400000001, RoomId: 5, UserId: "recorder_1", UserSig: "x", CosConfig: { Region: "ap-guangzhou", Path: "/" }, Mode: "12" };

async function waitForStatus(c: LocalCloud, id: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  for (let i = 0; i < 100; i++) {
    await c.runtime.idle();
    const res = await fetch(`${c.ingressUrl}/recordings/${id}`, { headers });
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status !== 404) return { status: res.status, body };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no status record for ${id}`);
}

describe("synthesized variants of recorder-local", () => {
  it("storage off: no CFS mount, no CFS_PATH, and the state lives in the synthesized COS state bucket", async () => {
    const c = await start((env) => ({ ...env, storage: { enabled: false } }));
    expect(c.deployment.functions.every((f) => f.mounts.length === 0 && f.environment.CFS_PATH === undefined)).toBe(true);
    expect(c.pathMappings.map((m) => m.container)).toEqual(["/opt", "/opt"]);
    const res = await fetch(`${c.ingressUrl}/record`, { method: "POST", body: JSON.stringify(INVALID) });
    const id = res.headers.get("x-scf-reqid") as string;
    const { body } = await waitForStatus(c, id);
    expect(body.status).toBe("FAILED");
    const stateBucket = c.deployment.functions[0].environment.RECORDER_STATE_BUCKET;
    expect(c.cos.listKeys(stateBucket, "recordings/")).toContain(`recordings/${id}.json`);
  });

  it("a different mount dir: CFS_PATH is the synthesized dir, mapped to the file system's local folder, where the state lands", async () => {
    const c = await start((env) => ({ ...env, storage: { enabled: true, mountDir: "/mnt/elsewhere" } }));
    const fn = c.deployment.functions[0];
    expect(fn.environment.CFS_PATH).toBe("/mnt/elsewhere");
    const mapping = c.pathMappings.find((m) => m.container === "/mnt/elsewhere");
    expect(mapping?.host).toBe(join(c.stateDir, "cfs", fn.mounts[0].fsId));
    const res = await fetch(`${c.ingressUrl}/record`, { method: "POST", body: JSON.stringify(INVALID) });
    const id = res.headers.get("x-scf-reqid") as string;
    await waitForStatus(c, id);
    const record = join(mapping?.host ?? "", "recordings", `${id}.json`);
    expect(existsSync(record)).toBe(true);
    expect(JSON.parse(readFileSync(record, "utf8")).status).toBe("FAILED");
  });

  it("auth on: client routes demand a key-pair signature (401 without), /trtc-events stays open to TRTC", async () => {
    const c = await start((env) => ({ ...env, ingress: { kind: "apigw", auth: true } }));
    expect(c.deployment.routes.map((r) => `${r.method} ${r.path} ${r.authType}`).sort()).toEqual([
      "DELETE /recordings/{id} SECRET",
      "GET /recordings/{id} SECRET",
      "POST /record SECRET",
      "POST /trtc-events NONE",
    ]);
    const unsigned = await fetch(`${c.ingressUrl}/record`, { method: "POST", body: JSON.stringify(INVALID) });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ message: "HMAC signature cannot be verified, a validate authorization header is required" });
    const signed = await fetch(`${c.ingressUrl}/record`, { method: "POST", body: JSON.stringify(INVALID), headers: signedHeaders(c.account.apiKey) });
    expect(await signed.text()).toBe("Async run task submitted");
    // TRTC's events reach recorder-api without a gateway key; the function judges the Sign header itself.
    const before = c.runtime.log.records.length;
    const forged = await fetch(`${c.ingressUrl}/trtc-events`, { method: "POST", body: "{}", headers: { Sign: "forged" } });
    expect(await forged.text()).not.toMatch(/HMAC signature/);
    const reached = c.runtime.log.records.slice(before).find((r) => r.functionName.endsWith("-api"));
    expect(JSON.parse(reached?.event ?? "{}").requestContext).toMatchObject({ path: "/trtc-events", identity: {} });
  });

  it("auth off (the local environment as written): the same routes answer without any signature", async () => {
    const c = await start((env) => env);
    expect(c.deployment.routes.every((r) => r.authType === "NONE")).toBe(true);
    const res = await fetch(`${c.ingressUrl}/record`, { method: "POST", body: JSON.stringify(INVALID) });
    expect(await res.text()).toBe("Async run task submitted");
  });

  it("integration response flipped per API: GET /recordings/{id} OFF returns the function's object as an HTTP 200 body", async () => {
    const c = await start(
      (env) => env,
      (stack) => {
        const api = stack.ingress.node.findChild("get-recordings-id") as apiGatewayApi.ApiGatewayApi;
        api.addOverride("service_config_scf_is_integrated_response", false);
        const post = stack.ingress.node.findChild("post-record") as apiGatewayApi.ApiGatewayApi;
        post.addOverride("service_config_scf_is_integrated_response", true);
      },
    );
    const res = await fetch(`${c.ingressUrl}/recordings/no-such-recording`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number; body: string };
    expect(body.statusCode).toBe(404);
    expect(JSON.parse(body.body)).toMatchObject({ error: "NotFound" });
    // An async-run function has no return value to integrate: the gateway still answers with the submission.
    const post = await fetch(`${c.ingressUrl}/record`, { method: "POST", body: JSON.stringify(INVALID) });
    expect(await post.text()).toBe("Async run task submitted");
  });

  it("function-URL ingress: no API Gateway; the URL reaches recorder-api, which refuses a bad request synchronously", async () => {
    const c = await start((env) => ({ ...env, ingress: { kind: "function-url", auth: false, authOptOutReason: "local only" } }));
    expect(c.ingressUrl).toBeUndefined();
    expect(c.functionUrls).toHaveLength(1);
    const before = c.runtime.log.records.length;
    const res = await fetch(`${c.functionUrls[0].url}/record?x=1`, { method: "POST", body: JSON.stringify(INVALID) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "InvalidRequest", errors: [{ field: "CosConfig.Bucket" }] });
    // Tencent's function-URL event: API Gateway's shape without requestContext (docs: SCF "函数 URL 概述", 583/96099).
    const event = JSON.parse(c.runtime.log.records.slice(before).find((r) => r.trigger === "function-url")?.event ?? "{}") as Record<string, unknown>;
    expect(event).toMatchObject({ httpMethod: "POST", path: "/record", queryString: { x: "1" }, body: JSON.stringify(INVALID) });
    expect(Object.keys(event).sort()).toEqual(["body", "headers", "httpMethod", "path", "queryString"]);
  });

  it("function-URL ingress with auth on: recorder-api demands the client API key the operator provisioned", async () => {
    const c = await start((env) => ({ ...env, ingress: { kind: "function-url", auth: true } }));
    expect(c.deployment.functions.every((f) => f.environment.RECORDER_CLIENT_AUTH === "api-key")).toBe(true);
    const url = `${c.functionUrls[0].url}/record`;
    const anonymous = await fetch(url, { method: "POST", body: JSON.stringify(INVALID) });
    expect(anonymous.status).toBe(401);
    const keyed = await fetch(url, { method: "POST", body: JSON.stringify(INVALID), headers: { Authorization: `Bearer ${c.account.clientApiKey}` } });
    expect(keyed.status).toBe(400);
  });
});
