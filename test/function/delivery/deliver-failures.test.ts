// Never losing a recording: COS faults during the upload are retried and the result is unchanged; failures that
// persist end in an honest Status/Message with the sources untouched; sources are deleted only when asked and only
// after COS confirmed the target.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliver } from "../../../function/delivery/deliver";
import type { CosLocation, DeliveryCheckpoint } from "../../../function/delivery/types";
import { FAST, sameBytes, STAGING, startHarness, TARGET, type Harness } from "./harness";
import { ffprobe, makeMedia } from "./media";

let media: string;
let h: Harness;
beforeAll(() => {
  media = mkdtempSync(path.join(os.tmpdir(), "delivery-media-"));
});
afterAll(() => rmSync(media, { recursive: true, force: true }));
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const av = (name: string, seconds: number, tone = 440) =>
  makeMedia(media, name, { seconds, container: "mp4", video: { width: 320, height: 180, fps: 15, gop: 15, bitrate: "1500k" }, audio: { tone } });

function stageTwo(): CosLocation[] {
  return [h.stage("rec/s1.mp4", av("s1.mp4", 6, 300)), h.stage("rec/s2.mp4", av("s2.mp4", 5, 600))];
}

function sourcesIntact(sources: CosLocation[], originals: Buffer[]): boolean {
  return sources.every((s, i) => h.cos.getObjectDirect(STAGING.bucket, s.key)?.equals(originals[i]) === true);
}

const job12 = (id: string, sources: CosLocation[], key: string, deleteSourcesAfter = false) => ({ recordingId: id, mode: "12" as const, sources, target: h.target(key), deleteSourcesAfter });

