// A delivery instance killed mid-delivery, while it holds the delivery lease: the platform's retries find the
// lease held and stand back, and the watchdog (timer trigger) restarts delivery once the lease has expired — the
// recording is delivered once, nothing lost. The lease outlives the invocation by its remaining time + 60 s, so
// this variant is synthesized with the shortest recorder timeout the construct allows (60 s) and the watchdog
// schedule runs 60× faster; it still takes about two minutes of wall time.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type LocalCloud } from "../../local/cloud";
import { mediaTools } from "../../local/media-tools";
import { DEFAULT_SCENARIO } from "../../local/scenario/options";
import { memoryPrinter } from "../../local/scenario/printer";
import { runScenario } from "../../local/scenario/run";
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

describe("a delivery killed while holding its lease", () => {
  it("is finished by the watchdog after the lease expires, delivered exactly once", async () => {
    expect(cloud.deployment.functions.find((f) => f.asyncRun)?.timeoutSeconds).toBe(60);
    let victim: InvocationRecord | undefined;
    const onLog = (r: InvocationRecord, line: string) => {
      if (victim || !line.includes('"msg":"delivery running"')) return;
      victim = r;
      cloud.runtime.inFlight().find((x) => x.record === r)?.instance.kill();
    };
    cloud.runtime.log.on("log", onLog);
    try {
      const r = await runScenario(cloud, { ...DEFAULT_SCENARIO, roomId: 4004, anchors: 2, seconds: 3, mode: "10", callbackTimeoutSeconds: 240 }, memoryPrinter(), mediaTools());
      outDir = r.outDir;
      expect(victim?.status).toBe(439);
      // The platform's retries of the killed invocation found the lease held ("busy") and did no harm.
      const retries = cloud.runtime.log.records.filter((x) => x.requestId === victim?.requestId && x.attempt > 1);
      expect(retries.every((x) => x.status === 200 && (x.result as { outcome?: string }).outcome === "busy")).toBe(true);
      // The invocation that finally delivered was started by the watchdog (its "deliver" message says so).
      const story = cloud.runtime.log.records
        .filter((x) => x.event.includes(r.recordingId) || (x.trigger === "timer" && JSON.stringify(x.result ?? {}).includes(r.recordingId)))
        .map((x) => `${new Date(x.startedAt).toISOString()} ${x.trigger} #${x.attempt} ${x.event.slice(0, 90)} → ${x.status} ${JSON.stringify(x.result ?? x.error).slice(0, 160)}`)
        .join("\n");
      const finisher = cloud.runtime.log.records.find((x) => x.event.includes(r.recordingId) && (x.result as { outcome?: string } | undefined)?.outcome === "delivered");
      expect(JSON.parse(finisher?.event ?? "{}"), story).toMatchObject({ action: "deliver", recordingId: r.recordingId, reason: "watchdog" });
      expect(finisher?.trigger, story).toBe("invoke-event");
      expect(r.result).toMatchObject({ RoomId: "4004", Files: [{ Status: 1, Message: "success" }] });
      expect(await durationSeconds(r.files[0].localPath, mediaTools())).toBeGreaterThan(2);
      expect(cloud.callbackSink.received.filter((c) => c.status === 200 && (c.json as { RoomId?: string }).RoomId === "4004")).toHaveLength(1);
      expect(r.status).toMatchObject({ status: "FINISHED" });
    } finally {
      cloud.runtime.log.off("log", onLog);
    }
  }, 300_000);
});
