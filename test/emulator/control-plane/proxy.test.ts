// The real provider reaches the control plane as an HTTP proxy: `POST http://scf.<domain>/` (absolute-form request
// line, Host `scf.<domain>`), signed over that Host with service `scf` (tencentcloud-sdk-go common/client.go). This
// proves such a request is dispatched on the Host's first label and verified, that a wrong signature is refused,
// that the Node SDK's CONNECT-tunnel proxy mode works too, and that the 10 MB body limit applies.
import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { scf } from "tencentcloud-sdk-nodejs/tencentcloud/services/scf";
import { closeAll, codeOf, KEY, startHarness } from "./fixture";

afterEach(closeAll);

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const hmac = (k: string | Buffer, s: string) => createHmac("sha256", k).update(s).digest();

/** Signs like the Go SDK's sendWithSignatureV3: canonical headers content-type and host, service = host's first label. */
function goSdkHeaders(host: string, action: string, version: string, body: string, secretKey = KEY.secretKey) {
  const service = host.split(".")[0];
  const timestamp = Math.floor(Date.now() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = ["POST", "/", "", `content-type:application/json\nhost:${host}\n`, "content-type;host", sha256(body)].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request");
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  return {
    Host: host,
    "Content-Type": "application/json",
    "X-TC-Action": action,
    "X-TC-Version": version,
    "X-TC-Timestamp": String(timestamp),
    "X-TC-Region": "ap-guangzhou",
    "X-TC-Language": "en-US",
    "X-TC-RequestClient": "Terraform-1.83.25",
    Authorization: `TC3-HMAC-SHA256 Credential=${KEY.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
  };
}

function viaProxy(port: number, host: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: { Response: Record<string, unknown> } }> {
  return new Promise((resolve, reject) => {
    // Absolute-form request line, exactly what Go's transport sends to an HTTP proxy for an http:// URL.
    const req = request({ host: "127.0.0.1", port, method: "POST", path: `http://${host}/`, headers: { ...headers, "Content-Length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("control plane as the provider's HTTP proxy", () => {
  it("dispatches POST http://<service>.<domain>/ on the Host's first label and verifies the signature over that Host", async () => {
    const h = await startHarness();
    const body = JSON.stringify({});
    const cam = await viaProxy(h.cp.port, "cam.emulator.local", goSdkHeaders("cam.emulator.local", "GetUserAppId", "2019-01-16", body), body);
    expect(cam.status).toBe(200);
    expect(cam.json.Response).toMatchObject({ AppId: 1250000000, Uin: "100000000001" });
    const list = JSON.stringify({ Namespace: "default" });
    const fns = await viaProxy(h.cp.port, "scf.emulator.local", goSdkHeaders("scf.emulator.local", "ListFunctions", "2018-04-16", list), list);
    expect(fns.json.Response).toMatchObject({ Functions: [], TotalCount: 0 });
    expect(h.cp.calls.map((c) => `${c.service}.${c.action}`)).toEqual(["cam.GetUserAppId", "scf.ListFunctions"]);
  });

  it("refuses a request signed with the wrong key, and answers an unknown service with HTTP 200 + InvalidAction", async () => {
    const h = await startHarness();
    const body = "{}";
    const bad = await viaProxy(h.cp.port, "cam.emulator.local", goSdkHeaders("cam.emulator.local", "GetUserAppId", "2019-01-16", body, "wrong-key"), body);
    expect(bad.status).toBe(200);
    expect((bad.json.Response.Error as { Code: string }).Code).toBe("AuthFailure.SignatureFailure");
    const unknown = await viaProxy(h.cp.port, "cvm.emulator.local", goSdkHeaders("cvm.emulator.local", "DescribeInstances", "2017-03-12", body), body);
    expect(unknown.status).toBe(200);
    expect((unknown.json.Response.Error as { Code: string }).Code).toBe("InvalidAction");
  });

  it("answers RequestSizeLimitExceeded for a signed body over 10 MB (an 8 MB zip inline is ~11 MB of base64)", async () => {
    const h = await startHarness();
    const body = JSON.stringify({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: Buffer.alloc(8 * 1024 * 1024, 1).toString("base64") } });
    const res = await viaProxy(h.cp.port, "scf.emulator.local", goSdkHeaders("scf.emulator.local", "PublishLayerVersion", "2018-04-16", body), body);
    expect((res.json.Response.Error as { Code: string }).Code).toBe("RequestSizeLimitExceeded");
    expect(h.cp.scf.state().layers).toEqual({});
  });

  it("serves the Node SDK through its proxy option (CONNECT tunnel) with a custom domain", async () => {
    const h = await startHarness();
    const client = new scf.v20180416.Client({
      credential: KEY,
      region: "ap-guangzhou",
      profile: { httpProfile: { endpoint: "scf.emulator.local", protocol: "http://", proxy: h.cp.proxyUrl } },
    });
    expect((await client.ListNamespaces({})).Namespaces?.map((n) => n.Name)).toEqual(["default"]);
    expect(await codeOf(client.GetFunction({ FunctionName: "missing" }))).toBe("ResourceNotFound.Function");
  });
});
