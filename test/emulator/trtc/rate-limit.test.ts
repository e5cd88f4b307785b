// TRTC's per-action frequency limits in the double: RequestLimitExceeded as the real SDK sees it, counted on the
// double's clock (a ManualClock here, so which call is refused is decided by the test, not by timing).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiter, TRTC_RATE_LIMITS } from "../../../emulator/trtc/rate-limit";
import { APP, errorCode, recordingRequest, startRecording, startWorld, type World } from "./fixture";

describe("RateLimiter (sliding one-second window per action)", () => {
  it("admits the documented 20 calls per second per action, refuses the 21st, and admits again a second later", () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 20; i++) expect(limiter.admit("DescribeCloudRecording")).toBe(true);
    expect(limiter.admit("DescribeCloudRecording")).toBe(false);
    // Another action has its own budget.
    expect(limiter.admit("ModifyCloudRecording")).toBe(true);
    now += 999;
    expect(limiter.admit("DescribeCloudRecording")).toBe(false);
    now += 1;
    expect(limiter.admit("DescribeCloudRecording")).toBe(true);
    expect(limiter.counts.get("DescribeCloudRecording")).toEqual({ admitted: 21, refused: 2 });
  });

  it("keeps any one-second window within the limit when calls are spread (no burst at a window edge)", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now, { perWindow: { DescribeCloudRecording: 4 } });
    const admittedAt: number[] = [];
    for (let t = 0; t < 3000; t += 100) {
      now = t;
      if (limiter.admit("DescribeCloudRecording")) admittedAt.push(t);
    }
    for (const start of admittedAt) expect(admittedAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(4);
    expect(admittedAt.length).toBe(12);
  });

  it("documents 20/s for the four cloud-recording actions and leaves other actions unlimited", () => {
    expect(TRTC_RATE_LIMITS).toEqual({ CreateCloudRecording: 20, DescribeCloudRecording: 20, ModifyCloudRecording: 20, DeleteCloudRecording: 20 });
    const limiter = new RateLimiter(() => 0);
    for (let i = 0; i < 100; i++) expect(limiter.admit("RemoveUser")).toBe(true);
  });

  it("refuses a limit that is not a positive integer with a specific error", () => {
    expect(() => new RateLimiter(() => 0, { perWindow: { DescribeCloudRecording: 0 } })).toThrow(/DescribeCloudRecording must be a positive integer \(got 0\)/);
  });
});

describe("the TRTC double answers RequestLimitExceeded through the real SDK", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ rateLimits: { perWindow: { DescribeCloudRecording: 2, CreateCloudRecording: 20 } } });
  });
  afterAll(async () => {
    await w.close();
  });

  it("refuses the third Describe within one second of the double's clock, and serves it once the clock moved on", async () => {
    const TaskId = await startRecording(w.client, recordingRequest(7001));
    await w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId });
    await w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId });
    expect(await errorCode(w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId }))).toBe("RequestLimitExceeded");
    await w.clock.advance(1000);
    expect((await w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId })).Status).toBe("Idle");
    expect(w.trtc.rateLimiter?.counts.get("DescribeCloudRecording")).toEqual({ admitted: 3, refused: 1 });
    await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId });
  });
});
