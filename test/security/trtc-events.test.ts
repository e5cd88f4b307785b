// Attack: replay or re-address TRTC's signed event callbacks (any age, another SdkAppId in the unsigned header,
// non-canonical Sign encodings, huge bodies).
import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../function/copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../function/harness";

let h: RecorderHarness;
beforeEach(async () => {
  h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
});
afterEach(async () => h?.close());

const sign = (body: string) => createHmac("sha256", HARNESS.secrets.trtcEventKey).update(body).digest("base64");

function roomEvent(over: { callbackTs?: number; eventMsTs?: number; extra?: Record<string, unknown>; userId?: string } = {}): string {
  const now = Date.now();
  return JSON.stringify({
    EventGroupId: 1,
    EventType: 103,
    CallbackTs: over.callbackTs ?? now,
    EventInfo: { RoomId: 1234, EventTs: Math.floor((over.eventMsTs ?? now) / 1000), EventMsTs: over.eventMsTs ?? now, UserId: over.userId ?? "teacher", Role: 20, UniqueId: 1 },
    ...over.extra,
  });
}

/** A room event whose canonical Sign matches `re` (the users differ; the first match is taken, so this is deterministic). */
function bodyWithSignMatching(re: RegExp): string {
  for (let i = 0; i < 1000; i++) {
    const body = roomEvent({ userId: `teacher_${i}` });
    if (re.test(sign(body))) return body;
  }
  throw new Error(`no room event among 1000 has a Sign matching ${re}`);
}

async function post(body: string, headers: Record<string, string>) {
  const r = await h.recorderApi(h.apigwRequest("POST", "/trtc-events", body, headers));
  return { status: r.statusCode, body: JSON.parse(r.body) as { code: number; message?: string } };
}

const stored = () => h.stateKeys("events/");

describe("TRTC event callbacks", () => {
  it("accepts a fresh, canonically signed event", async () => {
    const body = roomEvent();
    expect((await post(body, { sign: sign(body), sdkappid: String(HARNESS.sdkAppId) })).status).toBe(200);
    expect(await stored()).toHaveLength(1);
  });

  it("refuses a signed event older than TRTC's retry window plus a margin (a replay), and stores nothing", async () => {
    const old = Date.now() - 10 * 60_000;
    const body = roomEvent({ callbackTs: old, eventMsTs: old });
    const r = await post(body, { sign: sign(body), sdkappid: String(HARNESS.sdkAppId) });
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/replay/);
    expect(await stored()).toEqual([]);
  });

  it("takes the SdkAppId from the signed body: a header that disagrees is refused", async () => {
    const body = roomEvent({ extra: { SdkAppId: HARNESS.sdkAppId } });
    const r = await post(body, { sign: sign(body), sdkappid: "1400000002" });
    expect(r.status).toBe(401);
    expect(await stored()).toEqual([]);
  });

  it.each([
    ["base64url", (s: string) => s.replace(/\+/g, "-").replace(/\//g, "_")],
    ["without padding", (s: string) => s.replace(/=+$/, "")],
    ["with surrounding whitespace", (s: string) => ` ${s} `],
    ["with a line break inside", (s: string) => `${s.slice(0, 20)}\n${s.slice(20)}`],
    ["with junk after the padding", (s: string) => `${s}AAAA`],
    ["duplicated (joined by the platform)", (s: string) => `${s}, ${s}`],
    ["as hex", (_s: string, body: string) => createHmac("sha256", HARNESS.secrets.trtcEventKey).update(body).digest("hex")],
  ])("refuses a Sign %s", async (_name, spell) => {
    // A body whose signature has a "+" or "/": otherwise base64url would equal base64 and the case proves nothing.
    const body = bodyWithSignMatching(/[+/]/);
    const r = await post(body, { sign: spell(sign(body), body), sdkappid: String(HARNESS.sdkAppId) });
    expect(r.status).toBe(401);
    expect(await stored()).toEqual([]);
  });

  it("refuses a signed body over the size cap before storing it", async () => {
    const body = roomEvent({ extra: { Padding: "p".repeat(10 * 1024 * 1024) } });
    const r = await post(body, { sign: sign(body), sdkappid: String(HARNESS.sdkAppId) });
    expect(r.status).toBe(413);
    expect(await stored()).toEqual([]);
  });
});
