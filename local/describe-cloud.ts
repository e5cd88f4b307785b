// What the terminal shows about a started local cloud: the synthesized stack it serves, and how each piece maps to
// this machine (ports, folders standing in for /opt and the CFS mount, where the runtime secrets went).
import { renderSummary } from "../tools/synth-summary";
import type { LocalCloud } from "./cloud";

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function describeCloud(cloud: LocalCloud): string {
  const d = cloud.deployment;
  const lines: string[] = [];
  lines.push(cloud.synth.synthesized ? `synthesized ${d.stackName} (${cloud.synth.reason}) in ${secs(cloud.timings.loadMs)}` : `${d.stackName} is up to date (${cloud.synth.reason})`);
  lines.push(renderSummary([cloud.summary]).trimEnd());
  lines.push(`local cloud for ${d.stackDir}/cdk.tf.json  (deploy ${secs(cloud.timings.deployMs)}, servers ${secs(cloud.timings.startMs)}; state in ${cloud.stateDir})`);
  for (const f of d.functions) {
    lines.push(`  function ${f.namespace}/${f.name}  ${f.handler}, ${f.runtime}, ${f.memoryMb} MB, ${f.timeoutSeconds} s${f.asyncRun ? ", async run" : ""}, async retries ${f.asyncRetries} (${f.asyncRetriesSource}), qualifiers ${f.qualifiers.join(" ")}`);
  }
  for (const m of cloud.pathMappings) lines.push(`  path     ${m.functionName}: ${m.container} → ${m.host}  (${m.what})`);
  for (const r of d.routes) {
    lines.push(`  route    ${r.method.padEnd(6)} ${cloud.ingressUrl?.replace(/\/[^/]+$/, `/${r.stage}`) ?? ""}${r.path} → ${r.functionName}:${r.qualifier}  auth ${r.authType}, integration response ${r.integratedResponse ? "ON" : "OFF"}, timeout ${r.timeoutSeconds} s`);
  }
  for (const u of cloud.functionUrls) lines.push(`  url      ${u.url} → ${u.trigger.functionName}:${u.trigger.qualifier} (function URL, auth ${u.trigger.authType})`);
  for (const t of d.timers) lines.push(`  timer    ${t.triggerName} "${t.cron}" → ${t.functionName}:${t.qualifier} ${t.customArgument}${t.enabled ? "" : " (disabled)"}`);
  lines.push(`  doubles  TRTC + KMS + SCF API at ${cloud.apiEndpoint} (RECORDER_API_ENDPOINT_OVERRIDE), COS at ${cloud.cos.hostPort} (RECORDER_COS_IP_OVERRIDE), buckets ${d.buckets.map((b) => b.name).join(", ")}`);
  lines.push(`  secrets  trtc-event-key, callback-signing-key, trtc-staging-cos-key, client-api-keys provisioned into ${cloud.secretsLocation}`);
  lines.push(`  TRTC     SdkAppId ${cloud.trtcApp.sdkAppId}, room/recording events → ${cloud.trtcEventsUrl}`);
  return lines.join("\n");
}