describe("transient COS faults", () => {
  it("retries part uploads through 500s and resets and ends byte-identical to a fault-free run", async () => {
    const sources = stageTwo();
    expect((await deliver(job12("clean", sources, "out/clean.mp4"), h.deps(), FAST)).kind).toBe("delivered");
    // Each SDK call makes 4 attempts; 5 failures in a row force one of our own retry rounds as well.
    h.cos.faults.add({ match: "UploadPart", times: 3, fault: { kind: "status", status: 500 } });
    h.cos.faults.add({ match: "UploadPart", times: 2, fault: { kind: "reset" } });
    const out = await deliver(job12("faulty", sources, "out/faulty.mp4"), h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    expect(h.cos.faults.applied.filter((a) => a.info.action === "UploadPart")).toHaveLength(5);
    // Stream copy and remux are deterministic, and a retried part carries the same bytes: identical objects.
    expect(sameBytes(h.cos.getObjectDirect(TARGET.bucket, "out/faulty.mp4"), h.cos.getObjectDirect(TARGET.bucket, "out/clean.mp4"))).toBe(true);
  });

  it("reads sources through dropped GET connections", async () => {
    const sources = stageTwo();
    h.cos.faults.add({ match: "GetObject", times: 6, fault: { kind: "reset" } });
    const out = await deliver(job12("get-faults", sources, "out/g.mp4"), h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    expect(h.cos.faults.applied.length).toBe(6);
    expect(Math.abs(ffprobe(h.targetFile("out/g.mp4")!).durationSeconds - 11)).toBeLessThan(0.5);
  });
});

describe("failures that persist", () => {
  it("reports COS write failed when part uploads keep failing, keeps the sources and the upload for a later resume", async () => {
    const sources = stageTwo();
    const originals = sources.map((s) => h.cos.getObjectDirect(STAGING.bucket, s.key)!);
    h.cos.faults.add({ match: "UploadPart", times: Infinity, fault: { kind: "status", status: 503 } });
    const out = await deliver(job12("w503", sources, "out/w.mp4", true), h.deps(), FAST);
    expect(out).toMatchObject({ kind: "failed", message: "COS write failed" });
    // Two parts are in flight at once: whichever fails first is reported, so no part number is assumed.
    expect(out.kind === "failed" && out.detail).toMatch(/UploadPart \d+ .*503/);
    expect(sourcesIntact(sources, originals)).toBe(true);
    expect(h.cos.getObjectDirect(TARGET.bucket, "out/w.mp4")).toBeUndefined();
    const uploads = h.cos.listUploadsDirect(TARGET.bucket);
    expect(uploads).toHaveLength(1);
    expect(h.saved.at(-1)?.upload?.uploadId).toBe(uploads[0].uploadId);
  });

  it("aborts the upload when COS refuses it for good (AccessDenied), sources untouched", async () => {
    const sources = stageTwo();
    const originals = sources.map((s) => h.cos.getObjectDirect(STAGING.bucket, s.key)!);
    h.cos.faults.add({ match: "UploadPart", times: Infinity, fault: { kind: "status", status: 403, code: "AccessDenied" } });
    const out = await deliver(job12("w403", sources, "out/d.mp4", true), h.deps(), FAST);
    expect(out).toMatchObject({ kind: "failed", message: "COS write failed" });
    expect(h.cos.listUploadsDirect(TARGET.bucket)).toEqual([]);
    expect(sourcesIntact(sources, originals)).toBe(true);
  });

  it("reports record failed for a missing source, and for no sources at all", async () => {
    const sources = [h.stage("rec/here.mp4", av("s1.mp4", 6)), { ...STAGING, key: "rec/never-written.mp4" }];
    const out = await deliver(job12("missing", sources, "out/m.mp4", true), h.deps(), FAST);
    expect(out).toMatchObject({ kind: "failed", message: "record failed" });
    expect(out.kind === "failed" && out.detail).toContain("rec/never-written.mp4");
    expect(h.cos.listKeys(STAGING.bucket, "rec/")).toEqual(["rec/here.mp4"]);
    expect(await deliver(job12("none", [], "out/n.mp4"), h.deps(), FAST)).toMatchObject({ kind: "failed", message: "record failed" });
  });

  it("reports transcode failed for a corrupt MP4 and for corrupt AAC, sources untouched, nothing left in the target", async () => {
    const corrupt = Buffer.concat([Buffer.from("0000001866747970697336000000000069736f6d6d703431", "hex"), Buffer.alloc(4096, 0x5a)]);
    const bad = h.stage("rec/bad.mp4", corrupt);
    const out = await deliver(job12("corrupt", [bad], "out/c.mp4", true), h.deps(), FAST);
    expect(out).toMatchObject({ kind: "failed", message: "transcode failed" });
    expect(sameBytes(h.cos.getObjectDirect(STAGING.bucket, "rec/bad.mp4"), corrupt)).toBe(true);

    // Valid ADTS at first, then noise: found while streaming, after the upload was opened.
    const good = makeMedia(media, "ok.aac", { seconds: 3, container: "aac", audio: { tone: 500 } });
    const adts = Buffer.concat([h.cos.getObjectDirect(STAGING.bucket, h.stage("rec/tmp.aac", good).key)!.subarray(0, 4000), Buffer.alloc(3000, 0x33)]);
    const badAac = h.stage("rec/bad.aac", adts);
    const out10 = await deliver({ recordingId: "corrupt-aac", mode: "10", sources: [badAac], target: h.target("out/c.mp3"), deleteSourcesAfter: true }, h.deps(), FAST);
    expect(out10).toMatchObject({ kind: "failed", message: "transcode failed" });
    expect(out10.kind === "failed" && out10.detail).toMatch(/ADTS/);
    expect(sameBytes(h.cos.getObjectDirect(STAGING.bucket, "rec/bad.aac"), adts)).toBe(true);
    expect(h.cos.listKeys(TARGET.bucket)).toEqual([]);
    expect(h.cos.listUploadsDirect(TARGET.bucket)).toEqual([]);
  });
});

describe("source deletion", () => {
  it("deletes the sources only when asked, after the target is confirmed", async () => {
    const sources = stageTwo();
    expect((await deliver(job12("keep", sources, "out/keep.mp4", false), h.deps(), FAST)).kind).toBe("delivered");
    expect(h.cos.listKeys(STAGING.bucket, "rec/")).toEqual(["rec/s1.mp4", "rec/s2.mp4"]);

    expect((await deliver(job12("drop", sources, "out/drop.mp4", true), h.deps(), FAST)).kind).toBe("delivered");
    expect(h.cos.listKeys(STAGING.bucket, "rec/")).toEqual([]);
    const heads = h.cos.requests.map((r, i) => ({ ...r, i })).filter((r) => r.operation === "HeadObject" && r.path === "/out/drop.mp4" && r.status === 200);
    const firstDelete = h.cos.requests.findIndex((r) => r.operation === "DeleteObject");
    expect(heads.length).toBeGreaterThan(0);
    expect(heads[0].i).toBeLessThan(firstDelete);
  });

  it("keeps the sources when the target cannot be confirmed", async () => {
    const sources = stageTwo();
    h.cos.faults.add({ match: "HEAD /out/", times: Infinity, fault: { kind: "status", status: 500 } });
    const out = await deliver(job12("unconfirmed", sources, "out/u.mp4", true), h.deps(), FAST);
    expect(out).toMatchObject({ kind: "failed", message: "COS write failed" });
    expect(h.cos.listKeys(STAGING.bucket, "rec/")).toEqual(["rec/s1.mp4", "rec/s2.mp4"]);
  });

  it("a checkpoint from a completed upload only confirms and cleans up", async () => {
    const sources = stageTwo();
    expect((await deliver(job12("twice", sources, "out/t.mp4"), h.deps(), FAST)).kind).toBe("delivered");
    const completed = h.saved.findLast((c) => c.phase === "completed") as DeliveryCheckpoint;
    const before = h.cos.requests.length;
    const out = await deliver({ ...job12("twice", sources, "out/t.mp4", true), checkpoint: completed }, h.deps(), FAST);
    expect(out.kind).toBe("delivered");
    const ops = h.cos.requests.slice(before).map((r) => r.operation);
    expect(ops).toEqual(["HeadObject", "DeleteObject", "DeleteObject"]);
  });
});

describe("server-side copy refused", () => {
  it("relays the bytes through the function when the target's keys cannot read the source", async () => {
    const src = h.stage("rec/one.mp4", av("s1.mp4", 6));
    h.cos.faults.add({ match: "PutObjectCopy", times: 1, fault: { kind: "status", status: 403, code: "AccessDenied" } });
    const out = await deliver(job12("relay", [src], "out/relay.mp4"), h.deps(), FAST);
    expect(out).toMatchObject({ kind: "delivered", copied: false });
    expect(sameBytes(h.cos.getObjectDirect(TARGET.bucket, "out/relay.mp4"), h.cos.getObjectDirect(STAGING.bucket, "rec/one.mp4"))).toBe(true);
  });
});
