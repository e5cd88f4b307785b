// The real recorder bundle in the local cloud: a bad request gets its precise error through the local ingress,
// two rooms recorded at once both complete, and killed delivery instances are survived by the platform's retries.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type LocalCloud } from "../../local/cloud";
import { mediaTools } from "../../local/media-tools";
import { DEFAULT_SCENARIO } from "../../local/scenario/options";
import { memoryPrinter } from "../../local/scenario/printer";
import { runScenario, type ScenarioResult } from "../../local/scenario/run";
import { durationSeconds } from "../../emulator/trtc/media-probe";

let cloud: LocalCloud;
const outDirs: string[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ retryDelaysMs: [300, 600] });
});

afterAll(async () => {
  await cloud.stop();
  for (const d of outDirs) rmSync(d, { recursive: true, force: true });
});

async function scenario(overrides: Partial<typeof DEFAULT_SCENARIO>): Promise<ScenarioResult> {
  const r = await runScenario(cloud, { ...DEFAULT_SCENARIO, callbackTimeoutSeconds: 60, ...overrides }, memoryPrinter(), mediaTools());
  outDirs.push(r.outDir);
  return r;
}

describe("a bad request through the local ingress", () => {
  it("is accepted asynchronously, then fails with every field error in the status record and the callback", async () => {
    const body = { SdkAppId: 1400000001, RoomId: 5, UserId: "recorder_1", UserSig: "x", CosConfig: { Region: "ap-guangzhou", Path: "/" }, Mode: "13", Callback: cloud.callbackSink.url };
    const res = await fetch(`${cloud.ingressUrl}/record`, { method: "POST", body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("Async run task submitted");
    const id = res.headers.get("x-scf-reqid") as string;
    await cloud.runtime.idle();
    const status = await fetch(`${cloud.ingressUrl}/recordings/${id}`);
    expect(status.status).toBe(200);
    const record = (await status.json()) as { status: string; errors: unknown[] };
    const expected = [
      { field: "CosConfig.Bucket", expected: "a COS bucket named <name>-<appid>, like recordings-1250000000", got: "nothing (field missing)" },
      { field: "Mode", expected: 'one of "10" (audio → MP3), "11" (video → MP4), "12" (audio+video → MP4)', got: '"13"' },
    ];
    expect(record.status).toBe("FAILED");
    expect(record.errors).toEqual(expected);
    const callback = (await cloud.callbackSink.waitFor(1, 10_000)).find((c) => (c.json as { RoomId?: string }).RoomId === "5");
    expect(callback?.json).toMatchObject({ RoomId: "5", Files: [{ Status: 0, Message: "invalid request", RecordFile: "" }], Errors: expected });
  });

  it("a body that is not JSON fails with the (body) error; an unknown route is the gateway's 404", async () => {
    const res = await fetch(`${cloud.ingressUrl}/record`, { method: "POST", body: "{not json" });
    const id = res.headers.get("x-scf-reqid") as string;
    await cloud.runtime.idle();
    const record = (await (await fetch(`${cloud.ingressUrl}/recordings/${id}`)).json()) as { errors: Array<{ field: string; got: string }> };
    expect(record.errors).toEqual([expect.objectContaining({ field: "(body)", got: "text that is not JSON (9 bytes)" })]);
    const nope = await fetch(`${cloud.ingressUrl}/recordz`, { method: "POST", body: "{}" });
    expect(nope.status).toBe(404);
    expect(await nope.json()).toEqual({ message: expect.stringMatching(/^There is no api match uri\[\\\/release\\\/recordz\]/) });
    const unknown = await fetch(`${cloud.ingressUrl}/recordings/no-such-id`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "NotFound", recordingId: "no-such-id" });
  });
});

describe("recordings", () => {
  it("in two rooms at once both complete, each with its own file", async () => {
    const [a, b] = await Promise.all([scenario({ roomId: 2001, anchors: 2, seconds: 3 }), scenario({ strRoomId: "room-b", anchors: 3, seconds: 4 })]);
    expect(a.result).toMatchObject({ RoomId: "2001", StrRoomId: "", Files: [{ Status: 1, Message: "success" }] });
    expect(b.result).toMatchObject({ RoomId: "", StrRoomId: "room-b", Files: [{ Status: 1, Message: "success" }] });
    expect(a.files[0].key).not.toBe(b.files[0].key);
    const tools = mediaTools();
    expect(await durationSeconds(a.files[0].localPath, tools)).toBeGreaterThan(2);
    expect(await durationSeconds(b.files[0].localPath, tools)).toBeGreaterThan(3);
    expect(a.recordingId).not.toBe(b.recordingId);
    // The recorder's own async invocations run the alias the stack deployed (RECORDER_QUALIFIER), never $LATEST.
    const own = cloud.runtime.log.records.filter((x) => x.trigger === "invoke-event");
    expect(own.length).toBeGreaterThan(0);
    for (const x of own) expect(x.qualifier).not.toBe("$LATEST");
  });

  it("survive the first attempt of every delivery invocation dying as it begins: the platform's retries finish the job", async () => {
    // Killed from the "start" event itself, before the instance got the event: a defined point, whatever the load.
    // The retries of 302's, 305's and 310's deliveries then meet at the lease in any order; a refused one is woken
    // when the lease is released. Kills at other exact points (right after taking the lease, while another delivery
    // holds it) are forced step by step in test/function/integration/delivery-lease-contention.test.ts.
    const killed: string[] = [];
    const notInFlight: string[] = [];
    const onStart = (r: { requestId: string; attempt: number; event: string }) => {
      if (r.attempt !== 1 || !r.event.includes('"action":"deliver"')) return;
      const running = cloud.runtime.inFlight().find((x) => x.record.requestId === r.requestId && x.record.attempt === 1);
      if (!running) return void notInFlight.push(r.requestId);
      killed.push(r.requestId);
      running.instance.kill();
    };
    cloud.runtime.log.on("start", onStart);
    try {
      const r = await scenario({ roomId: 3003, anchors: 2, seconds: 3, mode: "10" });
      expect(notInFlight).toEqual([]);
      expect(killed.length).toBeGreaterThan(0);
      const attempts = cloud.runtime.log.records.filter((x) => killed.includes(x.requestId));
      expect(attempts.filter((x) => x.attempt === 1).every((x) => x.status === 439)).toBe(true);
      expect(attempts.some((x) => x.attempt === 2 && x.status === 200)).toBe(true);
      expect(r.result).toMatchObject({ RoomId: "3003", Files: [{ Status: 1 }] });
      expect(r.files[0].key).toMatch(/\.mp3$/);
      expect(await durationSeconds(r.files[0].localPath, mediaTools())).toBeGreaterThan(2);
      // Exactly one accepted callback for this room: nothing delivered twice.
      expect(cloud.callbackSink.received.filter((c) => c.status === 200 && (c.json as { RoomId?: string }).RoomId === "3003")).toHaveLength(1);
    } finally {
      cloud.runtime.log.off("start", onStart);
    }
  });
});
