// API Gateway control plane driven by the real apigateway.v20180808 client in the order the provider's resources
// call it (service → APIs → release → usage plan → binding; then the destroy order), with the documented refusals.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apigateway } from "tencentcloud-sdk-nodejs/tencentcloud/services/apigateway";
import { tag } from "tencentcloud-sdk-nodejs/tencentcloud/services/tag";
import { apigwControlService, releasedRoutes, type ApigwControlService } from "../../../emulator/control-plane/apigw";
import { tagControlService } from "../../../emulator/control-plane/tag";
import { clientOptions, codeOf, harness, REGION, type Harness } from "./services-fixture";

type Client = InstanceType<typeof apigateway.v20180808.Client>;

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

async function start(scfFunctionExists?: (fn: { name: string }) => boolean): Promise<{ c: Client; gw: ApigwControlService; t: InstanceType<typeof tag.v20180813.Client>; close: () => Promise<void> }> {
  const tags = tagControlService({ stateDir: h.stateDir });
  const gw = apigwControlService({ stateDir: h.stateDir, tags, scfFunctionExists });
  const server = await h.start([gw, tags]);
  return { c: new apigateway.v20180808.Client(clientOptions(server, "apigateway")), gw, t: new tag.v20180813.Client(clientOptions(server, "tag")), close: () => server.close() };
}

function scfApi(serviceId: string, method: string, path: string, extra: Record<string, unknown> = {}) {
  return {
    ServiceId: serviceId,
    ApiName: `${method.toLowerCase()}_${path.replace(/[^a-z]/g, "")}`,
    ApiDesc: `${method} ${path}`,
    ApiType: "NORMAL",
    AuthType: "SECRET",
    Protocol: "HTTP",
    EnableCORS: false,
    RequestConfig: { Path: path, Method: method },
    ServiceType: "SCF",
    ServiceTimeout: 10,
    ServiceScfFunctionName: "recorder-api",
    ServiceScfFunctionNamespace: "default",
    ServiceScfFunctionQualifier: "live",
    ServiceScfFunctionType: "EVENT",
    ServiceScfIsIntegratedResponse: true,
    ResponseType: "",
    ...extra,
  };
}

