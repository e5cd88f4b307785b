// Attack: 10 MB bodies on POST /record. The recorder refuses a body over 16 KiB unread; the error lands in the status
// record (API Gateway, async) or is the answer (function URL, 413).
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../function/copy-deliver";
import { startRecorderHarness, type RecorderHarness } from "../function/harness";

let h: RecorderHarness;
afterEach(async () => h?.close());

const big = (h: RecorderHarness) => JSON.stringify({ ...h.recordRequest(), Padding: "p".repeat(10 * 1024 * 1024) });

describe("the POST /record body limit", () => {
  it("through API Gateway: FAILED with a (body) error saying the size, nothing parsed or started", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    await h.recorder({ ...h.apigwPost("/record", ""), body: big(h) }, { requestId: "huge-1" });
    const record = await h.record("huge-1");
    expect(record).toMatchObject({ status: "FAILED", errors: [{ field: "(body)", got: expect.stringMatching(/^a body of \d+ bytes \(not read\)$/) }] });
    expect(record?.errors?.[0]?.expected).toContain("at most 16384 bytes");
    expect(h.trtc.calls.filter((c) => c.action === "CreateCloudRecording")).toEqual([]);
  });

  it("through the function URL: 413 with the same error, nothing recorded", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, ingress: "function-url" });
    const r = await h.recorderApi({ ...h.apigwPost("/record", ""), body: big(h) }, { requestId: "huge-2" });
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: "InvalidRequest", errors: [{ field: "(body)" }] });
    expect(await h.record("huge-2")).toBeUndefined();
  });
});
