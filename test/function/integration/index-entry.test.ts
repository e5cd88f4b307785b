// The bundle's real entry points (`index.recorder`, `index.recorderApi`) wired from process.env, as SCF runs them.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { recorder, recorderApi } from "../../../function/index";
import { scriptedDeliver } from "../copy-deliver";
import { startRecorderHarness, type RecorderHarness } from "../harness";

let h: RecorderHarness;
let saved: NodeJS.ProcessEnv;
let stdout: string[];

beforeEach(async () => {
  h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
  saved = { ...process.env };
  stdout = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const key of new Set([...Object.keys(h.env), "RECORDER_CLIENT_AUTH", "RECORDER_TRTC_REGION"])) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await h.close();
});

describe("index handlers", () => {
  it("serve the function's environment: a refused start is recorded and readable, logs go to stdout as JSON lines", async () => {
    Object.assign(process.env, h.env);
    const context = { request_id: "idx-1", getRemainingTimeInMillis: () => 60_000, time_limit_in_ms: 900_000 };
    const started = await recorder(h.apigwPost("/record", h.recordRequest({ Mode: "77" })), context);
    expect(started).toMatchObject({ recordingId: "idx-1", status: "FAILED" });
    const res = await recorderApi(h.apigwRequest("GET", "/recordings/idx-1"), { request_id: "api-1" });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ recordingId: "idx-1", status: "FAILED", errors: [{ field: "Mode" }] });
    expect(stdout.length).toBeGreaterThan(0);
    for (const line of stdout) expect(() => JSON.parse(line)).not.toThrow();
    expect(stdout.some((l) => JSON.parse(l).fn === "recorder")).toBe(true);
  });

  it("name the missing variable when the environment is incomplete, without echoing values", async () => {
    Object.assign(process.env, h.env);
    delete process.env.RECORDER_KMS_KEY_ID;
    const res = await recorderApi(h.apigwRequest("GET", "/recordings/x"), {});
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: "Misconfigured", message: expect.stringContaining("RECORDER_KMS_KEY_ID is not set") });
    await expect(recorder({ Type: "Timer" }, {})).rejects.toThrow(/RECORDER_KMS_KEY_ID/);
    expect(stdout.join("")).not.toContain(h.env.TENCENTCLOUD_SECRETKEY as string);
  });

  it("refuse to serve with an unknown RECORDER_CLIENT_AUTH (a typo is not 'no auth'), naming the variable and the allowed values", async () => {
    Object.assign(process.env, h.env, { RECORDER_CLIENT_AUTH: "api_key" });
    const res = await recorderApi(h.apigwRequest("GET", "/recordings/x"), {});
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: "Misconfigured", message: 'RECORDER_CLIENT_AUTH must be one of gateway, api-key, off (got "api_key")' });
    await expect(recorder({ Type: "Timer" }, {})).rejects.toThrow(/RECORDER_CLIENT_AUTH must be one of gateway, api-key, off/);
  });

  it("refuse to serve when TRTC cloud recording has no region to run in, naming RECORDER_TRTC_REGION", async () => {
    Object.assign(process.env, h.env, { TENCENTCLOUD_REGION: "ap-hongkong" });
    delete process.env.RECORDER_TRTC_REGION;
    const res = await recorderApi(h.apigwRequest("GET", "/recordings/x"), {});
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toMatchObject({ error: "Misconfigured", message: expect.stringContaining("RECORDER_TRTC_REGION is not set and the function's region ap-hongkong") });
  });
});
