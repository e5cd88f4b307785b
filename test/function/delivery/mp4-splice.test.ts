// Resuming a stream copy mid-recording: ffmpeg restarted at the key frame where the last uploaded part ended must
// continue the uploaded fragments seamlessly. Judged by ffmpeg itself: the spliced file has exactly the packets
// (timestamps, sizes, contents) of an uninterrupted run, whether the cut is inside the first source, inside a later
// one, or right at a source boundary.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concatList, mp4Args } from "../../../function/delivery/ffmpeg-args";
import { childBoxes } from "../../../function/delivery/mp4-boxes";
import { Mp4FragmentReader } from "../../../function/delivery/mp4-fragment-reader";
import { parseMoof, serialiseMoof } from "../../../function/delivery/mp4-moof";
import { parseMoov } from "../../../function/delivery/mp4-moov";
import { mp4Start } from "../../../function/delivery/mp4-production";
import { Mp4Splicer, type SpliceOutput } from "../../../function/delivery/mp4-splice";
import type { ProbedSource } from "../../../function/delivery/source-probe";
import { FFMPEG, makeMedia, packetDigest } from "./media";

let dir: string;
let files: string[];
let sources: ProbedSource[];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "splice-"));
  // GOP 1 s at 15 fps; the second source has a different tone, the third no different: three TRTC-like splits.
  files = [
    makeMedia(dir, "a.mp4", { seconds: 6, container: "mp4", video: { width: 160, height: 90, fps: 15, gop: 15 }, audio: { tone: 300 } }),
    makeMedia(dir, "b.mp4", { seconds: 5, container: "mp4", video: { width: 160, height: 90, fps: 15, gop: 15 }, audio: { tone: 600 } }),
    makeMedia(dir, "c.mp4", { seconds: 4, container: "mp4", video: { width: 160, height: 90, fps: 15, gop: 15 }, audio: { tone: 900 } }),
  ];
  sources = files.map((f, index) => {
    const buf = readFileSync(f);
    const moovBox = childBoxes(buf, 0, buf.length).find((b) => b.type === "moov")!;
    return { index, location: { bucket: "b-1", region: "r", key: path.basename(f) }, size: buf.length, etag: "e", format: "mp4", streamable: true, moov: parseMoov(buf, moovBox) };
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ffmpeg over the concat list (local files), through reader + splicer. */
function run(entries: Array<{ url: string; inpoint?: number }>, splicer: Mp4Splicer): SpliceOutput[] {
  const list = path.join(dir, `list-${Math.random().toString(36).slice(2)}.ffconcat`);
  writeFileSync(list, concatList(entries));
  const out = execFileSync(FFMPEG, mp4Args({ concatList: list, withAudio: true }), { maxBuffer: 256 * 1024 * 1024 });
  const reader = new Mp4FragmentReader();
  const outputs: SpliceOutput[] = [];
  for (let i = 0; i < out.length; i += 50_000) for (const u of reader.push(out.subarray(i, i + 50_000))) outputs.push(...splicer.accept(u));
  for (const u of reader.end()) outputs.push(...splicer.accept(u));
  return outputs;
}

function write(name: string, parts: SpliceOutput[]): string {
  const f = path.join(dir, name);
  writeFileSync(f, Buffer.concat(parts.flatMap((p) => p.bytes)));
  return f;
}

describe("splicing a resumed stream copy", () => {
  it("parses and re-serialises ffmpeg's moof boxes byte for byte", () => {
    const list = path.join(dir, "rt.ffconcat");
    writeFileSync(list, concatList([{ url: files[0] }]));
    const out = execFileSync(FFMPEG, mp4Args({ concatList: list, withAudio: true }));
    const moofs = childBoxes(out, 0, out.length).filter((b) => b.type === "moof");
    expect(moofs.length).toBeGreaterThan(3);
    for (const m of moofs) {
      const bytes = out.subarray(m.offset, m.offset + m.size);
      expect(serialiseMoof(parseMoof(bytes)).equals(bytes)).toBe(true);
    }
  });

  // Cut before fragment `k` (1-based count of fragments kept), resume from the checkpoint, compare with the whole.
  it.each([
    ["inside the first source", 3],
    ["inside the second source", 8],
    ["at the start of the second source", 6],
    ["inside the last source", 13],
  ])("%s", (_label, kept) => {
    const whole = run(files.map((url) => ({ url })), new Mp4Splicer());
    const reference = write(`ref-${kept}.mp4`, whole);
    // whole[0] is the init segment, whole[1..] fragments; the part boundary goes before fragment kept+1.
    const cut = whole[1 + kept].cut!;
    expect(cut.fragmentsDone).toBe(kept);
    const resumed = JSON.parse(JSON.stringify(cut)) as typeof cut;
    const start = mp4Start(resumed, sources);
    const entries = sources.slice(start.firstSource).map((s, i) => ({ url: files[s.index], inpoint: i === 0 ? start.inpoint : undefined }));
    const rest = run(entries, new Mp4Splicer(resumed));
    const spliced = write(`spliced-${kept}.mp4`, [...whole.slice(0, 1 + kept), ...rest]);
    expect(packetDigest(spliced)).toBe(packetDigest(reference));
  });
});
