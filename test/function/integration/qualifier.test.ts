// Every async self-invocation names the alias the stack deployed (RECORDER_QUALIFIER): SCF's Invoke runs `$LATEST`
// when no Qualifier is given, which would bypass promotion and canary weights.
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
afterEach(async () => {
  await h.close();
});

describe("async invocations and the alias", () => {
  it("deliveries from TRTC events, the watchdog and hand-overs all invoke RECORDER_QUALIFIER", async () => {
    const d = scriptedDeliver();
    d.script.push("continue");
    h = await startRecorderHarness({ deliver: d.deliver, trtcEvents: true });
    h.trtc.room(HARNESS.sdkAppId, 777).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 777 })), { requestId: "rec-q" });
    await h.trtc.advance(10_000);
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-q"));
    await h.settleTrtc();
    await h.recorder(h.timerEvent());
    await h.runQueued();
    expect((await h.record("rec-q"))?.status).toBe("FINISHED");
    const reasons = h.scf.accepted.map((i) => (i.event as { reason?: string }).reason);
    expect(reasons).toEqual(expect.arrayContaining(["continue"]));
    expect(h.scf.accepted.length).toBeGreaterThan(1);
    for (const inv of h.scf.accepted) expect(inv.qualifier).toBe(HARNESS.qualifier);
  });

  it("an alias that does not exist is SCF's ResourceNotFound.Qualifier, not a silent $LATEST run", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, trtcEvents: true, env: { RECORDER_QUALIFIER: "no-such-alias" } });
    h.trtc.room(HARNESS.sdkAppId, 778).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 778 })), { requestId: "rec-q2" });
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-q2"));
    await h.settleTrtc();
    expect(h.scf.accepted).toEqual([]);
    expect(h.logs.some((l) => l.includes("ResourceNotFound.Qualifier"))).toBe(true);
  });
});
