import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { postResult, type FetchLike } from "../../../function/callback/post-result";
import { createLogger } from "../../../function/log/logger";
import { createMasker } from "../../../function/log/mask";

function harness(statuses: Array<number | Error>) {
  const calls: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  const sleeps: number[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers, body: init.body });
    const next = statuses[Math.min(calls.length - 1, statuses.length - 1)];
    if (next instanceof Error) throw next;
    return { status: next };
  };
  const lines: string[] = [];
  const log = createLogger({ sink: (l) => lines.push(l), masker: createMasker(), now: () => 0 });
  return { calls, sleeps, lines, deps: { fetch, sleep: async (ms: number) => void sleeps.push(ms), log, policy: { attempts: 4, baseDelayMs: 100, timeoutMs: 1000 } } };
}

const input = { url: "https://cb.example/x", body: '{"SdkAppId":"1"}', recordingId: "rec-1", signingKey: "sign-key-123456" };

describe("callback POST", () => {
  it("signs the exact body with HMAC-SHA256 (hex) and sends the recording id as Idempotency-Key", async () => {
    const h = harness([200]);
    const report = await postResult(input, h.deps);
    expect(report).toEqual({ delivered: true, attempts: 1, signed: true, lastStatus: 200 });
    expect(h.calls[0].headers["x-signature"]).toBe(createHmac("sha256", "sign-key-123456").update(input.body).digest("hex"));
    expect(h.calls[0].headers["idempotency-key"]).toBe("rec-1");
    expect(h.calls[0].body).toBe(input.body);
  });

  it("retries 5xx and network errors with exponential backoff, then succeeds", async () => {
    const h = harness([503, new Error("ECONNREFUSED"), 200]);
    const report = await postResult(input, h.deps);
    expect(report).toMatchObject({ delivered: true, attempts: 3 });
    expect(h.sleeps).toEqual([100, 200]);
  });

  it("gives up after the bounded number of attempts", async () => {
    const h = harness([new Error("ECONNREFUSED")]);
    const report = await postResult(input, h.deps);
    expect(report).toMatchObject({ delivered: false, attempts: 4, lastError: "ECONNREFUSED" });
    expect(h.sleeps).toEqual([100, 200, 400]);
  });

  it("does not retry a 4xx refusal", async () => {
    const h = harness([400, 200]);
    expect(await postResult(input, h.deps)).toMatchObject({ delivered: false, attempts: 1, lastStatus: 400 });
  });

  it("sends unsigned when no key is provisioned, and says so", async () => {
    const h = harness([200]);
    const report = await postResult({ ...input, signingKey: undefined }, h.deps);
    expect(report.signed).toBe(false);
    expect(h.calls[0].headers["x-signature"]).toBeUndefined();
  });
});
