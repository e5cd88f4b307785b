// HLS output (OutputFormat 0/1/2), cut from the rendered mix without re-encoding: TS segments named
// "<base>_<UTC start>.ts" and an index "<base>.m3u8" carrying TRTC's own tags (#EXT-X-TRTC-START-REC-TIME ...),
// as real recordings have them.
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runTool } from "./ffmpeg-run";
import { utcStamp } from "./naming";

export interface HlsOutput {
  /** Index first, then segments, all inside `outDir`. */
  files: string[];
  indexFile: string;
}

export async function cutHls(
  ffmpegPath: string,
  source: string,
  outDir: string,
  base: string,
  opts: { beginMs: number; segmentSeconds: number; video?: { width: number; height: number } },
): Promise<HlsOutput> {
  const rawIndex = join(outDir, `${base}.raw.m3u8`);
  await runTool(ffmpegPath, [
    "-hide_banner", "-loglevel", "error", "-y", "-i", source, "-map", "0", "-c", "copy", "-f", "hls",
    "-hls_time", String(opts.segmentSeconds), "-hls_list_size", "0", "-hls_playlist_type", "vod",
    "-hls_segment_filename", join(outDir, `${base}.raw_%05d.ts`), rawIndex,
  ]);
  const lines = (await readFile(rawIndex, "utf8")).split("\n").map((l) => l.trim());
  const entries: Array<{ duration: number; raw: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^#EXTINF:([\d.]+)/.exec(lines[i]);
    if (m) entries.push({ duration: Number(m[1]), raw: lines[i + 1] });
  }
  const out = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    "#EXT-X-ALLOW-CACHE:NO",
    "#EXT-X-MEDIA-SEQUENCE:0",
    `#EXT-X-TARGETDURATION:${Math.ceil(Math.max(1, ...entries.map((e) => e.duration)))}`,
    `#EXT-X-TRTC-START-REC-TIME:${opts.beginMs}`,
    "#EXT-X-TRTC-MIX-STREAM:1",
    ...(opts.video ? [`#EXT-X-TRTC-VIDEO-METADATA:WIDTH:${opts.video.width} HEIGHT:${opts.video.height}`] : []),
  ];
  const segments: string[] = [];
  let offsetMs = 0;
  for (const e of entries) {
    const name = `${base}_${utcStamp(opts.beginMs + Math.round(offsetMs))}.ts`;
    await rename(join(outDir, e.raw), join(outDir, name));
    out.push(`#EXTINF:${e.duration},`, name);
    segments.push(join(outDir, name));
    offsetMs += e.duration * 1000;
  }
  out.push("#EXT-X-ENDLIST", "");
  const indexFile = join(outDir, `${base}.m3u8`);
  await writeFile(indexFile, out.join("\n"));
  return { files: [indexFile, ...segments], indexFile };
}
