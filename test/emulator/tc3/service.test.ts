// Proves the TC3 framework accepts exactly what the real tencentcloud-sdk-nodejs signs and rejects what the real
// gateway rejects. Every client below is the real SDK; raw requests are signed with the SDK's own Sign.sign3.
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { CommonClient } from "tencentcloud-sdk-nodejs/tencentcloud/common/common_client";
import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";
import { FaultInjector } from "../../../emulator/faults";
import { tc3AgentFor } from "../../../emulator/endpoints";
import { startTc3Server, Tc3ApiError, type Tc3Server, type Tc3ServerOptions, type Tc3ServiceDef } from "../../../emulator/tc3/service";

const KEY = { secretId: "AKIDdemo0000000000000000000000000000", secretKey: "demo-secret-key-0000000000000000" };
const TEMP = { secretId: "AKIDtemp0000000000000000000000000000", secretKey: "temp-secret-key-0000000000000000", token: "session-token-abc" };

const demo: Tc3ServiceDef = {
  service: "demo",
  version: "2020-01-01",
  actions: {
    Echo: (params, ctx) => ({ Params: params, Region: ctx.region ?? null, SecretId: ctx.secretId }),
    Refuse: () => {
      throw new Tc3ApiError("FailedOperation.Refused", "refused on purpose");
    },
    Crash: () => {
      throw new Error("boom");
    },
  },
};

let server: Tc3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(extra: Partial<Tc3ServerOptions> = {}): Promise<Tc3Server> {
  server = await startTc3Server({ credentials: [KEY, TEMP], services: [demo], ...extra });
  return server;
}

function client(s: Tc3Server, credential: { secretId: string; secretKey: string; token?: string } = KEY, opts: { version?: string; endpoint?: string; proxy?: boolean } = {}): CommonClient {
  const httpProfile = opts.proxy
    ? { endpoint: opts.endpoint ?? "demo.tencentcloudapi.com", protocol: "http://", proxy: `http://${s.hostPort}` }
    : { endpoint: opts.endpoint ?? "demo.tencentcloudapi.com", protocol: "http://", agent: tc3AgentFor(s.hostPort) };
  return new CommonClient(httpProfile.endpoint, opts.version ?? demo.version, { credential, region: "ap-guangzhou", profile: { httpProfile } });
}

interface SdkError {
  code?: string;
  message: string;
  httpCode?: number;
  requestId?: string;
  traceId?: string;
}
async function rejectionOf(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error("expected the SDK call to fail, it succeeded");
}

