// The API Gateway account as the emulator keeps it (one JSON document, persisted). Field names follow the
// apigateway 2018-08-08 models (apigateway_models.d.ts) so read-backs are the request fields echoed under the names
// the provider reads (services/apigateway/resource_tc_api_gateway_*.go).

export const ENVIRONMENTS = ["test", "prepub", "release"] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** An API as CreateApi/ModifyApi defined it: the request fields, kept verbatim for DescribeApi. */
export interface ApiRecord {
  apiId: string;
  createdTime: string;
  modifiedTime: string;
  /** CreateApi request fields except ServiceId (ApiName, RequestConfig, ServiceType, ServiceScf*, ...). */
  fields: Record<string, unknown>;
  /** ModifyApiEnvironmentStrategy quotas per environment; absent = unlimited (-1). */
  quotas: Partial<Record<EnvironmentName, number>>;
}

export interface ReleaseRecord {
  versionName: string;
  versionDesc: string;
  releaseTime: string;
  /** The APIs as they were when released: what the gateway serves in that environment. */
  apis: ApiRecord[];
}

export interface ServiceRecord {
  serviceId: string;
  serviceName: string;
  serviceDesc: string;
  protocol: string;
  netTypes: string[];
  ipVersion: string;
  createdTime: string;
  modifiedTime: string;
  region: string;
  apis: ApiRecord[];
  /** Release history per environment, oldest first. */
  history: Partial<Record<EnvironmentName, ReleaseRecord[]>>;
  /** The version each environment serves now; absent = not released (or unreleased). */
  online: Partial<Record<EnvironmentName, string>>;
  /** ModifyServiceEnvironmentStrategy per environment; absent = unlimited (-1). */
  strategies: Partial<Record<EnvironmentName, number>>;
}

export interface UsagePlanBinding {
  serviceId: string;
  environment: EnvironmentName;
  bindType: "SERVICE" | "API";
  /** Set when bindType is API. */
  apiId?: string;
  createdTime: string;
}

export interface UsagePlanRecord {
  usagePlanId: string;
  usagePlanName: string;
  usagePlanDesc: string;
  maxRequestNum: number;
  maxRequestNumPreSec: number;
  createdTime: string;
  modifiedTime: string;
  bindings: UsagePlanBinding[];
}

export interface ApigwState {
  services: Record<string, ServiceRecord>;
  usagePlans: Record<string, UsagePlanRecord>;
}
