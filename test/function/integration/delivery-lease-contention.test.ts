// Delivery invocations that meet at the lease, with the interleavings forced by store hooks (no timing): a 310's
// delivery refused because a 302's invocation held the lease for a moment must still deliver when that one lets
// go, and an invocation killed right after taking its lease is finished by SCF's retry of it. TRTC's events are
// captured (chaos drops every send) and posted by the test, so it decides what is logged when.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { CallbackBody } from "../../../emulator/trtc/event-body";
import { recorderHandler } from "../../../function/entries/recorder";
import { createRecorder } from "../../../function/recording/recorder";
import { LEASE_RELEASED } from "../../../function/recording/kit";
import { stateKeys } from "../../../function/state/keys";
import { leaseWaitersPrefix } from "../../../function/state/leases";
import type { StateStore } from "../../../function/state/store";
import { scriptedDeliver, type ScriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";
import type { QueuedInvocation } from "../scf-invoke-service";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

const ID = "rec-lease";

/** A recording whose class ended and whose files TRTC uploaded; its 302 and 310 are held back. */
async function endedRecording(d: ScriptedDeliver): Promise<{ e302: CallbackBody; e310: CallbackBody }> {
  h = await startRecorderHarness({ deliver: d.deliver, trtcEvents: true, trtcEventChaos: { drop: 1 } });
  const room = h.trtc.room(HARNESS.sdkAppId, 1234);
  room.join("teacher");
  await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: ID });
  await h.trtc.advance(5_000);
  room.dismiss();
  await h.settleTrtc();
  const sent = h.trtc.events.emitted.map((e) => e.body);
  const e302 = sent.find((b) => b.EventType === 302);
  const e310 = sent.find((b) => b.EventType === 310);
  if (!e302 || !e310) throw new Error(`the TRTC double emitted no 302/310 (got ${sent.map((b) => b.EventType).join(", ")})`);
  return { e302, e310 };
}

/** TRTC's POST of one event to /trtc-events (signed as TRTC signs); returns the delivery it queued. */
async function post(body: CallbackBody): Promise<QueuedInvocation> {
  const raw = JSON.stringify(body);
  const sign = createHmac("sha256", HARNESS.secrets.trtcEventKey).update(raw).digest("base64");
  const res = await h.recorderApi(h.apigwRequest("POST", "/trtc-events", raw, { sdkappid: String(HARNESS.sdkAppId), sign }));
  expect(res.statusCode).toBe(200);
  const queued = h.scf.queue.shift();
  if (!queued) throw new Error(`event ${body.EventType} queued no delivery`);
  return queued;
}

/** Runs one queued invocation like SCF (same request id on a retry) over `store` in place of the real one. */
function invokeOver(store: StateStore, q: QueuedInvocation): Promise<unknown> {
  const w = h.wire();
  return recorderHandler(createRecorder({ ...w.deps, state: store }), w.log)(q.event, { requestId: q.requestId, remainingMs: () => 900_000 });
}

const isLeaseGeneration = (key: string) => key.startsWith(stateKeys.leasePrefix(ID)) && /\d{10}\.json$/.test(key);
const outcomeOf = (r: unknown) => (r as { outcome?: string }).outcome;

function callbacksFor(roomId: string) {
  return h.sink.received.filter((c) => (c.json as { RoomId?: string }).RoomId === roomId);
}

describe("delivery invocations meeting at the lease", () => {
  it("a 310 refused while the 302's invocation holds the lease is delivered as soon as that one releases it", async () => {
    const d = scriptedDeliver();
    const { e302, e310 } = await endedRecording(d);
    const q302 = await post(e302);

    // The 302's delivery has decided "not yet" (no 310 logged) and is about to release the lease: it stops there.
    const base = h.wire().deps.state;
    let reached!: () => void;
    const atRelease = new Promise<void>((r) => (reached = r));
    let letGo!: () => void;
    const gate = new Promise<void>((r) => (letGo = r));
    const gated: StateStore = {
      ...base,
      put: async (key, body) => {
        if (isLeaseGeneration(key) && String(body).includes('"released": true')) {
          reached();
          await gate;
        }
        return base.put(key, body);
      },
    };
    const first = invokeOver(gated, q302);
    await atRelease;

    // Meanwhile the 310 arrives; its delivery finds the lease held and is refused.
    const q310 = await post(e310);
    expect(outcomeOf(await h.recorder(q310.event, { requestId: q310.requestId }))).toBe("busy");

    letGo();
    expect(outcomeOf(await first)).toBe("waiting");
    // The release woke the refused request: delivery runs now, not at the watchdog's next look a minute or two on.
    const woken = await h.runQueued();
    expect(woken.map((x) => (x.invocation.event as { reason?: string }).reason)).toEqual([LEASE_RELEASED]);
    expect(outcomeOf(woken[0]?.result)).toBe("delivered");
    expect(await h.record(ID)).toMatchObject({ status: "FINISHED" });
    expect(d.calls).toHaveLength(1);
    expect(callbacksFor("1234")).toHaveLength(1);
  });

  for (const killed of ["302", "310"] as const) {
    it(`the ${killed}'s delivery killed right after taking the lease: SCF's retry of it re-enters, and the other one refused meanwhile is not lost`, async () => {
      const d = scriptedDeliver();
      const { e302, e310 } = await endedRecording(d);
      const q302 = await post(e302);
      const q310 = killed === "310" ? await post(e310) : undefined;
      const victim = killed === "302" ? q302 : (q310 as QueuedInvocation);

      // The instance dies the moment its lease is written: nothing after that create ever happens.
      const base = h.wire().deps.state;
      let died!: () => void;
      const dead = new Promise<void>((r) => (died = r));
      const dying: StateStore = {
        ...base,
        create: async (key, body) => {
          const created = await base.create(key, body);
          if (!created || !isLeaseGeneration(key)) return created;
          died();
          return new Promise<boolean>(() => undefined);
        },
      };
      void invokeOver(dying, victim);
      await dead;

      // The other delivery comes while the dead invocation's lease is held: refused.
      const other = killed === "302" ? await post(e310) : q302;
      expect(outcomeOf(await h.recorder(other.event, { requestId: other.requestId }))).toBe("busy");

      // SCF's retry of the killed invocation (same request id) re-enters its lease and carries on.
      await h.recorder(victim.event, { requestId: victim.requestId });
      await h.runQueued();
      expect(await h.record(ID)).toMatchObject({ status: "FINISHED" });
      expect(d.calls).toHaveLength(1);
      expect(callbacksFor("1234")).toHaveLength(1);
      expect(await h.stateKeys(leaseWaitersPrefix(ID))).toEqual([]);
    });
  }
});
