// The KMS, API Gateway, CLS and Monitor factories join the control plane by discovery (emulator/control-plane/compose.ts)
// and COS buckets by the cosRoute Host route, on one port: what the provider reaches through HTTP_PROXY. One call per
// service proves each is composed with the shared context (state folder, tag store, SCF lookup for API Gateway).
import { afterEach, describe, expect, it } from "vitest";
import COS from "cos-nodejs-sdk-v5";
import { apigateway } from "tencentcloud-sdk-nodejs/tencentcloud/services/apigateway";
import { cls } from "tencentcloud-sdk-nodejs/tencentcloud/services/cls";
import { kms } from "tencentcloud-sdk-nodejs/tencentcloud/services/kms";
import { monitor } from "tencentcloud-sdk-nodejs/tencentcloud/services/monitor";
import { cosRoute } from "../../../emulator/cos/route";
import { cosOptionsFor, tc3AgentFor } from "../../../emulator/endpoints";
import { startControlPlane, type ControlPlane } from "../../../emulator/control-plane/server";
import { codeOf, harness, KEY, type Harness } from "./services-fixture";

let h: Harness | undefined;
let cp: ControlPlane | undefined;
afterEach(async () => {
  await cp?.close();
  await h?.close();
  cp = undefined;
  h = undefined;
});

function opts(host: string, c: ControlPlane) {
  return { credential: KEY, region: "ap-guangzhou", profile: { httpProfile: { endpoint: host, protocol: "http://", agent: tc3AgentFor(c.hostPort) } } };
}

describe("apigw, kms, cls, monitor and COS buckets in the composed control plane", () => {
  it("answers each service on the control plane's port", async () => {
    h = harness();
    const route = cosRoute({ credentials: [KEY], stateDir: h.stateDir, appId: "1250000000" });
    cp = await startControlPlane({ stateDir: h.stateDir, credentials: [KEY], routes: [route] });
    expect(cp.services.map((s) => s.service)).toEqual(expect.arrayContaining(["kms", "apigateway", "cls", "monitor", "tag"]));

    const k = new kms.v20190118.Client(opts("kms.tencentcloudapi.com", cp));
    const keyId = (await k.CreateKey({ Alias: "composed" })).KeyId ?? "";
    expect((await k.DescribeKey({ KeyId: keyId })).KeyMetadata?.KeyState).toBe("Enabled");

    // API Gateway consults the SCF emulator: an API on a function that does not exist is refused.
    const gw = new apigateway.v20180808.Client(opts("apigateway.tencentcloudapi.com", cp));
    const serviceId = (await gw.CreateService({ ServiceName: "composed", Protocol: "http", NetTypes: ["OUTER"] })).ServiceId ?? "";
    const api = { ServiceId: serviceId, ApiName: "a", Protocol: "HTTP", RequestConfig: { Path: "/a", Method: "GET" }, ServiceType: "SCF", ServiceTimeout: 5, ServiceScfFunctionName: "nope", ServiceScfFunctionNamespace: "default", ServiceScfFunctionQualifier: "$LATEST" };
    expect(await codeOf(gw.CreateApi(api))).toBe("FailedOperation.ScfError");

    const c = new cls.v20201016.Client(opts("cls.tencentcloudapi.com", cp));
    expect((await c.CreateLogset({ LogsetName: "composed" })).LogsetId).toBeTruthy();

    const m = new monitor.v20180724.Client(opts("monitor.tencentcloudapi.com", cp));
    expect(await codeOf(m.CreateAlarmPolicy({ Module: "monitor", PolicyName: "p", MonitorType: "MT_QCE", Namespace: "scf_v2", Condition: { IsUnionRule: 0, Rules: [{ MetricName: "Error" }] }, Filter: { Type: "dimensions", Dimensions: "[]" } }))).toBe("InvalidParameter");

    const cos = new COS({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, ...cosOptionsFor(cp.hostPort) });
    await cos.putBucket({ Bucket: "composed-1250000000", Region: "ap-guangzhou" });
    expect((await cos.headBucket({ Bucket: "composed-1250000000", Region: "ap-guangzhou" })).statusCode).toBe(200);
  });
});
