// ffmpeg command lines per output, as pure functions (the tests read them without running anything).

/** fragmented MP4: every key frame starts a fragment (moof+mdat), the moov is written first and holds no samples. */
export const FRAGMENTED_MP4_FLAGS = "frag_keyframe+empty_moov+default_base_moof";

const COMMON = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning"];

/** MP3 bit rate: constant, because a piped MP3 has no Xing/LAME header and players size a VBR stream wrongly. */
export const MP3_BITRATE = "128k";

/**
 * Encoder delay libmp3lame adds at the start of every encode (ffmpeg reports it as initial_padding: LAME's 576 +
 * the 529-sample decoder delay). A resumed encode starts this much earlier in the input so that nothing is lost.
 */
export const MP3_ENCODER_DELAY_SAMPLES = 1105;

/** AAC in an MP4/M4A (stdin or a file) → the same AAC frames as ADTS on stdout, no re-encoding. */
export function extractAdtsArgs(input: string): string[] {
  return [...COMMON, "-i", input, "-map", "0:a:0", "-c:a", "copy", "-f", "adts", "pipe:1"];
}

/** ADTS on stdin → MP3 on stdout; `trimStartSamples` drops decoded samples before the resume point. */
export function mp3Args(opts: { trimStartSamples?: number } = {}): string[] {
  const trim = opts.trimStartSamples && opts.trimStartSamples > 0 ? ["-af", `atrim=start_sample=${opts.trimStartSamples},asetpts=PTS-STARTPTS`] : [];
  return [
    ...COMMON,
    "-f", "aac", "-i", "pipe:0",
    ...trim,
    "-vn", "-c:a", "libmp3lame", "-b:a", MP3_BITRATE,
    // No ID3 tag (it would appear again mid-file after a resume) and no Xing header (impossible on a pipe anyway).
    "-id3v2_version", "0", "-write_xing", "0",
    "-f", "mp3", "pipe:1",
  ];
}

export interface Mp4ArgsOptions {
  /** The ffconcat list (file path) naming the sources, in order. */
  concatList: string;
  withAudio: boolean;
  /** Re-encode video (sources differ in resolution/codec); otherwise stream copy. */
  reencode?: { width: number; height: number };
}

/** Sources via the concat demuxer → fragmented MP4 on stdout (video only with `-an` for mode 11). */
export function mp4Args(opts: Mp4ArgsOptions): string[] {
  const codecs = opts.reencode
    ? [
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-vf", `scale=${opts.reencode.width}:${opts.reencode.height},setsar=1`,
        ...(opts.withAudio ? ["-c:a", "aac", "-b:a", "128k"] : []),
      ]
    : ["-c", "copy"];
  return [
    ...COMMON,
    "-f", "concat", "-safe", "0", "-protocol_whitelist", "file,pipe", "-i", opts.concatList,
    "-map", "0:v:0",
    ...(opts.withAudio ? ["-map", "0:a:0?"] : ["-an"]),
    "-sn", "-dn",
    ...codecs,
    // Interleaving of concatenated sources can run ahead on one stream; allow a deeper queue than the default 128.
    "-max_muxing_queue_size", "1024",
    "-movflags", FRAGMENTED_MP4_FLAGS,
    "-f", "mp4", "pipe:1",
  ];
}

export interface ConcatEntry {
  /** "pipe:N" for a source streamed on fd N, or a local file path. */
  url: string;
  /** Start inside this entry (seconds, the entry's own timeline): the first entry of a resumed run. */
  inpoint?: number;
}

/** ffconcat list text; paths are single-quoted with ffmpeg's escaping of quotes. */
export function concatList(entries: ConcatEntry[]): string {
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const lines = ["ffconcat version 1.0"];
  for (const e of entries) {
    lines.push(`file ${quote(e.url)}`);
    if (e.inpoint !== undefined) lines.push(`inpoint ${e.inpoint.toFixed(6)}`);
  }
  return lines.join("\n") + "\n";
}
