// API Gateway 2018-08-08: the actions tencentcloud_api_gateway_service, _api, _service_release, _usage_plan and
// _usage_plan_attachment call (provider v1.83.25, services/apigateway/), with the documented errors where the real
// service raises them: deleting a service that still has APIs, online environments, bound usage plans or tags;
// deleting a bound usage plan; binding to unknown services/APIs/plans. Releases snapshot the APIs, so what an
// environment serves is what was released, not the latest draft (see released()).
import { randomBytes } from "node:crypto";
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { persistedState } from "../persisted-state";
import { invalid, missing, oneOf, optBool, optInt, optObject, optObjectArray, optString, optStringArray, reqString } from "../request-params";
import { tagResourceName, type TagControlService } from "../tag";
import { ENVIRONMENTS, type ApiRecord, type ApigwState, type EnvironmentName, type ReleaseRecord, type ServiceRecord, type UsagePlanRecord } from "./model";
import type { Tc3ServiceDef } from "../../tc3/types";

export type { ApiRecord, ApigwState, EnvironmentName, ReleaseRecord, ServiceRecord, UsagePlanRecord } from "./model";

export interface ApigwControlOptions {
  stateDir?: string;
  /** Where service tags live (DeleteService refuses a tagged service: UnsupportedOperation.TagsNotEmpty). */
  tags?: TagControlService;
  /** The account's APPID, part of the service domains. @default "1250000000" */
  appId?: string;
  /**
   * Whether an SCF function (and qualifier) exists, for CreateApi/ModifyApi with ServiceType SCF. The real gateway
   * checks and answers FailedOperation.ScfError; without this hook every function is assumed to exist.
   */
  scfFunctionExists?: (fn: { region: string; namespace: string; name: string; qualifier: string }) => boolean;
  now?: () => number;
}

export interface ApigwControlService extends Tc3ServiceDef {
  /** The APIs an environment of a service serves (its online release), or undefined when it is not released. */
  released(serviceId: string, environment: EnvironmentName): ApiRecord[] | undefined;
  /** The whole account document (services, APIs, releases, usage plans), for the local cloud's data plane. */
  snapshot(): ApigwState;
}

const REGION_SHORT: Record<string, string> = { "ap-guangzhou": "gz", "ap-shanghai": "sh", "ap-beijing": "bj", "ap-chengdu": "cd", "ap-chongqing": "cq", "ap-nanjing": "nj", "ap-hongkong": "hk", "ap-singapore": "sg" };
const PROTOCOLS = ["http", "https", "http&https"] as const;
const NET_TYPES = ["INNER", "OUTER"] as const;
const API_PROTOCOLS = ["HTTP", "HTTPS", "WEBSOCKET"] as const;
const AUTH_TYPES = ["NONE", "SECRET", "OAUTH", "APP", "EIAM"] as const;
const SERVICE_TYPES = ["HTTP", "SCF", "MOCK", "TSF", "WEBSOCKET", "COS", "TARGET", "UPSTREAM"] as const;
const METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "ANY", "PATCH", "OPTIONS"] as const;

