// CreateFunction, GetFunction, ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction.
// Mutations start a read-settled transition (Creating/Updating -> Active after one GetFunction), which is what the
// provider's waitScfFunctionReady polls for; a second mutation during it is refused as SCF refuses it.
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { optObject, optObjectArray, optString, reqString } from "../request-params";
import { functionTagResource, shortId, timestamp, type ScfDeps } from "./deps";
import type { FunctionConfig, FunctionRecord } from "./model";
import { checkCfsMounts, checkVpc } from "./network-check";
import { cfsConfig, checkFunctionName, environment, layers, memorySize, publicNet, timeout, trueFalse, vpcConfig } from "./params";
import { functionSummary, getFunctionResponse } from "./shapes";
import { beginTransition, namespaceOf, observeStatus } from "./store";

function checkLayers(deps: ScfDeps, cfg: FunctionConfig): void {
  for (const b of cfg.layers) {
    const v = deps.store.data.layers[b.LayerName]?.versions.find((x) => x.version === b.LayerVersion);
    if (!v) throw new Tc3ApiError("ResourceNotFound.LayerVersion", `Layer ${b.LayerName} version ${b.LayerVersion} does not exist`);
    if (v.runtimes.length > 0 && !v.runtimes.includes(cfg.runtime)) {
      throw new Tc3ApiError("InvalidParameterValue.Layers", `Layer ${b.LayerName} version ${b.LayerVersion} is compatible with ${v.runtimes.join(", ")}, not the function's runtime ${cfg.runtime}`);
    }
  }
}

/** The execution role must exist in CAM (by name, or as a role ARN `qcs::cam::uin/<uin>:roleName/<name>`). */
function checkRole(deps: ScfDeps, role: string): void {
  if (role === "" || !deps.roleExists) return;
  const name = role.replace(/^qcs::cam::uin\/\d+:roleName\//, "");
  if (!deps.roleExists(name)) throw new Tc3ApiError("ResourceNotFound.Role", `Role ${role} does not exist in CAM; create it (or use an existing one such as SCF_ExecuteRole) first`);
}

function checkNetwork(deps: ScfDeps, cfg: FunctionConfig): FunctionConfig {
  checkRole(deps, cfg.role);
  checkVpc(cfg.vpc, deps.vpc);
  return { ...cfg, cfs: checkCfsMounts(cfg.cfs, cfg.vpc, deps.cfs) };
}

function requireActive(fn: FunctionRecord, code: string, action: string): void {
  if (fn.status !== "Active") {
    throw new Tc3ApiError(code, `${action} is not possible while function ${fn.name} is ${fn.status}; wait until GetFunction reports Active`);
  }
}

function tagsOf(p: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of optObjectArray(p, "Tags") ?? []) {
    if (typeof t.Key !== "string" || typeof t.Value !== "string") throw new Tc3ApiError("InvalidParameterValue", `Tags[] must be {Key: string, Value: string} (got ${JSON.stringify(t)})`);
    out[t.Key] = t.Value;
  }
  return out;
}

