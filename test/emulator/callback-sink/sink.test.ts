// Proves the callback sink records deliveries, fails the requested number with 5xx, and refuses connections
// once closed, so the recorder's callback retries can be tested against it.
import { afterEach, describe, expect, it } from "vitest";
import { FaultInjector } from "../../../emulator/faults";
import { startCallbackSink, type CallbackSink } from "../../../emulator/callback-sink/sink";

let sink: CallbackSink | undefined;
afterEach(async () => {
  await sink?.close().catch(() => undefined);
  sink = undefined;
});

const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-sign": "abc" }, body: JSON.stringify(body) });

describe("callback sink", () => {
  it("records a POST with headers, raw body, parsed JSON and the status it answered", async () => {
    const s = (sink = await startCallbackSink());
    const res = await post(s.url, { TaskId: "t-1", Status: "finished" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 0 });
    const [got] = await s.waitFor(1, 5000);
    expect(got.json).toEqual({ TaskId: "t-1", Status: "finished" });
    expect(got.body).toBe('{"TaskId":"t-1","Status":"finished"}');
    expect(got.headers["x-sign"]).toBe("abc");
    expect(got.status).toBe(200);
    expect(got.path).toBe("/callback");
  });

  it("answers the first N deliveries with the configured 5xx, then accepts", async () => {
    const s = (sink = await startCallbackSink({ failFirst: 2, status: 503 }));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(s.url, { attempt: i })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(s.received.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("setFailures arms more failures later", async () => {
    const s = (sink = await startCallbackSink());
    expect((await post(s.url, {})).status).toBe(200);
    s.setFailures(1);
    expect((await post(s.url, {})).status).toBe(500);
    expect((await post(s.url, {})).status).toBe(200);
  });

  it("applies injected faults such as a reset", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "POST /callback", times: 1, fault: { kind: "reset" } });
    const s = (sink = await startCallbackSink({ faults }));
    await expect(post(s.url, {})).rejects.toThrow();
    expect((await post(s.url, {})).status).toBe(200);
    expect(s.received).toHaveLength(1);
  });

  it("records a non-JSON body without json, and refuses other methods with 405", async () => {
    const s = (sink = await startCallbackSink());
    await fetch(s.url, { method: "POST", body: "plain text" });
    expect(s.received[0].json).toBeUndefined();
    expect((await fetch(s.url)).status).toBe(405);
  });

  it("waitFor rejects with the count when deliveries do not come", async () => {
    const s = (sink = await startCallbackSink());
    await expect(s.waitFor(1, 50)).rejects.toThrow(/expected 1 deliveries within 50 ms, got 0/);
  });

  it("refuses connections once closed, like a dead endpoint", async () => {
    const s = await startCallbackSink();
    await s.close();
    await expect(post(s.url, {})).rejects.toThrow();
  });
});
