// TRTC callbacks: signed like TRTC signs them, retried like TRTC retries, and (on request) dropped, duplicated
// or reordered the way an at-least-once webhook may be.
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { listenLocal, type Listening } from "../../../emulator/tc3/listen";
import type { CallbackBody } from "../../../emulator/trtc/event-body";
import { EventDispatcher, type EventChaos } from "../../../emulator/trtc/events";
import { APP, BUCKET, recordingRequest, ROBOT, startWorld, startRecording } from "./fixture";

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: CallbackBody;
}

/** A callback receiver that answers `statusFor(n)` to its n-th request (1-based). */
async function receiver(statusFor: (n: number) => number = () => 200): Promise<Listening & { got: Received[]; url: string }> {
  const got: Received[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const status = statusFor(++n);
      if (status === 200) got.push({ headers: req.headers, raw, body: JSON.parse(raw) as CallbackBody });
      res.writeHead(status, { "content-type": "application/json" }).end('{"code":0}');
    });
  });
  const l = await listenLocal(server);
  return { ...l, got, url: `http://${l.hostPort}/trtc-events` };
}

const KEY = "callbackKey123";
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

function body(n: number): CallbackBody {
  return { EventGroupId: 1, EventType: 103, CallbackTs: n, EventInfo: { RoomId: 1, UserId: `u${n}` } };
}

async function dispatch(chaos: EventChaos, count: number, statusFor?: (n: number) => number, giveUpAfterMs = 200) {
  const r = await receiver(statusFor);
  closers.push(r.close);
  const d = new EventDispatcher({ chaos, retry: { intervalMs: 20, giveUpAfterMs } });
  closers.push(async () => d.close());
  for (let i = 1; i <= count; i++) d.emit({ url: r.url, key: KEY }, APP, body(i));
  await d.idle();
  return { d, r, order: r.got.map((g) => g.body.CallbackTs) };
}