export function functionActions(deps: ScfDeps): Record<string, Tc3Handler> {
  const { store } = deps;

  const CreateFunction: Tc3Handler = async (p) => {
    const name = reqString(p, "FunctionName");
    checkFunctionName(name);
    const namespace = namespaceOf(p);
    store.requireNamespace(namespace);
    if (store.findFunction(namespace, name)) throw new Tc3ApiError("ResourceInUse.Function", `Function ${name} already exists in namespace ${namespace}`);
    const code = optObject(p, "Code");
    if (!code) throw new Tc3ApiError("MissingParameter.Code", "Code is required: ZipFile, or CosBucketName + CosObjectName + CosBucketRegion");
    const asyncRun = trueFalse(p, "AsyncRunEnable") ?? "FALSE";
    const type = optString(p, "Type") ?? "Event";
    if (type !== "Event" && type !== "HTTP") throw new Tc3ApiError("InvalidParameterValue.FunctionType", `Type must be Event or HTTP (got "${type}")`);
    const vpc = vpcConfig(p) ?? { VpcId: "", SubnetId: "" };
    let cfg: FunctionConfig = {
      handler: optString(p, "Handler") ?? "index.main_handler",
      runtime: optString(p, "Runtime") ?? "Python2.7",
      description: optString(p, "Description") ?? "",
      memorySize: memorySize(p) ?? 128,
      timeout: timeout(p, asyncRun === "TRUE") ?? 3,
      environment: environment(p) ?? [],
      vpc,
      role: optString(p, "Role") ?? "",
      clsLogsetId: optString(p, "ClsLogsetId") ?? "",
      clsTopicId: optString(p, "ClsTopicId") ?? "",
      layers: layers(p) ?? [],
      cfs: cfsConfig(p) ?? [],
      // Without VPC a function reaches the internet by default; inside a VPC it needs public net switched on.
      publicNet: publicNet(p) ?? { PublicNetStatus: vpc.VpcId === "" ? "ENABLE" : "DISABLE", EipStatus: "DISABLE" },
      initTimeout: 65,
      dnsCache: trueFalse(p, "DnsCache") ?? "FALSE",
      l5Enable: "FALSE",
      code: { source: "ZipFile", size: 0 },
    };
    checkLayers(deps, cfg);
    cfg = checkNetwork(deps, cfg);
    cfg.code = await deps.code.resolve(code, "Code");
    // Reading COS code yields to other requests: a concurrent CreateFunction of the same name may have won meanwhile.
    if (store.findFunction(namespace, name)) throw new Tc3ApiError("ResourceInUse.Function", `Function ${name} already exists in namespace ${namespace}`);
    const now = timestamp(deps);
    const tags = tagsOf(p);
    const fn: FunctionRecord = {
      id: `lam-${shortId()}`,
      name,
      namespace,
      type,
      asyncRunEnable: asyncRun,
      traceEnable: trueFalse(p, "TraceEnable") ?? "FALSE",
      tags,
      addTime: now,
      modTime: now,
      latest: cfg,
      versions: [],
      nextVersion: 1,
      aliases: [],
      triggers: [],
      status: "Creating",
      pendingReads: 0,
    };
    beginTransition(fn, "Creating");
    store.data.functions.push(fn);
    if (Object.keys(tags).length > 0) deps.tags.modify(functionTagResource(deps.region, namespace, name), tags);
    store.save();
    return {};
  };

  const GetFunction: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const qualifier = optString(p, "Qualifier") ?? "$LATEST";
    const version = store.resolveQualifier(fn, qualifier);
    fn.tags = deps.tags.tagsOf(functionTagResource(deps.region, fn.namespace, fn.name));
    if (version === "$LATEST") {
      const { status, changed } = observeStatus(fn);
      if (changed) store.save();
      return getFunctionResponse({ fn, version, qualifier, config: fn.latest, description: fn.latest.description, status, modTime: fn.modTime }, store.data);
    }
    const v = store.requireVersion(fn, version);
    return getFunctionResponse({ fn, version, qualifier, config: v.config, description: v.description, status: "Active", modTime: v.modTime }, store.data);
  };

  const ListFunctions: Tc3Handler = (p) => {
    const namespace = namespaceOf(p);
    const search = optString(p, "SearchKey") ?? "";
    const all = store.data.functions.filter((f) => f.namespace === namespace && f.name.includes(search));
    const offset = typeof p.Offset === "number" ? p.Offset : 0;
    const limit = typeof p.Limit === "number" ? p.Limit : 20;
    return { Functions: all.slice(offset, offset + limit).map(functionSummary), TotalCount: all.length };
  };

  const UpdateFunctionCode: Tc3Handler = async (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    requireActive(fn, "FailedOperation.UpdateFunctionCode", "UpdateFunctionCode");
    // The code may come as a Code object or (older form) as top-level CosBucketName/ZipFile fields. CfsConfig is not
    // a parameter of this action: a mount change sent here is not applied.
    const code = optObject(p, "Code") ?? p;
    const stored = await deps.code.resolve(code, optObject(p, "Code") ? "Code" : "the request");
    fn.latest = { ...fn.latest, code: stored, handler: optString(p, "Handler") ?? fn.latest.handler };
    fn.modTime = timestamp(deps);
    beginTransition(fn, "Updating");
    store.save();
    return {};
  };

  const UpdateFunctionConfiguration: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    requireActive(fn, "FailedOperation.UpdateFunctionConfiguration", "UpdateFunctionConfiguration");
    const cur = fn.latest;
    const vpcIn = vpcConfig(p);
    let cfg: FunctionConfig = {
      ...cur,
      description: optString(p, "Description") ?? cur.description,
      memorySize: memorySize(p) ?? cur.memorySize,
      timeout: timeout(p, fn.asyncRunEnable === "TRUE") ?? cur.timeout,
      runtime: optString(p, "Runtime") ?? cur.runtime,
      environment: environment(p) ?? cur.environment,
      vpc: vpcIn ? { VpcId: vpcIn.VpcId || cur.vpc.VpcId, SubnetId: vpcIn.SubnetId || cur.vpc.SubnetId } : cur.vpc,
      role: optString(p, "Role") ?? cur.role,
      clsLogsetId: optString(p, "ClsLogsetId") ?? cur.clsLogsetId,
      clsTopicId: optString(p, "ClsTopicId") ?? cur.clsTopicId,
      layers: layers(p) ?? cur.layers,
      cfs: cfsConfig(p) ?? cur.cfs,
      publicNet: publicNet(p) ?? cur.publicNet,
      dnsCache: trueFalse(p, "DnsCache") ?? cur.dnsCache,
      l5Enable: trueFalse(p, "L5Enable") ?? cur.l5Enable,
    };
    checkLayers(deps, cfg);
    cfg = checkNetwork(deps, cfg);
    fn.latest = cfg;
    fn.modTime = timestamp(deps);
    beginTransition(fn, "Updating");
    store.save();
    return {};
  };

  const DeleteFunction: Tc3Handler = (p) => {
    const namespace = namespaceOf(p);
    const fn = store.requireFunction(namespace, reqString(p, "FunctionName"));
    const qualifier = optString(p, "Qualifier");
    if (qualifier !== undefined && qualifier !== "" && qualifier !== "$LATEST") {
      const v = store.requireVersion(fn, qualifier);
      const bound = fn.aliases.filter((a) => a.functionVersion === v.version || a.weights.some((w) => w.Version === v.version));
      if (bound.length > 0) {
        throw new Tc3ApiError(
          "UnsupportedOperation.AliasBind",
          `Version ${v.version} of ${fn.name} is bound to alias ${bound.map((a) => a.name).join(", ")}; unbind the alias before deleting the version`,
        );
      }
      fn.versions = fn.versions.filter((x) => x !== v);
      fn.triggers = fn.triggers.filter((t) => t.qualifier !== v.version);
      store.save();
      return {};
    }
    store.data.functions = store.data.functions.filter((f) => f !== fn);
    deps.tags.forget(functionTagResource(deps.region, namespace, fn.name));
    store.save();
    return {};
  };

  return { CreateFunction, GetFunction, ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction };
}


