// A delivery instance killed mid-delivery (as it opens the target's multipart upload), while it holds the delivery lease: the lease is held in the name of the
// invocation's request id, so the platform's retry of that same invocation (same request id) takes it back at once
// and finishes the delivery, while any other delivery (the watchdog's) stands back until the lease expires — the
// recording is delivered once, nothing lost. The variant uses the shortest recorder timeout the construct allows
// (60 s) and a watchdog running 60× faster, so a lease that was not handed back would show within the test.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type LocalCloud } from "../../local/cloud";
import { mediaTools } from "../../local/media-tools";
import { DEFAULT_SCENARIO } from "../../local/scenario/options";
import { memoryPrinter } from "../../local/scenario/printer";
import { runScenario } from "../../local/scenario/run";
import type { FaultRequestInfo } from "../../emulator/faults";
import type { InvocationRecord } from "../../emulator/scf/invocation-log";
import { durationSeconds } from "../../emulator/trtc/media-probe";
import { synthVariant, type Variant } from "./support/variants";

let variant: Variant;
let cloud: LocalCloud;
let outDir: string | undefined;

beforeAll(async () => {
  variant = await synthVariant((env) => ({ ...env, function: { recorderTimeoutSeconds: 60 } }));
  cloud = await startLocalCloud({ stackDir: variant.stackDir, speed: 60, retryDelaysMs: [300, 600] });
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
  variant?.cleanup();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** Every delivery lease generation in the recorder's state store (the CFS mount's folder, or the COS lock bucket). */
function leaseBodies(): Array<{ token: string; released?: boolean }> {
  const fn = cloud.deployment.functions.find((f) => f.asyncRun)!;
  const env = fn.environment;
  const texts: string[] = [];
  if (env.CFS_PATH) {
    const cfs = env.CFS_PATH;
    const m = cloud.pathMappings.find((x) => x.functionName === fn.name && (cfs === x.container || cfs.startsWith(`${x.container}/`)));
    if (!m) throw new Error(`no local folder for CFS_PATH ${cfs}`);
    const root = join(m.host, cfs.slice(m.container.length), "leases");
    if (existsSync(root)) {
      for (const f of readdirSync(root, { recursive: true }) as string[]) if (/\d{10}\.json$/.test(f)) texts.push(readFileSync(join(root, f), "utf8"));
    }
  } else {
    const bucket = env.RECORDER_LOCK_BUCKET!;
    for (const k of cloud.cos.listKeys(bucket, "leases/")) if (/\d{10}\.json$/.test(k)) texts.push(cloud.cos.getObjectDirect(bucket, k)!.toString());
  }
  return texts.map((t) => JSON.parse(t) as { token: string; released?: boolean });
}

describe("a delivery killed while holding its lease", () => {
  it("is finished by the platform's retry of the same invocation, delivered exactly once", async () => {
    expect(cloud.deployment.functions.find((f) => f.asyncRun)?.timeoutSeconds).toBe(60);
    let victim: InvocationRecord | undefined;
    // A defined point, not a log line racing the delivery: when the delivery asks COS to open the target's multipart
    // upload, the lease holder is inside the delivery, waiting for that answer. The holder is read from the lease
    // itself (held in the name of its invocation's request id) and killed before COS answers.
    const killHolder = (info: FaultRequestInfo): boolean => {
      if (victim || info.action !== "InitiateMultipartUpload") return false;
      const held = leaseBodies().filter((l) => !l.released && l.token.startsWith("invocation:"));
      const holder = cloud.runtime.inFlight().find((x) => held.some((l) => l.token === `invocation:${x.record.requestId}`));
      if (!holder) return false;
      victim = holder.record;
      holder.instance.kill();
      return false;
    };
    cloud.cos.faults.add({ match: killHolder, times: Infinity, fault: { kind: "reset" } });
    try {
      const r = await runScenario(cloud, { ...DEFAULT_SCENARIO, roomId: 4004, anchors: 2, seconds: 3, mode: "10", callbackTimeoutSeconds: 240 }, memoryPrinter(), mediaTools());
      outDir = r.outDir;
      expect(victim?.status).toBe(439);
      // The invocation that delivered is the platform's retry of the killed one: same request id, a later attempt.
      const story = cloud.runtime.log.records
        .filter((x) => x.event.includes(r.recordingId) || (x.trigger === "timer" && JSON.stringify(x.result ?? {}).includes(r.recordingId)))
        .map((x) => `${new Date(x.startedAt).toISOString()} ${x.trigger} #${x.attempt} ${x.event.slice(0, 90)} → ${x.status} ${JSON.stringify(x.result ?? x.error).slice(0, 160)}`)
        .join("\n");
      const delivered = cloud.runtime.log.records.filter((x) => x.event.includes(r.recordingId) && (x.result as { outcome?: string } | undefined)?.outcome === "delivered");
      expect(delivered, story).toHaveLength(1);
      expect(delivered[0]!.requestId, story).toBe(victim?.requestId);
      expect(delivered[0]!.attempt, story).toBeGreaterThan(1);
      expect(r.result).toMatchObject({ RoomId: "4004", Files: [{ Status: 1, Message: "success" }] });
      expect(await durationSeconds(r.files[0].localPath, mediaTools())).toBeGreaterThan(2);
      expect(cloud.callbackSink.received.filter((c) => c.status === 200 && (c.json as { RoomId?: string }).RoomId === "4004")).toHaveLength(1);
      expect(r.status).toMatchObject({ status: "FINISHED" });
    } finally {
      cloud.cos.faults.clear();
    }
  }, 300_000);
});
