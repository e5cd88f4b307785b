// The deployed stack as the console shows it, from the local deployment model (emulator/deployment.ts): functions
// with their versions/aliases, API Gateway routes with auth and integration-response mode, triggers (timers,
// function URLs) and CFS mounts with the local folder standing in for each. No secret is in the deployment model.
import type { LocalCloud } from "../cloud";

export interface StackView {
  stackName: string;
  region: string;
  account: { appId: string; uin: string };
  ingressUrl?: string;
  trtc: { sdkAppId: number; eventsUrl: string };
  functions: Array<{ name: string; namespace: string; handler: string; runtime: string; memoryMb: number; timeoutSeconds: number; asyncRun: boolean; qualifiers: string[]; versions: string[]; aliases: string[]; asyncRetries: number; asyncRetriesSource: string; layers: string[] }>;
  routes: Array<{ method: string; path: string; url: string; stage: string; authType: string; integratedResponse: boolean; target: string; timeoutSeconds: number }>;
  triggers: Array<{ type: "timer" | "function-url"; name: string; target: string; detail: string; enabled: boolean }>;
  mounts: Array<{ functionName: string; fsId: string; localMountDir: string; remoteMountDir: string; host?: string }>;
  buckets: string[];
}

export function stackView(cloud: LocalCloud): StackView {
  const d = cloud.deployment;
  const base = cloud.ingressUrl?.replace(/\/[^/]+$/, "");
  return {
    stackName: d.stackName,
    region: d.region,
    account: d.account,
    ingressUrl: cloud.ingressUrl,
    trtc: { sdkAppId: cloud.trtcApp.sdkAppId, eventsUrl: cloud.trtcEventsUrl },
    functions: d.functions.map((f) => ({
      name: f.name,
      namespace: f.namespace,
      handler: f.handler,
      runtime: f.runtime,
      memoryMb: f.memoryMb,
      timeoutSeconds: f.timeoutSeconds,
      asyncRun: f.asyncRun,
      qualifiers: f.qualifiers,
      versions: f.qualifiers.filter((q) => q === "$LATEST" || /^\d+$/.test(q)),
      aliases: f.qualifiers.filter((q) => q !== "$LATEST" && !/^\d+$/.test(q)),
      asyncRetries: f.asyncRetries,
      asyncRetriesSource: f.asyncRetriesSource,
      layers: f.layers.map((l) => `${l.name}:${l.version}`),
    })),
    routes: d.routes.map((r) => ({
      method: r.method,
      path: r.path,
      url: base ? `${base}/${r.stage}${r.path}` : r.path,
      stage: r.stage,
      authType: r.authType,
      integratedResponse: r.integratedResponse,
      target: `${r.functionName}:${r.qualifier}`,
      timeoutSeconds: r.timeoutSeconds,
    })),
    triggers: [
      ...d.timers.map((t) => ({ type: "timer" as const, name: t.triggerName, target: `${t.functionName}:${t.qualifier}`, detail: `cron "${t.cron}"`, enabled: t.enabled })),
      ...cloud.functionUrls.map((u) => ({ type: "function-url" as const, name: u.trigger.triggerName, target: `${u.trigger.functionName}:${u.trigger.qualifier}`, detail: `${u.url} (auth ${u.trigger.authType})`, enabled: true })),
    ],
    mounts: d.functions.flatMap((f) =>
      f.mounts.map((m) => ({
        functionName: f.name,
        fsId: m.fsId,
        localMountDir: m.localMountDir,
        remoteMountDir: m.remoteMountDir,
        host: cloud.pathMappings.find((p) => p.functionName === f.name && p.container === (m.localMountDir.replace(/\/+$/, "") || "/"))?.host,
      })),
    ),
    buckets: d.buckets.map((b) => b.name),
  };
}
