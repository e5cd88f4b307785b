// Frame-exact positions are what checkpoints are made of: ADTS frames in, MP3 frames out. Checked against real
// ffmpeg output, fed in awkward chunk sizes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdtsFramer, readAdtsHeader } from "../../../function/delivery/adts";
import { Mp3FrameReader } from "../../../function/delivery/mp3-frame-reader";
import { FFMPEG, makeMedia } from "./media";

let dir: string;
let adts: Buffer;
let mp3: Buffer;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "framing-"));
  adts = readFileSync(makeMedia(dir, "t.aac", { seconds: 3, container: "aac", audio: { tone: 500 } }));
  mp3 = execFileSync(FFMPEG, ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=500:sample_rate=48000:duration=3", "-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "0", "-f", "mp3", "pipe:1"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function frameOffsets(buf: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 0; at < buf.length; ) {
    offsets.push(at);
    at += readAdtsHeader(buf, at)!.frameLength;
  }
  return offsets;
}

async function throughFramer(input: Buffer, skip: number, chunk: number): Promise<{ out: Buffer; framer: AdtsFramer }> {
  const framer = new AdtsFramer(skip);
  const parts: Buffer[] = [];
  framer.on("data", (b: Buffer) => parts.push(b));
  const ended = new Promise<void>((resolve, reject) => {
    framer.on("end", resolve);
    framer.on("error", reject);
  });
  for (let i = 0; i < input.length; i += chunk) framer.write(input.subarray(i, i + chunk));
  framer.end();
  await ended;
  return { out: Buffer.concat(parts), framer };
}

describe("AdtsFramer", () => {
  it("counts every AAC frame (3 s at 48 kHz ≈ 141 frames) and passes the bytes through unchanged", async () => {
    const { out, framer } = await throughFramer(adts, 0, 777);
    expect(out.equals(adts)).toBe(true);
    expect(framer.aacFrames).toBe(frameOffsets(adts).length);
    expect(Math.abs(framer.aacFrames - (3 * 48000) / 1024)).toBeLessThan(3);
    expect(framer.sampleRate).toBe(48000);
  });

  it("skips exactly the first N frames (what a resumed run does)", async () => {
    const offsets = frameOffsets(adts);
    const { out, framer } = await throughFramer(adts, 50, 1000);
    expect(out.equals(adts.subarray(offsets[50]))).toBe(true);
    expect(framer.aacFrames).toBe(offsets.length);
  });

  it("rejects bytes that are not ADTS, and drops a cut-off last frame", async () => {
    await expect(throughFramer(Buffer.concat([adts.subarray(0, 2000), Buffer.alloc(500, 7)]), 0, 4096)).rejects.toThrow(/not an ADTS frame/);
    const offsets = frameOffsets(adts);
    const cut = adts.subarray(0, offsets[10] + 5);
    const { out, framer } = await throughFramer(cut, 0, 64);
    expect(out.equals(adts.subarray(0, offsets[10]))).toBe(true);
    expect(framer.droppedTailBytes).toBe(5);
  });
});

describe("Mp3FrameReader", () => {
  it("returns only whole frames, whatever the chunking, and their count gives the duration", () => {
    for (const chunk of [1, 333, 100_000]) {
      const r = new Mp3FrameReader();
      const out: Buffer[] = [];
      let frames = 0;
      for (let i = 0; i < mp3.length; i += chunk) {
        const got = r.push(mp3.subarray(i, i + chunk));
        out.push(got.bytes);
        frames += got.frames;
      }
      r.end();
      expect(Buffer.concat(out).equals(mp3)).toBe(true);
      expect(r.samplesPerFrame).toBe(1152);
      // 3 s plus the encoder's delay and padding: within two frames of 3 s.
      expect(Math.abs((frames * 1152) / 48000 - 3)).toBeLessThan(0.06);
    }
  });

  it("throws on non-MP3 output and on a stream that stops inside a frame", () => {
    expect(() => new Mp3FrameReader().push(Buffer.alloc(2000, 1))).toThrow(/not MP3/);
    const r = new Mp3FrameReader();
    r.push(mp3.subarray(0, 1000));
    expect(() => r.end()).toThrow(/inside an MP3 frame/);
  });
});
