// "Copy server-side, no download": for a single matching MP4 the function reads only what it needs to know the
// streams (HEAD, the first 64 KiB and the moov, by ranged GETs) and never the media itself; COS does the copy.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { deliver } from "../../../function/delivery/deliver";
import { FAST, startHarness, type Harness } from "./harness";
import { makeMedia } from "./media";

let h: Harness;
let media: string;
beforeEach(async () => {
  h = await startHarness();
  media = mkdtempSync(path.join(os.tmpdir(), "nodl-"));
});
afterEach(async () => {
  await h.close();
  rmSync(media, { recursive: true, force: true });
});

function rangeOf(opt: unknown): { method: string; url: string; range?: string } {
  const o = opt as { method?: string; url?: string; headers?: Record<string, string> };
  return { method: String(o.method ?? ""), url: String(o.url ?? ""), range: o.headers?.Range ?? o.headers?.range };
}

it.each([
  ["faststart (moov first)", false],
  ["moov at the end", true],
])("copies a single matching MP4 (%s) with PUT Object - Copy and only ranged reads of its header", async (_label, moovAtEnd) => {
  const file = makeMedia(media, `av-${moovAtEnd}.mp4`, { seconds: 20, container: "mp4", moovAtEnd, video: { width: 320, height: 180, fps: 15, gop: 15, bitrate: "2000k" }, audio: { tone: 440 } });
  const src = h.stage("rec/whole.mp4", file);
  const size = h.cos.getObjectDirect(src.bucket, src.key)!.length;
  const sent: Array<ReturnType<typeof rangeOf>> = [];
  h.client.on("before-send", (opt: unknown) => sent.push(rangeOf(opt)));

  const out = await deliver({ recordingId: "nodl", mode: "12", sources: [src], target: h.target("out/copied.mp4"), deleteSourcesAfter: false }, h.deps(), FAST);
  expect(out).toMatchObject({ kind: "delivered", copied: true, size });

  expect(h.cos.requests.filter((r) => r.operation === "PutObjectCopy" && r.status === 200)).toHaveLength(1);
  expect(h.cos.requests.filter((r) => r.operation === "UploadPart")).toHaveLength(0);
  const sourceGets = sent.filter((s) => s.method === "GET" && s.url.endsWith("/rec/whole.mp4"));
  expect(sourceGets.length).toBeGreaterThan(0);
  expect(sourceGets.every((g) => g.range !== undefined)).toBe(true);
  const bytesRead = sourceGets.reduce((n, g) => {
    const m = /bytes=(\d+)-(\d+)/.exec(g.range!)!;
    return n + Number(m[2]) - Number(m[1]) + 1;
  }, 0);
  expect(bytesRead).toBeLessThan(size / 10);
});