describe("API Gateway control plane with the real SDK", () => {
  it("creates, reads back, releases and binds like the provider, and serves the released snapshot", async () => {
    const { c, gw } = await start();
    const created = await c.CreateService({ ServiceName: "recorder_dev", Protocol: "http&https", ServiceDesc: "TRTC mix recorder", IpVersion: "IPv4", NetTypes: ["OUTER"] });
    const serviceId = created.ServiceId ?? "";
    expect(serviceId).toMatch(/^service-[a-z0-9]{8}$/);
    expect(created.OuterSubDomain).toBe(`${serviceId}-1250000000.gz.apigw.tencentcs.com`);

    const apiId = (await c.CreateApi(scfApi(serviceId, "GET", "/recordings/{id}", { RequestParameters: [{ Name: "id", Position: "PATH", Type: "string", Required: true, Desc: "recording id" }] }))).Result?.ApiId ?? "";
    await c.CreateApi(scfApi(serviceId, "POST", "/record", { ServiceScfFunctionName: "recorder", ServiceScfIsIntegratedResponse: false }));

    const api = (await c.DescribeApi({ ServiceId: serviceId, ApiId: apiId })).Result;
    expect(api).toMatchObject({
      ServiceId: serviceId,
      ApiName: "get_recordingsid",
      AuthType: "SECRET",
      RequestConfig: { Path: "/recordings/{id}", Method: "GET" },
      RequestParameters: [{ Name: "id", Position: "PATH", Type: "string", Required: true, Desc: "recording id", DefaultValue: "" }],
      ServiceType: "SCF",
      ServiceTimeout: 10,
      ServiceScfFunctionQualifier: "live",
      ServiceScfIsIntegratedResponse: true,
      EnableCORS: false,
    });
    const strategies = (await c.DescribeApiEnvironmentStrategy({ ServiceId: serviceId, ApiId: apiId, Limit: 100, Offset: 0 })).Result?.ApiEnvironmentStrategySet;
    expect(strategies?.[0].EnvironmentStrategySet).toEqual([
      { EnvironmentName: "test", Quota: -1 },
      { EnvironmentName: "prepub", Quota: -1 },
      { EnvironmentName: "release", Quota: -1 },
    ]);

    const release = await c.ReleaseService({ ServiceId: serviceId, EnvironmentName: "release", ReleaseDesc: "recorder routes abc" });
    const version = release.Result?.ReleaseVersion ?? "";
    expect(version).toMatch(/^\d{14}$/);
    const described = await c.DescribeService({ ServiceId: serviceId });
    expect(described).toMatchObject({ ServiceName: "recorder_dev", Protocol: "http&https", NetTypes: ["OUTER"], IpVersion: "IPv4", InstanceId: "", UniqVpcId: "", ApiTotalCount: 2, AvailableEnvironments: ["release"] });
    const history = await c.DescribeServiceEnvironmentReleaseHistory({ ServiceId: serviceId, EnvironmentName: "release", Limit: 100, Offset: 0 });
    expect(history.Result?.VersionList).toEqual([expect.objectContaining({ VersionName: version, VersionDesc: "recorder routes abc" })]);

    // A draft change is not served until the next release.
    await c.ModifyApi({ ...scfApi(serviceId, "GET", "/recordings/{id}", { RequestParameters: [{ Name: "id", Position: "PATH", Type: "string", Required: true }] }), ApiId: apiId, ServiceScfFunctionQualifier: "canary" });
    expect(gw.released(serviceId, "release")?.find((a) => a.apiId === apiId)?.fields.ServiceScfFunctionQualifier).toBe("live");
    expect(gw.released(serviceId, "test")).toBeUndefined();
    // What the local ingress serves: the released snapshot, in the shape read-deployment.ts gives a synthesized stack.
    const { routes, warnings } = releasedRoutes(gw.snapshot());
    expect(warnings).toEqual([]);
    expect(routes.find((r) => r.path === "/recordings/{id}")).toEqual({
      address: `apigw:${serviceId}/${apiId}`,
      apiName: "get_recordingsid",
      serviceId,
      stage: "release",
      method: "GET",
      path: "/recordings/{id}",
      authType: "SECRET",
      functionName: "recorder-api",
      namespace: "default",
      qualifier: "live",
      integratedResponse: true,
      timeoutSeconds: 10,
      parameters: [{ name: "id", position: "PATH", required: true }],
    });

    const plan = (await c.CreateUsagePlan({ UsagePlanName: "recorder_dev_clients", UsagePlanDesc: "API keys of recording clients", MaxRequestNum: -1, MaxRequestNumPreSec: 100 })).Result;
    expect(plan).toMatchObject({ UsagePlanName: "recorder_dev_clients", MaxRequestNum: -1, MaxRequestNumPreSec: 100 });
    const planId = plan?.UsagePlanId ?? "";
    await c.BindEnvironment({ ServiceId: serviceId, UsagePlanIds: [planId], Environment: "release", BindType: "SERVICE" });
    const bound = (await c.DescribeServiceUsagePlan({ ServiceId: serviceId, Limit: 100, Offset: 0 })).Result?.ServiceUsagePlanList;
    expect(bound).toEqual([expect.objectContaining({ UsagePlanId: planId, Environment: "release" })]);
    const envs = (await c.DescribeUsagePlanEnvironments({ UsagePlanId: planId, BindType: "SERVICE", Limit: 100, Offset: 0 })).Result?.EnvironmentList;
    expect(envs).toEqual([expect.objectContaining({ ServiceId: serviceId, Environment: "release" })]);
  });

  it("refuses to delete a service with APIs, online environments, bound plans or tags, and a bound usage plan — then destroys in the provider's order", async () => {
    const { c, t } = await start();
    const serviceId = (await c.CreateService({ ServiceName: "svc_a", Protocol: "http", NetTypes: ["OUTER"] })).ServiceId ?? "";
    expect(await codeOf(c.ReleaseService({ ServiceId: serviceId, EnvironmentName: "release", ReleaseDesc: "empty" }))).toBe("FailedOperation.ServiceError");
    const apiId = (await c.CreateApi(scfApi(serviceId, "POST", "/record"))).Result?.ApiId ?? "";
    await c.ReleaseService({ ServiceId: serviceId, EnvironmentName: "release", ReleaseDesc: "v1" });
    const planId = (await c.CreateUsagePlan({ UsagePlanName: "p", MaxRequestNum: -1, MaxRequestNumPreSec: -1 })).Result?.UsagePlanId ?? "";
    await c.BindEnvironment({ ServiceId: serviceId, UsagePlanIds: [planId], Environment: "release", BindType: "SERVICE" });
    const resource = `qcs::apigw:${REGION}:uin/:service/${serviceId}`;
    await t.ModifyResourceTags({ Resource: resource, ReplaceTags: [{ TagKey: "env", TagValue: "dev" }] });

    expect(await codeOf(c.DeleteUsagePlan({ UsagePlanId: planId }))).toBe("UnsupportedOperation.UsagePlanInUse");
    expect(await codeOf(c.DeleteService({ ServiceId: serviceId }))).toBe("UnsupportedOperation.ApiListNotEmpty");

    // Destroy: attachment, plan, release, APIs, then the service (tags removed, all three environments unreleased).
    await c.UnBindEnvironment({ ServiceId: serviceId, UsagePlanIds: [planId], Environment: "release", BindType: "SERVICE" });
    await c.DeleteUsagePlan({ UsagePlanId: planId });
    expect(await codeOf(c.DescribeUsagePlan({ UsagePlanId: planId }))).toBe("ResourceNotFound.InvalidUsagePlan");
    // The provider resets the API's quotas in every environment before DeleteApi.
    for (const env of ["test", "prepub", "release"]) {
      expect((await c.ModifyApiEnvironmentStrategy({ ServiceId: serviceId, Strategy: 5000, EnvironmentName: env, ApiIds: [apiId] })).Result).toBe(true);
    }
    await c.DeleteApi({ ServiceId: serviceId, ApiId: apiId });
    expect(await codeOf(c.DeleteService({ ServiceId: serviceId }))).toBe("UnsupportedOperation.ExistingOnlineEnvironment");
    for (const env of ["test", "release", "prepub"]) expect((await c.UnReleaseService({ ServiceId: serviceId, EnvironmentName: env })).Result).toBe(true);
    expect(await codeOf(c.DeleteService({ ServiceId: serviceId }))).toBe("UnsupportedOperation.TagsNotEmpty");
    await t.ModifyResourceTags({ Resource: resource, DeleteTags: [{ TagKey: "env" }] });
    expect((await c.DeleteService({ ServiceId: serviceId })).Result).toBe(true);
    expect(await codeOf(c.DescribeService({ ServiceId: serviceId }))).toBe("ResourceNotFound.InvalidService");
  });

  it("validates API definitions: undeclared path parameters, duplicate routes, unknown SCF functions", async () => {
    const { c } = await start((fn) => fn.name !== "missing-fn");
    const serviceId = (await c.CreateService({ ServiceName: "svc_b", Protocol: "http", NetTypes: ["OUTER"] })).ServiceId ?? "";
    expect(await codeOf(c.CreateApi(scfApi(serviceId, "GET", "/recordings/{id}")))).toBe("InvalidParameterValue.InvalidRequestParameters");
    await c.CreateApi(scfApi(serviceId, "POST", "/record"));
    expect(await codeOf(c.CreateApi(scfApi(serviceId, "POST", "/record")))).toBe("InvalidParameterValue.InvalidApiRequestConfig");
    expect(await codeOf(c.CreateApi(scfApi(serviceId, "POST", "/other", { ServiceScfFunctionName: "missing-fn" })))).toBe("FailedOperation.ScfError");
    expect(await codeOf(c.CreateApi(scfApi("service-nope0000", "POST", "/x")))).toBe("ResourceNotFound.InvalidService");
    expect(await codeOf(c.CreateApi({ ...scfApi(serviceId, "POST", "/y"), Protocol: undefined as unknown as string }))).toBe("MissingParameter");
    expect(await codeOf(c.CreateApi({ ...scfApi(serviceId, "POST", "/z"), ServiceTimeout: undefined as unknown as number }))).toBe("MissingParameter");
    expect(await codeOf(c.CreateService({ ServiceName: "bad-name", Protocol: "http" }))).toBe("InvalidParameterValue.ParameterValue");
  });

  it("keeps services, APIs, releases and plans across a restart", async () => {
    const first = await start();
    const serviceId = (await first.c.CreateService({ ServiceName: "svc_c", Protocol: "http", NetTypes: ["OUTER"] })).ServiceId ?? "";
    await first.c.CreateApi(scfApi(serviceId, "POST", "/record"));
    await first.c.ReleaseService({ ServiceId: serviceId, EnvironmentName: "release", ReleaseDesc: "v1" });
    await first.close();

    const second = await start();
    expect(await second.c.DescribeService({ ServiceId: serviceId })).toMatchObject({ ApiTotalCount: 1, AvailableEnvironments: ["release"] });
    expect(second.gw.released(serviceId, "release")).toHaveLength(1);
  });
});
