// Projects what was applied to the control plane into the LocalDeployment the local cloud's data plane serves:
// every function with the code bytes SCF holds ($LATEST and each published version as frozen), its layers, CFS
// mounts, qualifiers, aliases with their weights, async retry policy, and its timer and function-URL triggers. Routes,
// buckets and KMS keys belong to other services' state and are passed in by whoever composes them.
import type { LocalAlias, LocalDeployment, LocalFunction, LocalFunctionUrl, LocalFunctionVersion, LocalLayer, LocalMount, LocalTimer } from "../deployment";
import type { EmulatedAccount } from "./context";
import { DEFAULT_ASYNC_TRIGGER_CONFIG } from "./scf/event-invoke-config";
import type { FunctionConfig, FunctionRecord, ScfState } from "./scf/model";

export interface ControlPlaneDeploymentInput {
  /** The SCF state (ControlPlane.scf.state()). */
  scf: ScfState;
  account: EmulatedAccount;
  region: string;
  /** Names the deployment in the local cloud's views. */
  stackName: string;
  /** Folder the local cloud treats as the stack's home (e.g. the control plane's state folder). */
  stackDir: string;
  /** Parts other services project (API Gateway routes, COS buckets, KMS keys). @default empty */
  routes?: LocalDeployment["routes"];
  buckets?: LocalDeployment["buckets"];
  kmsKeys?: LocalDeployment["kmsKeys"];
}

export interface ControlPlaneDeployment {
  deployment: LocalDeployment;
  /** Functions left out, with the reason (e.g. code recorded by COS reference only, so there are no bytes to run). */
  warnings: string[];
}

const functionAddress = (fn: FunctionRecord) => `scf:${fn.namespace}/${fn.name}`;

function layersOf(cfg: FunctionConfig, state: ScfState): LocalLayer[] {
  return cfg.layers.map((b) => {
    const v = state.layers[b.LayerName]?.versions.find((x) => x.version === b.LayerVersion);
    return { address: `scf-layer:${b.LayerName}#${b.LayerVersion}`, name: b.LayerName, version: b.LayerVersion, zipPath: v?.code.zipPath ?? "" };
  });
}

function mountsOf(cfg: FunctionConfig): LocalMount[] {
  return cfg.cfs.map((m) => ({ fsId: m.CfsId, localMountDir: m.LocalMountDir, remoteMountDir: m.RemoteMountDir, userId: m.UserId, userGroupId: m.UserGroupId }));
}

function retriesOf(cfg: FunctionConfig): number {
  return (cfg.asyncTriggerConfig ?? DEFAULT_ASYNC_TRIGGER_CONFIG).RetryConfig[0]?.RetryNum ?? 2;
}

function environmentOf(cfg: FunctionConfig): Record<string, string> {
  return Object.fromEntries(cfg.environment.map((v) => [v.Key, v.Value]));
}

/** Why a configuration cannot run locally, or undefined when its code and layers all have bytes. */
function missingBytes(cfg: FunctionConfig, state: ScfState, what: string): string | undefined {
  if (!cfg.code.zipPath) {
    const ref = cfg.code.cos ? `cos://${cfg.code.cos.bucket}/${cfg.code.cos.object} (${cfg.code.cos.region})` : "inline code";
    return `${what}: the control plane holds no bytes for ${ref}; start it with readCosObject wired to the emulated COS`;
  }
  const layer = layersOf(cfg, state).find((l) => l.zipPath === "");
  return layer ? `${what}: layer ${layer.name} version ${layer.version} has no bytes in the control plane` : undefined;
}

function versionOf(version: string, cfg: FunctionConfig, state: ScfState): LocalFunctionVersion {
  return {
    version,
    handler: cfg.handler,
    runtime: cfg.runtime,
    memoryMb: cfg.memorySize,
    timeoutSeconds: cfg.timeout,
    environment: environmentOf(cfg),
    codeZipPath: cfg.code.zipPath ?? "",
    layers: layersOf(cfg, state),
    mounts: mountsOf(cfg),
    asyncRetries: retriesOf(cfg),
  };
}

function functionOf(fn: FunctionRecord, state: ScfState, warnings: string[]): LocalFunction | undefined {
  const problem = missingBytes(fn.latest, state, `${fn.namespace}/${fn.name} $LATEST`);
  if (problem) {
    warnings.push(problem);
    return undefined;
  }
  const versions: LocalFunctionVersion[] = [];
  for (const v of fn.versions) {
    const why = missingBytes(v.config, state, `${fn.namespace}/${fn.name} version ${v.version}`);
    if (why) warnings.push(why);
    else versions.push(versionOf(v.version, v.config, state));
  }
  const aliases: LocalAlias[] = fn.aliases.map((a) => ({
    name: a.name,
    version: a.functionVersion,
    additionalVersionWeights: a.weights.map((w) => ({ version: w.Version, weight: w.Weight })),
  }));
  const latest = fn.latest;
  return {
    address: functionAddress(fn),
    name: fn.name,
    namespace: fn.namespace,
    handler: latest.handler,
    runtime: latest.runtime,
    memoryMb: latest.memorySize,
    timeoutSeconds: latest.timeout,
    asyncRun: fn.asyncRunEnable === "TRUE",
    environment: environmentOf(latest),
    codeZipPath: latest.code.zipPath ?? "",
    layers: layersOf(latest, state),
    mounts: mountsOf(latest),
    qualifiers: ["$LATEST", "$DEFAULT", ...versions.map((v) => v.version), ...aliases.map((a) => a.name)],
    asyncRetries: retriesOf(latest),
    asyncRetriesSource: latest.asyncTriggerConfig ? "event-invoke-config" : "platform-default",
    versions,
    aliases,
  };
}

function triggersOf(fn: FunctionRecord): { timers: LocalTimer[]; functionUrls: LocalFunctionUrl[] } {
  const timers: LocalTimer[] = [];
  const functionUrls: LocalFunctionUrl[] = [];
  for (const t of fn.triggers) {
    const address = `scf-trigger:${fn.namespace}/${fn.name}/${t.name}`;
    const desc = JSON.parse(t.desc) as Record<string, unknown>;
    if (t.type === "timer") {
      timers.push({ address, triggerName: t.name, functionName: fn.name, namespace: fn.namespace, qualifier: t.qualifier, cron: String(desc.cron), customArgument: t.customArgument, enabled: t.enable });
    } else if (t.type === "http" && t.enable) {
      functionUrls.push({ address, triggerName: t.name, functionName: fn.name, namespace: fn.namespace, qualifier: t.qualifier, authType: String(desc.AuthType ?? "NONE") });
    }
  }
  return { timers, functionUrls };
}

export function controlPlaneDeployment(input: ControlPlaneDeploymentInput): ControlPlaneDeployment {
  const warnings: string[] = [];
  const functions: LocalFunction[] = [];
  const timers: LocalTimer[] = [];
  const functionUrls: LocalFunctionUrl[] = [];
  for (const fn of input.scf.functions) {
    const f = functionOf(fn, input.scf, warnings);
    if (!f) continue;
    functions.push(f);
    const t = triggersOf(fn);
    timers.push(...t.timers);
    functionUrls.push(...t.functionUrls);
  }
  return {
    warnings,
    deployment: {
      stackName: input.stackName,
      stackDir: input.stackDir,
      region: input.region,
      account: { appId: input.account.appId, uin: input.account.uin },
      functions,
      routes: input.routes ?? [],
      timers,
      functionUrls,
      buckets: input.buckets ?? [],
      kmsKeys: input.kmsKeys ?? [],
    },
  };
}