function id(prefix: string): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return `${prefix}${[...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "20261207143000": the release version format (Beijing time, to the second). */
function versionName(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function env(p: Record<string, unknown>, name: string): EnvironmentName {
  return oneOf(name, reqString(p, name), ENVIRONMENTS, "InvalidParameterValue.NotInOptions");
}

export function apigwControlService(opts: ApigwControlOptions = {}): ApigwControlService {
  const now = opts.now ?? Date.now;
  const appId = opts.appId ?? "1250000000";
  const state = persistedState<ApigwState>(opts.stateDir, "apigw", () => ({ services: {}, usagePlans: {} }));
  const data = state.data;
  const save = () => state.save();

  const service = (p: Record<string, unknown>): ServiceRecord => {
    const serviceId = reqString(p, "ServiceId");
    const s = Object.hasOwn(data.services, serviceId) ? data.services[serviceId] : undefined;
    if (!s) throw new Tc3ApiError("ResourceNotFound.InvalidService", `Service ${serviceId} does not exist`);
    return s;
  };
  const api = (s: ServiceRecord, apiId: string): ApiRecord => {
    const a = s.apis.find((x) => x.apiId === apiId);
    if (!a) throw new Tc3ApiError("ResourceNotFound.InvalidApi", `API ${apiId} does not exist in service ${s.serviceId}`);
    return a;
  };
  const plan = (p: Record<string, unknown>): UsagePlanRecord => {
    const usagePlanId = reqString(p, "UsagePlanId");
    const u = Object.hasOwn(data.usagePlans, usagePlanId) ? data.usagePlans[usagePlanId] : undefined;
    if (!u) throw new Tc3ApiError("ResourceNotFound.InvalidUsagePlan", `Usage plan ${usagePlanId} does not exist`);
    return u;
  };
  const domain = (s: ServiceRecord, kind: "outer" | "inner") =>
    kind === "outer" ? `${s.serviceId}-${appId}.${REGION_SHORT[s.region] ?? s.region}.apigw.tencentcs.com` : `${s.serviceId}-${appId}.${REGION_SHORT[s.region] ?? s.region}.apigateway.tencentyun.com`;
  const plansOf = (serviceId: string) => Object.values(data.usagePlans).filter((u) => u.bindings.some((b) => b.serviceId === serviceId));

  /** Checks CreateApi/ModifyApi fields the way the gateway does and returns what DescribeApi answers back. */
  /** `previous` is the API being modified: ModifyApi needs neither Protocol nor ServiceTimeout (SDK models), they stay. */
  const apiFields = (p: Record<string, unknown>, s: ServiceRecord, region: string, previous?: ApiRecord): Record<string, unknown> => {
    const except = previous?.apiId;
    const apiName = optString(p, "ApiName") ?? (previous?.fields.ApiName as string | undefined) ?? "";
    const requestConfig = optObject(p, "RequestConfig");
    if (!requestConfig) throw missing("RequestConfig");
    const path = typeof requestConfig.Path === "string" ? requestConfig.Path : "";
    const method = String(requestConfig.Method ?? "GET").toUpperCase();
    if (!path.startsWith("/")) throw invalid("RequestConfig.Path", 'a path starting with "/"', path, "InvalidParameterValue.InvalidApiRequestConfig");
    oneOf("RequestConfig.Method", method, METHODS, "InvalidParameterValue.InvalidApiRequestConfig");
    const clash = s.apis.find((a) => a.apiId !== except && (a.fields.RequestConfig as { Path: string; Method: string }).Path === path && (a.fields.RequestConfig as { Method: string }).Method === method);
    if (clash) throw new Tc3ApiError("InvalidParameterValue.InvalidApiRequestConfig", `${method} ${path} is already defined by API ${clash.apiId} in service ${s.serviceId}`);
    const parameters = optObjectArray(p, "RequestParameters") ?? [];
    for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
      if (!parameters.some((q) => q.Name === name && String(q.Position ?? "").toUpperCase() === "PATH")) {
        throw new Tc3ApiError("InvalidParameterValue.InvalidRequestParameters", `path parameter {${name}} of ${path} must be declared in RequestParameters with Position PATH`);
      }
    }
    const protocol = oneOf("Protocol", previous ? (optString(p, "Protocol") ?? String(previous.fields.Protocol)) : reqString(p, "Protocol"), API_PROTOCOLS, "InvalidParameterValue.NotInOptions");
    oneOf("AuthType", optString(p, "AuthType") ?? "NONE", AUTH_TYPES, "InvalidParameterValue.NotInOptions");
    const serviceType = oneOf("ServiceType", reqString(p, "ServiceType"), SERVICE_TYPES, "InvalidParameterValue.NotInOptions");
    const timeout = optInt(p, "ServiceTimeout") ?? (previous?.fields.ServiceTimeout as number | undefined);
    if (timeout === undefined) throw missing("ServiceTimeout");
    if (timeout < 1 || timeout > 1800) throw invalid("ServiceTimeout", "1..1800 seconds", timeout, "InvalidParameterValue");
    if (serviceType === "SCF") {
      const fn = { region, name: reqString(p, "ServiceScfFunctionName"), namespace: reqString(p, "ServiceScfFunctionNamespace"), qualifier: reqString(p, "ServiceScfFunctionQualifier") };
      if (opts.scfFunctionExists && !opts.scfFunctionExists(fn)) {
        throw new Tc3ApiError("FailedOperation.ScfError", `SCF function ${fn.namespace}/${fn.name} (qualifier ${fn.qualifier}) does not exist in ${region}`);
      }
    }
    optBool(p, "EnableCORS");
    return {
      ApiName: apiName,
      ApiDesc: optString(p, "ApiDesc") ?? "",
      ApiType: optString(p, "ApiType") ?? "NORMAL",
      Protocol: protocol,
      AuthType: optString(p, "AuthType") ?? "NONE",
      EnableCORS: optBool(p, "EnableCORS") ?? false,
      RequestConfig: { Path: path, Method: method },
      RequestParameters: parameters.map((q) => ({ Name: q.Name, Desc: q.Desc ?? "", Position: q.Position, Type: q.Type ?? "string", DefaultValue: q.DefaultValue ?? "", Required: q.Required ?? false })),
      ConstantParameters: optObjectArray(p, "ConstantParameters") ?? [],
      ServiceParameters: optObjectArray(p, "ServiceParameters") ?? [],
      ServiceType: serviceType,
      ServiceTimeout: timeout,
      ServiceConfig: optObject(p, "ServiceConfig") ?? null,
      ServiceMockReturnMessage: optString(p, "ServiceMockReturnMessage") ?? "",
      ServiceScfFunctionName: optString(p, "ServiceScfFunctionName") ?? "",
      ServiceScfFunctionNamespace: optString(p, "ServiceScfFunctionNamespace") ?? "",
      ServiceScfFunctionQualifier: optString(p, "ServiceScfFunctionQualifier") ?? "",
      ServiceScfFunctionType: optString(p, "ServiceScfFunctionType") ?? "",
      ServiceScfIsIntegratedResponse: optBool(p, "ServiceScfIsIntegratedResponse") ?? false,
      ResponseType: optString(p, "ResponseType") ?? "",
      ResponseSuccessExample: optString(p, "ResponseSuccessExample") ?? "",
      ResponseFailExample: optString(p, "ResponseFailExample") ?? "",
      ResponseErrorCodes: optObjectArray(p, "ResponseErrorCodes") ?? [],
      IsDebugAfterCharge: optBool(p, "IsDebugAfterCharge") ?? false,
      ApiBusinessType: optString(p, "ApiBusinessType") ?? "",
      AuthRelationApiId: optString(p, "AuthRelationApiId") ?? "",
      IsBase64Encoded: false,
    };
  };

  const usagePlanInfo = (u: UsagePlanRecord) => ({
    UsagePlanId: u.usagePlanId,
    UsagePlanName: u.usagePlanName,
    UsagePlanDesc: u.usagePlanDesc,
    MaxRequestNumPreSec: u.maxRequestNumPreSec,
    MaxRequestNum: u.maxRequestNum,
    CreatedTime: u.createdTime,
    ModifiedTime: u.modifiedTime,
    BindSecretIdTotalCount: 0,
    BindSecretIds: [],
    BindEnvironmentTotalCount: u.bindings.length,
    BindEnvironments: u.bindings.map((b) => ({ EnvironmentName: b.environment, ServiceId: b.serviceId })),
    Tags: [],
  });

  const usagePlanCommon = (p: Record<string, unknown>) => {
    const maxRequestNum = optInt(p, "MaxRequestNum") ?? -1;
    const maxRequestNumPreSec = optInt(p, "MaxRequestNumPreSec") ?? -1;
    if (maxRequestNum !== -1 && (maxRequestNum < 1 || maxRequestNum > 99_999_999)) throw invalid("MaxRequestNum", "-1 (unlimited) or 1..99999999", maxRequestNum, "InvalidParameterValue.InvalidMaxRequestNum");
    if (maxRequestNumPreSec !== -1 && (maxRequestNumPreSec < 1 || maxRequestNumPreSec > 2000)) throw invalid("MaxRequestNumPreSec", "-1 (unlimited) or 1..2000", maxRequestNumPreSec, "InvalidParameterValue.InvalidMaxRequestNum");
    return { usagePlanName: reqString(p, "UsagePlanName"), usagePlanDesc: optString(p, "UsagePlanDesc") ?? "", maxRequestNum, maxRequestNumPreSec };
  };

  const bindingRows = (serviceId: string, bindType: "SERVICE" | "API") =>
    Object.values(data.usagePlans).flatMap((u) =>
      u.bindings
        .filter((b) => b.serviceId === serviceId && b.bindType === bindType)
        .map((b) => {
          const s = data.services[serviceId];
          const a = b.apiId ? s?.apis.find((x) => x.apiId === b.apiId) : undefined;
          const rc = a?.fields.RequestConfig as { Path?: string; Method?: string } | undefined;
          return {
            ServiceId: serviceId,
            ServiceName: s?.serviceName ?? "",
            ApiId: b.apiId ?? "",
            ApiName: (a?.fields.ApiName as string | undefined) ?? "",
            Path: rc?.Path ?? "",
            Method: rc?.Method ?? "",
            UsagePlanId: u.usagePlanId,
            UsagePlanName: u.usagePlanName,
            UsagePlanDesc: u.usagePlanDesc,
            Environment: b.environment,
            InUseRequestNum: 0,
            MaxRequestNum: u.maxRequestNum,
            MaxRequestNumPreSec: u.maxRequestNumPreSec,
            CreatedTime: b.createdTime,
            ModifiedTime: u.modifiedTime,
          };
        }),
    );

  const paged = <T>(items: T[], p: Record<string, unknown>) => {
    const offset = optInt(p, "Offset") ?? 0;
    const limit = optInt(p, "Limit") ?? 20;
    return items.slice(offset, offset + limit);
  };

  const bindChange = (p: Record<string, unknown>, bind: boolean) => {
    const s = service(p);
    const environment = env(p, "Environment");
    const bindType = oneOf("BindType", reqString(p, "BindType"), ["SERVICE", "API"] as const, "InvalidParameterValue.NotInOptions");
    const planIds = optStringArray(p, "UsagePlanIds");
    if (!planIds || planIds.length === 0) throw missing("UsagePlanIds");
    const apiIds = bindType === "API" ? (optStringArray(p, "ApiIds") ?? []) : [undefined];
    if (bindType === "API" && apiIds.length === 0) throw new Tc3ApiError("InvalidParameterValue.InvalidApiIds", "ApiIds is required when BindType is API");
    for (const apiId of apiIds) if (apiId) api(s, apiId);
    const plans = planIds.map((usagePlanId) => plan({ UsagePlanId: usagePlanId }));
    for (const u of plans) {
      for (const apiId of apiIds) {
        const same = (b: UsagePlanRecord["bindings"][number]) => b.serviceId === s.serviceId && b.environment === environment && b.bindType === bindType && b.apiId === apiId;
        if (bind) {
          if (u.bindings.some((b) => b.serviceId === s.serviceId && b.environment === environment && b.bindType !== bindType)) {
            throw new Tc3ApiError("UnsupportedOperation.UnsupportedBindEnvironment", `usage plan ${u.usagePlanId} is already bound to ${s.serviceId}/${environment} with another BindType`);
          }
          if (!u.bindings.some(same)) u.bindings.push({ serviceId: s.serviceId, environment, bindType, apiId, createdTime: iso(now()) });
        } else {
          if (!u.bindings.some(same)) {
            throw new Tc3ApiError("UnsupportedOperation.UnsupportedUnBindEnvironment", `usage plan ${u.usagePlanId} is not bound to ${s.serviceId}/${environment}${apiId ? `/${apiId}` : ""}`);
          }
          u.bindings = u.bindings.filter((b) => !same(b));
        }
      }
    }
    save();
    return { Result: true };
  };

  const actions: Record<string, Tc3Handler> = {
    CreateService: (p, ctx) => {
      const serviceName = reqString(p, "ServiceName");
      if (!/^[A-Za-z][A-Za-z0-9_]{0,49}$/.test(serviceName)) {
        throw invalid("ServiceName", "1-50 letters, digits or _, starting with a letter", serviceName, "InvalidParameterValue.ParameterValue");
      }
      const protocol = oneOf("Protocol", reqString(p, "Protocol"), PROTOCOLS, "InvalidParameterValue.NotInOptions");
      const netTypes = optStringArray(p, "NetTypes") ?? ["OUTER"];
      if (netTypes.length === 0) throw invalid("NetTypes", "a non-empty subset of INNER, OUTER", netTypes, "InvalidParameterValue.NotInOptions");
      for (const n of netTypes) oneOf("NetTypes[]", n, NET_TYPES, "InvalidParameterValue.NotInOptions");
      const ipVersion = oneOf("IpVersion", optString(p, "IpVersion") ?? "IPv4", ["IPv4", "IPv6"] as const, "InvalidParameterValue.NotInOptions");
      if (optString(p, "InstanceId")) throw new Tc3ApiError("FailedOperation.InstanceNotExist", `dedicated instance ${String(p.InstanceId)} does not exist (this emulator models the shared instance only)`);
      const t = iso(now());
      const s: ServiceRecord = {
        serviceId: id("service-"),
        serviceName,
        serviceDesc: optString(p, "ServiceDesc") ?? "",
        protocol,
        netTypes,
        ipVersion,
        createdTime: t,
        modifiedTime: t,
        region: ctx.region ?? "ap-guangzhou",
        apis: [],
        history: {},
        online: {},
        strategies: {},
      };
      data.services[s.serviceId] = s;
      const tags = optObjectArray(p, "Tags") ?? [];
      if (tags.length > 0 && opts.tags) opts.tags.modify(tagResourceName("apigw", "service", s.region, s.serviceId), Object.fromEntries(tags.map((x) => [String(x.Key ?? ""), String(x.Value ?? "")])));
      save();
      return { ServiceId: s.serviceId, ServiceName: serviceName, ServiceDesc: s.serviceDesc, OuterSubDomain: domain(s, "outer"), InnerSubDomain: domain(s, "inner"), CreatedTime: t, NetTypes: netTypes, IpVersion: ipVersion };
    },
    DescribeService: (p) => {
      const s = service(p);
      const plans = plansOf(s.serviceId);
      return {
        ServiceId: s.serviceId,
        AvailableEnvironments: ENVIRONMENTS.filter((e) => s.online[e] !== undefined),
        ServiceName: s.serviceName,
        ServiceDesc: s.serviceDesc,
        Protocol: s.protocol,
        CreatedTime: s.createdTime,
        ModifiedTime: s.modifiedTime,
        NetTypes: s.netTypes,
        InternalSubDomain: s.netTypes.includes("INNER") ? domain(s, "inner") : "",
        OuterSubDomain: domain(s, "outer"),
        InnerHttpPort: 80,
        InnerHttpsPort: 443,
        ApiTotalCount: s.apis.length,
        ApiIdStatusSet: s.apis.map((a) => ({
          ServiceId: s.serviceId,
          ApiId: a.apiId,
          ApiDesc: a.fields.ApiDesc,
          Path: (a.fields.RequestConfig as { Path: string }).Path,
          Method: (a.fields.RequestConfig as { Method: string }).Method,
          CreatedTime: a.createdTime,
          ModifiedTime: a.modifiedTime,
          ApiName: a.fields.ApiName,
          UniqVpcId: "",
          ApiType: a.fields.ApiType,
          Protocol: a.fields.Protocol,
          IsDebugAfterCharge: a.fields.IsDebugAfterCharge,
          AuthType: a.fields.AuthType,
          ApiBusinessType: a.fields.ApiBusinessType,
          AuthRelationApiId: a.fields.AuthRelationApiId,
          OauthConfig: null,
          TokenLocation: "",
        })),
        UsagePlanTotalCount: plans.length,
        UsagePlanList: plans.map((u) => ({ UsagePlanId: u.usagePlanId, UsagePlanName: u.usagePlanName })),
        IpVersion: s.ipVersion,
        UserType: "",
        SetId: 0,
        Tags: [],
        InstanceId: "",
        InstanceName: "",
        SetType: "",
        DeploymentType: "",
        UniqVpcId: "",
      };
    },
    ModifyService: (p) => {
      const s = service(p);
      const netTypes = optStringArray(p, "NetTypes");
      if (netTypes) {
        for (const n of netTypes) oneOf("NetTypes[]", n, NET_TYPES, "InvalidParameterValue.NotInOptions");
        if (s.netTypes.some((n) => !netTypes.includes(n))) throw new Tc3ApiError("UnsupportedOperation.ReduceNetTypes", `NetTypes cannot drop ${s.netTypes.filter((n) => !netTypes.includes(n)).join(", ")}`);
        s.netTypes = netTypes;
      }
      const name = optString(p, "ServiceName");
      if (name !== undefined) s.serviceName = name;
      const protocol = optString(p, "Protocol");
      if (protocol !== undefined) s.protocol = oneOf("Protocol", protocol, PROTOCOLS, "InvalidParameterValue.NotInOptions");
      const desc = optString(p, "ServiceDesc");
      if (desc !== undefined) s.serviceDesc = desc;
      s.modifiedTime = iso(now());
      save();
      return {};
    },
    DeleteService: (p) => {
      const s = service(p);
      if (s.apis.length > 0) throw new Tc3ApiError("UnsupportedOperation.ApiListNotEmpty", `service ${s.serviceId} still has ${s.apis.length} API(s): delete them first`);
      const online = ENVIRONMENTS.filter((e) => s.online[e] !== undefined);
      if (online.length > 0) throw new Tc3ApiError("UnsupportedOperation.ExistingOnlineEnvironment", `service ${s.serviceId} is still released to ${online.join(", ")}: unrelease first`);
      if (plansOf(s.serviceId).length > 0) throw new Tc3ApiError("UnsupportedOperation.UsagePlanInUse", `service ${s.serviceId} is still bound to usage plans: unbind them first`);
      const tagged = opts.tags?.tagsOf(tagResourceName("apigw", "service", s.region, s.serviceId)) ?? {};
      if (Object.keys(tagged).length > 0) throw new Tc3ApiError("UnsupportedOperation.TagsNotEmpty", `service ${s.serviceId} still has tags (${Object.keys(tagged).join(", ")}): remove them first`);
      delete data.services[s.serviceId];
      save();
      return { Result: true };
    },
    DescribeServiceEnvironmentStrategy: (p) => {
      const s = service(p);
      const list = ENVIRONMENTS.map((e) => ({ EnvironmentName: e, Url: `http://${domain(s, "outer")}/${e}`, Status: s.online[e] ? 1 : 0, VersionName: s.online[e] ?? "", Strategy: s.strategies[e] ?? -1, MaxStrategy: 5000 }));
      return { Result: { TotalCount: list.length, EnvironmentList: paged(list, p) } };
    },
    ModifyServiceEnvironmentStrategy: (p) => {
      const s = service(p);
      const strategy = optInt(p, "Strategy");
      if (strategy === undefined) throw missing("Strategy");
      if (strategy !== -1 && (strategy < 1 || strategy > 5000)) throw invalid("Strategy", "-1 or 1..5000", strategy, "InvalidParameterValue");
      for (const e of optStringArray(p, "EnvironmentNames") ?? []) s.strategies[oneOf("EnvironmentNames[]", e, ENVIRONMENTS, "InvalidParameterValue.NotInOptions")] = strategy;
      save();
      return { Result: true };
    },
    DescribeServiceEnvironmentList: (p) => {
      const s = service(p);
      const list = ENVIRONMENTS.map((e) => ({ EnvironmentName: e, Url: `http://${domain(s, "outer")}/${e}`, Status: s.online[e] ? 1 : 0, VersionName: s.online[e] ?? "" }));
      return { Result: { TotalCount: list.length, EnvironmentList: list } };
    },
    CreateApi: (p, ctx) => {
      const s = service(p);
      const t = iso(now());
      const a: ApiRecord = { apiId: id("api-"), createdTime: t, modifiedTime: t, fields: apiFields(p, s, ctx.region ?? s.region), quotas: {} };
      s.apis.push(a);
      s.modifiedTime = t;
      save();
      const rc = a.fields.RequestConfig as { Path: string; Method: string };
      return { Result: { ApiId: a.apiId, Path: rc.Path, Method: rc.Method, CreatedTime: t } };
    },
    DescribeApi: (p) => {
      const s = service(p);
      const a = api(s, reqString(p, "ApiId"));
      return { Result: { ServiceId: s.serviceId, ServiceName: s.serviceName, ServiceDesc: s.serviceDesc, ApiId: a.apiId, CreatedTime: a.createdTime, ModifiedTime: a.modifiedTime, ...a.fields } };
    },
    ModifyApi: (p, ctx) => {
      const s = service(p);
      const a = api(s, reqString(p, "ApiId"));
      a.fields = apiFields(p, s, ctx.region ?? s.region, a);
      a.modifiedTime = iso(now());
      save();
      return {};
    },
    DeleteApi: (p) => {
      const s = service(p);
      const a = api(s, reqString(p, "ApiId"));
      const bound = Object.values(data.usagePlans).find((u) => u.bindings.some((b) => b.apiId === a.apiId));
      if (bound) throw new Tc3ApiError("FailedOperation.ApiBindEnvironmen", `API ${a.apiId} is bound to usage plan ${bound.usagePlanId}: unbind it first`);
      s.apis = s.apis.filter((x) => x !== a);
      save();
      return { Result: true };
    },
    DescribeApiEnvironmentStrategy: (p) => {
      const s = service(p);
      const apiId = optString(p, "ApiId");
      const names = (optStringArray(p, "EnvironmentNames") ?? []).filter((e): e is EnvironmentName => (ENVIRONMENTS as readonly string[]).includes(e));
      const envs = names.length > 0 ? names : [...ENVIRONMENTS];
      const list = s.apis
        .filter((a) => !apiId || a.apiId === apiId)
        .map((a) => {
          const rc = a.fields.RequestConfig as { Path: string; Method: string };
          return { ApiId: a.apiId, ApiName: a.fields.ApiName, Path: rc.Path, Method: rc.Method, EnvironmentStrategySet: envs.map((e) => ({ EnvironmentName: e, Quota: a.quotas[e] ?? -1 })) };
        });
      return { Result: { TotalCount: list.length, ApiEnvironmentStrategySet: paged(list, p) } };
    },
    ModifyApiEnvironmentStrategy: (p) => {
      const s = service(p);
      const strategy = optInt(p, "Strategy");
      if (strategy === undefined) throw missing("Strategy");
      const e = env(p, "EnvironmentName");
      for (const apiId of optStringArray(p, "ApiIds") ?? []) api(s, apiId).quotas[e] = strategy;
      save();
      return { Result: true };
    },
    ReleaseService: (p) => {
      const s = service(p);
      const e = env(p, "EnvironmentName");
      const desc = reqString(p, "ReleaseDesc");
      if (s.apis.length === 0) throw new Tc3ApiError("FailedOperation.ServiceError", `service ${s.serviceId} has no API to release`);
      const history = (s.history[e] ??= []);
      let ms = now();
      // Version names are per second; a second release in the same second takes the next one (assumed).
      while (history.some((r) => r.versionName === versionName(ms))) ms += 1000;
      const release: ReleaseRecord = { versionName: versionName(ms), versionDesc: desc, releaseTime: iso(now()), apis: structuredClone(s.apis) };
      history.push(release);
      s.online[e] = release.versionName;
      save();
      return { Result: { ReleaseDesc: desc, ReleaseVersion: release.versionName } };
    },
    UnReleaseService: (p) => {
      const s = service(p);
      const e = env(p, "EnvironmentName");
      // Unreleasing an environment that serves nothing succeeds: the provider unreleases all three before DeleteService.
      delete s.online[e];
      save();
      return { Result: true };
    },
    DescribeServiceEnvironmentReleaseHistory: (p) => {
      const s = service(p);
      const e = env(p, "EnvironmentName");
      const list = [...(s.history[e] ?? [])].reverse().map((r) => ({ VersionName: r.versionName, VersionDesc: r.versionDesc, ReleaseTime: r.releaseTime }));
      return { Result: { TotalCount: list.length, VersionList: paged(list, p) } };
    },
    CreateUsagePlan: (p) => {
      const t = iso(now());
      const u: UsagePlanRecord = { usagePlanId: id("usagePlan-"), ...usagePlanCommon(p), createdTime: t, modifiedTime: t, bindings: [] };
      data.usagePlans[u.usagePlanId] = u;
      save();
      return { Result: usagePlanInfo(u) };
    },
    DescribeUsagePlan: (p) => ({ Result: usagePlanInfo(plan(p)) }),
    ModifyUsagePlan: (p) => {
      const u = plan(p);
      Object.assign(u, usagePlanCommon(p), { modifiedTime: iso(now()) });
      save();
      return { Result: usagePlanInfo(u) };
    },
    DeleteUsagePlan: (p) => {
      const u = plan(p);
      if (u.bindings.length > 0) throw new Tc3ApiError("UnsupportedOperation.UsagePlanInUse", `usage plan ${u.usagePlanId} is still bound to ${u.bindings.map((b) => `${b.serviceId}/${b.environment}`).join(", ")}`);
      delete data.usagePlans[u.usagePlanId];
      save();
      return { Result: true };
    },
    BindEnvironment: (p) => bindChange(p, true),
    UnBindEnvironment: (p) => bindChange(p, false),
    DescribeServiceUsagePlan: (p) => {
      const s = service(p);
      const rows = bindingRows(s.serviceId, "SERVICE");
      return { Result: { TotalCount: rows.length, ServiceUsagePlanList: paged(rows, p) } };
    },
    DescribeApiUsagePlan: (p) => {
      const s = service(p);
      const rows = bindingRows(s.serviceId, "API");
      return { Result: { TotalCount: rows.length, ApiUsagePlanList: paged(rows, p) } };
    },
    DescribeUsagePlanEnvironments: (p) => {
      const u = plan(p);
      const bindType = optString(p, "BindType") ?? "SERVICE";
      const rows = u.bindings
        .filter((x) => x.bindType === bindType)
        .map((b) => {
          const s = data.services[b.serviceId];
          const a = b.apiId ? s?.apis.find((x) => x.apiId === b.apiId) : undefined;
          const rc = a?.fields.RequestConfig as { Path?: string; Method?: string } | undefined;
          return {
          ServiceId: b.serviceId,
          ApiId: b.apiId ?? "",
          ApiName: (a?.fields.ApiName as string | undefined) ?? "",
          Path: rc?.Path ?? "",
          Method: rc?.Method ?? "",
          Environment: b.environment,
          InUseRequestNum: 0,
          MaxRequestNum: u.maxRequestNum,
          MaxRequestNumPreSec: u.maxRequestNumPreSec,
          CreatedTime: b.createdTime,
          ModifiedTime: u.modifiedTime,
          ServiceName: s?.serviceName ?? "",
          };
        });
      return { Result: { TotalCount: rows.length, EnvironmentList: paged(rows, p) } };
    },
  };
  return {
    service: "apigateway",
    version: "2018-08-08",
    actions,
    released(serviceId, environment) {
      const s = data.services[serviceId];
      const version = s?.online[environment];
      return version ? s.history[environment]?.find((r) => r.versionName === version)?.apis : undefined;
    },
    snapshot: () => structuredClone(data),
  };
}

export { releasedRoutes, type ReleasedRoutes } from "./local-routes";
