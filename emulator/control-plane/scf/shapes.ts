// Response shapes. The provider dereferences many GetFunction fields without nil checks (L5Enable, InstallDependency,
// EipConfig.EipFixed, AccessInfo.Host, Environment.Variables, VpcConfig.VpcId — resource_tc_scf_function.go Read), so
// they are always present, with the empty values the real API returns for a function that does not use them.
import type { FunctionConfig, FunctionRecord, LayerVersionRecord, ScfState, TriggerRecord } from "./model";

export function triggerInfo(t: TriggerRecord) {
  return {
    ModTime: t.modTime,
    Type: t.type,
    TriggerDesc: t.desc,
    TriggerName: t.name,
    AddTime: t.addTime,
    // TriggerInfo.Enable is an integer (1 open, 0 closed) although CreateTrigger takes "OPEN"/"CLOSE".
    Enable: t.enable ? 1 : 0,
    CustomArgument: t.customArgument,
    AvailableStatus: "Available",
    ResourceId: "",
    BindStatus: "",
    TriggerAttribute: "",
    Qualifier: t.qualifier,
    Description: t.description,
  };
}

export function layerVersionInfo(l: LayerVersionRecord, status = l.status) {
  return {
    CompatibleRuntimes: l.runtimes,
    AddTime: l.addTime,
    Description: l.description,
    LicenseInfo: l.license,
    LayerVersion: l.version,
    LayerName: l.name,
    Status: status,
  };
}

function boundLayers(cfg: FunctionConfig, state: ScfState) {
  return cfg.layers.map((b) => {
    const v = state.layers[b.LayerName]?.versions.find((x) => x.version === b.LayerVersion);
    return v
      ? layerVersionInfo(v)
      : { CompatibleRuntimes: [], AddTime: "", Description: "", LicenseInfo: "", LayerVersion: b.LayerVersion, LayerName: b.LayerName, Status: "Deleted" };
  });
}

export interface FunctionView {
  fn: FunctionRecord;
  /** "$LATEST" or a version number. */
  version: string;
  /** The qualifier the caller asked for (an alias name stays an alias name). */
  qualifier: string;
  config: FunctionConfig;
  description: string;
  status: string;
  modTime: string;
}

export function getFunctionResponse(v: FunctionView, state: ScfState) {
  const { fn, config } = v;
  return {
    ModTime: v.modTime,
    CodeInfo: "",
    Description: v.description,
    // Triggers are listed on $LATEST (and on the version they are bound to), as the console shows them.
    Triggers: fn.triggers.filter((t) => v.version === "$LATEST" || t.qualifier === v.qualifier).map(triggerInfo),
    Handler: config.handler,
    CodeSize: config.code.size,
    Timeout: config.timeout,
    FunctionVersion: v.version,
    MemorySize: config.memorySize,
    Runtime: config.runtime,
    FunctionName: fn.name,
    VpcConfig: { VpcId: config.vpc.VpcId, SubnetId: config.vpc.SubnetId },
    UseGpu: "FALSE",
    Environment: { Variables: config.environment },
    CodeResult: "success",
    CodeError: "",
    ErrNo: 0,
    Namespace: fn.namespace,
    Role: config.role,
    InstallDependency: "FALSE",
    Status: v.status,
    StatusDesc: "",
    ClsLogsetId: config.clsLogsetId,
    ClsTopicId: config.clsTopicId,
    FunctionId: fn.id,
    Tags: Object.entries(fn.tags).map(([Key, Value]) => ({ Key, Value })),
    EipConfig: { EipFixed: "FALSE", Eips: [] },
    AccessInfo: { Host: "", Vip: "" },
    Type: fn.type,
    L5Enable: config.l5Enable,
    Layers: boundLayers(config, state),
    AddTime: fn.addTime,
    PublicNetConfig: { PublicNetStatus: config.publicNet.PublicNetStatus, EipConfig: { EipStatus: config.publicNet.EipStatus, EipAddress: [] } },
    OnsEnable: "FALSE",
    CfsConfig: { CfsInsList: config.cfs },
    AvailableStatus: "Available",
    Qualifier: v.qualifier,
    InitTimeout: config.initTimeout,
    StatusReasons: [],
    AsyncRunEnable: fn.asyncRunEnable,
    TraceEnable: fn.traceEnable,
    DnsCache: config.dnsCache,
    IntranetConfig: { IpFixed: "DISABLE", IpAddress: [] },
  };
}

export function functionSummary(fn: FunctionRecord) {
  return {
    ModTime: fn.modTime,
    AddTime: fn.addTime,
    Runtime: fn.latest.runtime,
    FunctionName: fn.name,
    FunctionId: fn.id,
    Namespace: fn.namespace,
    Status: fn.status,
    StatusDesc: "",
    Description: fn.latest.description,
    Tags: Object.entries(fn.tags).map(([Key, Value]) => ({ Key, Value })),
    Type: fn.type,
    StatusReasons: [],
    TotalProvisionedConcurrencyMem: 0,
    ReservedConcurrencyMem: 0,
    AsyncRunEnable: fn.asyncRunEnable,
    TraceEnable: fn.traceEnable,
  };
}