describe("callbacks from the TRTC double", () => {
  it("are signed (Sign = base64 HMAC-SHA256 of the raw body) and arrive in TRTC's order and shape", async () => {
    const r = await receiver();
    closers.push(r.close);
    const w = await startWorld({ events: { url: r.url, key: KEY } });
    closers.push(w.close);
    const TaskId = await startRecording(w.client, recordingRequest(6001));
    const room = w.trtc.room(APP, 6001);
    room.join("teacher");
    await w.clock.advance(2000);
    await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId });
    await w.trtc.idle();
    room.leave("teacher");
    await w.trtc.idle();

    for (const g of r.got) {
      expect(g.headers["content-type"]).toBe("application/json");
      expect(g.headers.sdkappid).toBe(String(APP));
      expect(g.headers.sign).toBe(createHmac("sha256", KEY).update(g.raw).digest("base64"));
    }
    expect(r.got.map((g) => g.body.EventType)).toEqual([101, 301, 103, 303, 302, 305, 310, 104, 102]);
    // The robot's own enter/exit are not published unless robotRoomEvents is set.
    expect(r.got.filter((g) => g.body.EventGroupId === 1 && g.body.EventInfo.UserId === ROBOT)).toEqual([]);
    const byType = (t: number) => r.got.find((g) => g.body.EventType === t)?.body;
    expect(byType(103)?.EventInfo).toMatchObject({ RoomId: 6001, UserId: "teacher", Role: 20, Reason: 1 });
    // As in TRTC's examples: an integer room's RoomId is a number in 101 and 103, a string in 102.
    expect(byType(101)?.EventInfo.RoomId).toBe(6001);
    expect(byType(102)?.EventInfo.RoomId).toBe("6001");
    expect(byType(302)?.EventInfo).toMatchObject({ RoomId: "6001", UserId: ROBOT, TaskId, Payload: { LeaveCode: 0 }, EventTs: expect.any(String) });
    expect(byType(310)?.EventInfo.Payload).toMatchObject({
      Status: 0,
      FileList: [`${APP}_6001.mp4`],
      FileMessage: [{ FileName: `${APP}_6001.mp4`, UserId: "", TrackType: "audio_video", MediaId: "main" }],
    });
  });

  it("send one 310 per recorded file, and for a file kept on TRTC's server Status 1 now and Status 0 after its late upload", async () => {
    const r = await receiver();
    closers.push(r.close);
    const w = await startWorld({ events: { url: r.url, key: KEY }, splitEverySeconds: 2, lateUploads: (f) => f.endsWith("_2.mp4") });
    closers.push(w.close);
    const TaskId = await startRecording(w.client, recordingRequest(6003));
    w.trtc.room(APP, 6003).join("teacher");
    await w.clock.advance(5000);
    await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId });
    await w.trtc.idle();
    const files310 = () => r.got.filter((g) => g.body.EventType === 310).map((g) => g.body.EventInfo.Payload as { Status: number; FileList: string[] });
    const base = `${APP}_6003`;
    expect(files310()).toEqual([
      expect.objectContaining({ Status: 0, FileList: [`${base}_1.mp4`] }),
      expect.objectContaining({ Status: 1, FileList: [`${base}_2.mp4`] }),
      expect.objectContaining({ Status: 0, FileList: [`${base}_3.mp4`] }),
    ]);
    expect(w.cos.listKeys(BUCKET).filter((k) => k.endsWith(".mp4")).map((k) => k.slice(k.lastIndexOf("/") + 1))).toEqual([`${base}_1.mp4`, `${base}_3.mp4`]);
    await w.trtc.releaseLateUploads();
    expect(files310().at(-1)).toMatchObject({ Status: 0, FileList: [`${base}_2.mp4`] });
    expect(w.cos.listKeys(BUCKET).filter((k) => k.endsWith(".mp4"))).toHaveLength(3);
  });

  it("report a failed upload: 308 with COS's error code, then 310 with Status 1 for the file still on TRTC's server", async () => {
    const r = await receiver();
    closers.push(r.close);
    const w = await startWorld({ events: { url: r.url, key: KEY }, robotRoomEvents: true });
    closers.push(w.close);
    const req = recordingRequest(6002);
    const badKeys = { ...req, StorageParams: { CloudStorage: { ...req.StorageParams.CloudStorage!, SecretKey: "wrong-secret" } } };
    const TaskId = await startRecording(w.client, badKeys);
    w.trtc.room(APP, 6002).join("teacher");
    await w.clock.advance(1000);
    await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId });
    await w.trtc.idle();
    const types = r.got.map((g) => g.body.EventType);
    expect(types.filter((t) => t >= 300)).toEqual([301, 303, 302, 305, 308, 310]);
    expect(r.got.find((g) => g.body.EventType === 308)?.body.EventInfo.Payload).toMatchObject({ Code: "SignatureDoesNotMatch" });
    expect(r.got.find((g) => g.body.EventType === 310)?.body.EventInfo.Payload).toMatchObject({ Status: 1, FileList: [`${APP}_6002.mp4`] });
    // With robotRoomEvents the robot's entry is published, as an audience member.
    expect(r.got.find((g) => g.body.EventType === 103 && g.body.EventInfo.UserId === ROBOT)?.body.EventInfo).toMatchObject({ Role: 21 });
  });
});

describe("EventDispatcher", () => {
  it("retries a failing receiver at once and then every interval until it answers 200", async () => {
    // A generous give-up window: on a loaded machine the two retries must not race it.
    const { d, order } = await dispatch({}, 1, (n) => (n <= 2 ? 500 : 200), 60_000);
    expect(order).toEqual([1]);
    expect(d.deliveries.map((x) => [x.attempt, x.outcome])).toEqual([[1, 500], [2, 500], [3, 200]]);
  });

  it("gives up once the retry window has passed", async () => {
    const { d, order } = await dispatch({}, 1, () => 503);
    expect(order).toEqual([]);
    const attempts = d.deliveries.length;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(2 + 200 / 20);
  });

  it("duplicates every Nth event", async () => {
    const { order, d } = await dispatch({ duplicate: 2 }, 4);
    expect(order).toEqual([1, 2, 2, 3, 4, 4]);
    expect(d.deliveries.filter((x) => x.duplicate).length).toBe(2);
  });

  it("reorders: an event emitted while another is held overtakes it", async () => {
    const { order } = await dispatch({ reorder: { windowMs: 100 } }, 4);
    expect(order).toEqual([2, 1, 4, 3]);
  });

  it("drops every Nth event, and records that it did", async () => {
    const { order, d } = await dispatch({ drop: 3 }, 4);
    expect(order).toEqual([1, 2, 4]);
    expect(d.emitted.map((e) => e.dropped)).toEqual([false, false, true, false]);
  });

  it("makes the same probabilistic choices for the same seed", async () => {
    const a = await dispatch({ duplicate: 0.5, seed: 7 }, 12);
    const b = await dispatch({ duplicate: 0.5, seed: 7 }, 12);
    expect(a.order).toEqual(b.order);
    expect(a.order.length).toBeGreaterThan(12);
  });
});
