// The command lines are the contract with ffmpeg: these tests pin the choices the design depends on (CBR MP3 without
// ID3/Xing so a resumed encode can be appended; fragmented MP4 on stdout; -an for mode 11; stream copy).
import { describe, expect, it } from "vitest";
import { concatList, extractAdtsArgs, FRAGMENTED_MP4_FLAGS, mp3Args, mp4Args } from "../../../function/delivery/ffmpeg-args";

function after(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe("mp3Args", () => {
  it("encodes ADTS from stdin to constant-bit-rate MP3 on stdout with no ID3 tag and no Xing frame", () => {
    const a = mp3Args();
    expect(after(a, "-f")).toBe("aac");
    expect(after(a, "-i")).toBe("pipe:0");
    expect(after(a, "-c:a")).toBe("libmp3lame");
    expect(after(a, "-b:a")).toBe("128k");
    expect(after(a, "-id3v2_version")).toBe("0");
    expect(after(a, "-write_xing")).toBe("0");
    expect(a.slice(-3)).toEqual(["-f", "mp3", "pipe:1"]);
    expect(a).not.toContain("-af");
  });

  it("trims decoded samples before a resume point with atrim", () => {
    expect(after(mp3Args({ trimStartSamples: 1500 }), "-af")).toBe("atrim=start_sample=1500,asetpts=PTS-STARTPTS");
  });
});

describe("extractAdtsArgs", () => {
  it("copies the first audio stream to ADTS without re-encoding", () => {
    const a = extractAdtsArgs("pipe:0");
    expect(after(a, "-map")).toBe("0:a:0");
    expect(after(a, "-c:a")).toBe("copy");
    expect(a.slice(-3)).toEqual(["-f", "adts", "pipe:1"]);
  });
});

describe("mp4Args", () => {
  it("mode 11: video stream copied, audio dropped, fragmented MP4 on stdout", () => {
    const a = mp4Args({ concatList: "list.ffconcat", withAudio: false });
    expect(after(a, "-f")).toBe("concat");
    expect(after(a, "-map")).toBe("0:v:0");
    expect(a).toContain("-an");
    expect(after(a, "-c")).toBe("copy");
    expect(after(a, "-movflags")).toBe(FRAGMENTED_MP4_FLAGS);
    expect(FRAGMENTED_MP4_FLAGS).toBe("frag_keyframe+empty_moov+default_base_moof");
    expect(a.slice(-3)).toEqual(["-f", "mp4", "pipe:1"]);
  });

  it("mode 12: maps the audio too (optional, so a silent source still works)", () => {
    const a = mp4Args({ concatList: "l", withAudio: true });
    expect(a).toContain("0:a:0?");
    expect(a).not.toContain("-an");
  });

  it("re-encodes to the first source's size only when asked", () => {
    const a = mp4Args({ concatList: "l", withAudio: true, reencode: { width: 480, height: 240 } });
    expect(after(a, "-c:v")).toBe("libx264");
    expect(after(a, "-vf")).toBe("scale=480:240,setsar=1");
    expect(after(a, "-c:a")).toBe("aac");
    expect(a).not.toContain("copy");
  });
});

describe("concatList", () => {
  it("quotes paths the ffconcat way and gives the in-point to the first entry", () => {
    expect(concatList([{ url: "pipe:3", inpoint: 7.5 }, { url: "/w/it's.mp4" }])).toBe("ffconcat version 1.0\nfile 'pipe:3'\ninpoint 7.500000\nfile '/w/it'\\''s.mp4'\n");
  });
});