/** POST a request signed by the SDK's own Sign.sign3 over `signedBody`, sending `sentBody`. */
function rawCall(s: Tc3Server, o: { signedBody: string; sentBody?: string; timestamp?: number; service?: string; host?: string; secretKey?: string }): Promise<{ status: number; json: { Response: Record<string, unknown> } }> {
  const host = o.host ?? "demo.tencentcloudapi.com";
  const timestamp = o.timestamp ?? Math.round(Date.now() / 1000);
  const authorization = Sign.sign3({
    method: "POST",
    url: `http://${host}/`,
    payload: JSON.parse(o.signedBody),
    timestamp,
    service: o.service ?? "demo",
    secretId: KEY.secretId,
    secretKey: o.secretKey ?? KEY.secretKey,
    multipart: false,
    boundary: "",
    headers: { "Content-Type": "application/json" },
  });
  const body = o.sentBody ?? o.signedBody;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: s.port,
        method: "POST",
        path: "/",
        headers: {
          Host: host,
          "Content-Type": "application/json",
          "X-TC-Action": "Echo",
          "X-TC-Version": demo.version,
          "X-TC-Timestamp": String(timestamp),
          Authorization: authorization,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("tc3 framework accepts the real SDK", () => {
  it("dispatches a signed call to the handler and returns its fields plus RequestId", async () => {
    const s = await start();
    const res = await client(s).request("Echo", { RoomId: 1234, Nested: { A: [1, 2] } });
    expect(res).toMatchObject({ Params: { RoomId: 1234, Nested: { A: [1, 2] } }, Region: "ap-guangzhou", SecretId: KEY.secretId });
    expect(res.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.calls).toEqual([{ service: "demo", action: "Echo", params: { RoomId: 1234, Nested: { A: [1, 2] } }, secretId: KEY.secretId }]);
  });

  it("accepts a temporary credential whose X-TC-Token matches", async () => {
    const s = await start();
    await expect(client(s, TEMP).request("Echo", {})).resolves.toMatchObject({ SecretId: TEMP.secretId });
  });

  it("accepts the SDK's CONNECT proxy form by tunnelling into itself", async () => {
    const s = await start();
    await expect(client(s, KEY, { proxy: true }).request("Echo", { Via: "proxy" })).resolves.toMatchObject({ Params: { Via: "proxy" } });
  });

  it("accepts a raw request whose body is exactly what was signed (control for the tamper test)", async () => {
    const s = await start();
    const r = await rawCall(s, { signedBody: '{"A":1}' });
    expect(r.json.Response.Error).toBeUndefined();
    expect(r.json.Response.Params).toEqual({ A: 1 });
  });

  it("accepts a timestamp 299 s away from its clock", async () => {
    const s = await start({ now: () => Date.now() + 299_000 });
    await expect(client(s).request("Echo", {})).resolves.toBeDefined();
  });
});

describe("tc3 framework rejects what the real gateway rejects, as HTTP 200 Response.Error", () => {
  it("rejects a wrong SecretKey with AuthFailure.SignatureFailure", async () => {
    const s = await start();
    const err = await rejectionOf(client(s, { secretId: KEY.secretId, secretKey: "wrong" }).request("Echo", {}));
    expect(err.code).toBe("AuthFailure.SignatureFailure");
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.calls).toHaveLength(0);
  });

  it("rejects an unknown SecretId with AuthFailure.SecretIdNotFound", async () => {
    const s = await start();
    const err = await rejectionOf(client(s, { secretId: "AKIDnobody", secretKey: KEY.secretKey }).request("Echo", {}));
    expect(err.code).toBe("AuthFailure.SecretIdNotFound");
  });

  it("rejects a body changed after signing", async () => {
    const s = await start();
    const r = await rawCall(s, { signedBody: '{"A":1}', sentBody: '{"A":2}' });
    expect(r.status).toBe(200);
    expect(r.json.Response.Error).toMatchObject({ Code: "AuthFailure.SignatureFailure" });
  });

  it("rejects a timestamp more than 300 s old with AuthFailure.SignatureExpire", async () => {
    const s = await start();
    const r = await rawCall(s, { signedBody: "{}", timestamp: Math.round(Date.now() / 1000) - 301 });
    expect(r.json.Response.Error).toMatchObject({ Code: "AuthFailure.SignatureExpire" });
  });

  it("rejects a real SDK call when the server clock is 301 s ahead", async () => {
    const s = await start({ now: () => Date.now() + 301_000 });
    expect((await rejectionOf(client(s).request("Echo", {}))).code).toBe("AuthFailure.SignatureExpire");
  });

  it("rejects a temporary credential with a wrong or missing token with AuthFailure.TokenFailure", async () => {
    const s = await start();
    expect((await rejectionOf(client(s, { ...TEMP, token: "other-token" }).request("Echo", {}))).code).toBe("AuthFailure.TokenFailure");
    expect((await rejectionOf(client(s, { secretId: TEMP.secretId, secretKey: TEMP.secretKey }).request("Echo", {}))).code).toBe("AuthFailure.TokenFailure");
  });

  it("rejects a signature whose scope names another service than the Host", async () => {
    const s = await start();
    const r = await rawCall(s, { signedBody: "{}", service: "trtc" });
    expect(r.json.Response.Error).toMatchObject({ Code: "AuthFailure.SignatureFailure" });
    expect(String((r.json.Response.Error as { Message: string }).Message)).toContain('"trtc"');
  });

  it("rejects an endpoint that is the double's address (scope service 127) instead of the service name", async () => {
    const s = await start();
    const err = await rejectionOf(new CommonClient(s.hostPort, demo.version, { credential: KEY, region: "ap-guangzhou", profile: { httpProfile: { endpoint: s.hostPort, protocol: "http://" } } }).request("Echo", {}));
    expect(err.code).toBe("InvalidAction");
    expect(err.message).toContain('"127"');
  });

  it("rejects another API version with NoSuchVersion and an unknown action with InvalidAction", async () => {
    const s = await start();
    expect((await rejectionOf(client(s, KEY, { version: "2017-03-12" }).request("Echo", {}))).code).toBe("NoSuchVersion");
    expect((await rejectionOf(client(s).request("DescribeNothing", {}))).code).toBe("InvalidAction");
  });

  it("turns a handler's Tc3ApiError into that error and any other throw into InternalError", async () => {
    const s = await start();
    const refused = await rejectionOf(client(s).request("Refuse", {}));
    expect([refused.code, refused.message]).toEqual(["FailedOperation.Refused", "refused on purpose"]);
    expect((await rejectionOf(client(s).request("Crash", {}))).code).toBe("InternalError");
  });
});

describe("tc3 framework faults", () => {
  it("answers the next matching call with an injected HTTP 500, then recovers", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "Echo", times: 1, fault: { kind: "status", status: 500 } });
    const s = await start({ faults });
    const err = await rejectionOf(client(s).request("Echo", {}));
    expect(err.httpCode).toBe(500);
    await expect(client(s).request("Echo", {})).resolves.toBeDefined();
    expect(faults.applied).toHaveLength(1);
    expect(faults.applied[0].info.action).toBe("Echo");
  });

  it("renders a status-200 fault as an API error code such as RequestLimitExceeded", async () => {
    const faults = new FaultInjector();
    faults.add({ match: /Echo/, times: 1, fault: { kind: "status", status: 200, code: "RequestLimitExceeded" } });
    const s = await start({ faults });
    expect((await rejectionOf(client(s).request("Echo", {}))).code).toBe("RequestLimitExceeded");
  });

  it("resets the connection, which the SDK reports as a network failure", async () => {
    const faults = new FaultInjector();
    faults.add({ match: () => true, times: 1, fault: { kind: "reset" } });
    const s = await start({ faults });
    const err = await rejectionOf(client(s).request("Echo", {}));
    expect(err.code).toBeUndefined();
    expect(err.message).toMatch(/request to http:\/\/demo\.tencentcloudapi\.com\/ failed/);
  });
});
