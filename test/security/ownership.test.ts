// Attack: make my request an alias of the victim's recording, then read (callback URL + token, TaskId, staging) and
// stop it through my own id. Recordings belong to the authenticated identity (and client) that started them.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { recorderApiHandler } from "../../function/entries/recorder-api";
import { writeRuntimeSecret } from "../../function/secrets/runtime-secrets";
import { mintUserSig } from "../../emulator/trtc/usersig-mint";
import { scriptedDeliver } from "../function/copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../function/harness";

const ATTACKER_KEY = "1111111111111111111111111111111111111111111111111111111111111111";
let h: RecorderHarness;
afterEach(async () => h?.close());

const body = (r: { body: string }) => JSON.parse(r.body) as Record<string, unknown>;

describe("through API Gateway (ids are SCF request ids)", () => {
  it("a forged repeat of the victim's identity is no alias: its id neither reads nor stops the victim's recording", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    const victimCallback = `${h.sink.url}?token=victim-callback-token-0001`;
    await h.recorder(h.apigwPost("/record", h.recordRequest({ Callback: victimCallback })), { requestId: "victim" });
    const victim = await h.record("victim");
    expect(victim?.status).toBe("RUNNING");

    const forged = h.recordRequest({ UserSig: mintUserSig(HARNESS.sdkAppId, ATTACKER_KEY, "recorder_1") });
    await h.recorder(h.apigwPost("/record", forged), { requestId: "attacker" });
    expect((await h.record("attacker"))?.sameAs).toBeUndefined();

    const read = await h.recorderApi(h.apigwRequest("GET", "/recordings/attacker"));
    expect(read.body).not.toContain("victim");
    expect(read.body).not.toContain(victim?.engine?.taskId ?? "no-task");
    expect(body(read)).toMatchObject({ recordingId: "attacker", status: "FAILED" });
    const stop = await h.recorderApi(h.apigwRequest("DELETE", "/recordings/attacker"));
    expect(stop.statusCode).toBe(409);
    expect(h.trtc.calls.filter((c) => c.action === "DeleteCloudRecording")).toEqual([]);
    expect((await h.record("victim"))?.status).toBe("RUNNING");
  });

  it("a repeat by the same key pair joins the running recording; another key pair with a valid UserSig is refused", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    const asKeyPair = (secretId: string, event: Record<string, unknown>) => {
      const ctx = event.requestContext as Record<string, unknown>;
      return { ...event, requestContext: { ...ctx, identity: { secretId } } };
    };
    await h.recorder(asKeyPair("AKIDclientA", h.apigwPost("/record", h.recordRequest())), { requestId: "a-1" });
    await h.recorder(asKeyPair("AKIDclientA", h.apigwPost("/record", h.recordRequest())), { requestId: "a-2" });
    expect((await h.record("a-2"))?.sameAs).toBe("a-1");
    await h.recorder(asKeyPair("AKIDclientB", h.apigwPost("/record", h.recordRequest())), { requestId: "b-1" });
    const b = await h.record("b-1");
    expect(b?.sameAs).toBeUndefined();
    expect(b).toMatchObject({ status: "FAILED", failure: { detail: expect.stringContaining("another caller") } });
    expect(b?.failure?.detail).not.toContain("a-1");
    expect(h.trtc.calls.filter((c) => c.action === "CreateCloudRecording")).toHaveLength(1);
  });

  it("shows callback URLs without their query (receivers keep tokens there)", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ Callback: `${h.sink.url}?token=secret-receiver-token-01` })), { requestId: "cb-1" });
    const read = await h.recorderApi(h.apigwRequest("GET", "/recordings/cb-1"));
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain("secret-receiver-token-01");
    expect(body(read).spec).toMatchObject({ callback: `${h.sink.url}?…` });
  });
});

describe("through the function URL with client API keys", () => {
  const KEY_A = "client-key-A-0123456789abcdef";
  const KEY_B = "client-key-B-0123456789abcdef";

  async function start() {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, ingress: "function-url", env: { RECORDER_CLIENT_AUTH: "api-key" } });
    const w = h.wire();
    await writeRuntimeSecret(w.deps.state, w.deps.kms, HARNESS.kmsKeyId, "secrets/", "client-api-keys", JSON.stringify([KEY_A, KEY_B]));
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
  }
  const api = async (key: string, method: string, path: string, payload?: unknown) => {
    const w = h.wire();
    const event = h.apigwRequest(method, path, payload === undefined ? "" : JSON.stringify(payload), { authorization: `Bearer ${key}` });
    return recorderApiHandler(w.recorder, w.log, w.ingress, w.clientAuth)(event, { requestId: randomUUID(), remainingMs: () => 900_000 });
  };

  it("another client never sees, joins or stops a recording it did not start", async () => {
    await start();
    const started = await api(KEY_A, "POST", "/record", h.recordRequest());
    expect(started.statusCode).toBe(202);
    const id = String(body(started).recordingId);
    await h.runQueued();
    expect((await h.record(id))?.status).toBe("RUNNING");

    const join = await api(KEY_B, "POST", "/record", h.recordRequest());
    expect(join.statusCode).toBe(409);
    expect(join.body).not.toContain(id);
    expect((await api(KEY_B, "GET", `/recordings/${id}`)).statusCode).toBe(404);
    expect((await api(KEY_B, "DELETE", `/recordings/${id}`)).statusCode).toBe(404);
    expect((await h.record(id))?.status).toBe("RUNNING");

    const mine = await api(KEY_A, "POST", "/record", h.recordRequest());
    expect(body(mine)).toMatchObject({ recordingId: id, duplicate: true });
    expect((await api(KEY_A, "GET", `/recordings/${id}`)).statusCode).toBe(200);
    expect((await api(KEY_A, "DELETE", `/recordings/${id}`)).statusCode).toBe(202);
  });
});
