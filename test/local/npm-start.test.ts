// `npm start` as a person runs it (local/cli.ts in a child process): the default scenario — 3 anchors, about 10 s,
// Mode 12 — exits 0 after printing the result, and the file it points to is a real recording of that room.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/app";
import { mediaTools } from "../../local/media-tools";
import { colorMatches, durationSeconds, probeStreams, tileColor, toneLevelDb, TONE_PRESENT_DB } from "../../emulator/trtc/media-probe";

const out = mkdtempSync(join(tmpdir(), "npm-start-test-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(REPO_ROOT, "node_modules", ".bin", "tsx"), [join(REPO_ROOT, "local", "cli.ts"), ...args], { cwd: REPO_ROOT, env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm start (default scenario)", () => {
  it("records a 3-anchor room for about 10 s in Mode 12, prints the result, the file and a contact sheet, and exits 0", async () => {
    const timings = join(out, "timings.json");
    const run = await runCli(["--out", out, "--timings-json", timings]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    for (const text of ["anchor_1 joined", "anchor_3 joined", "Async run task submitted", "x-scf-reqid", "is RUNNING", "is FINISHED", "callback received", "Result (the callback body)", "Contact sheet:"]) {
      expect(run.stdout).toContain(text);
    }
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as { RoomId: string; Files: Array<{ RecordFile: string; Status: number }> };
    expect(result.RoomId).toBe("1234");
    expect(result.Files).toHaveLength(1);
    expect(result.Files[0].Status).toBe(1);
    const file = join(out, decodeURIComponent(result.Files[0].RecordFile.split("/").pop() ?? ""));
    expect(run.stdout).toContain(file);

    // ffprobe: an MP4 with H.264 video and AAC audio, about as long as the class.
    const tools = mediaTools();
    const streams = await probeStreams(file, tools);
    expect(streams.map((s) => `${s.type}:${s.codec}`).sort()).toEqual(["audio:aac", "video:h264"]);
    const duration = await durationSeconds(file, tools);
    expect(duration).toBeGreaterThan(8.5);
    expect(duration).toBeLessThan(13);
    // The three anchors' tiles (grid: red, lime / blue) and their tones are in the mix.
    const video = streams.find((s) => s.type === "video");
    const [w, h] = [video?.width ?? 0, video?.height ?? 0];
    const tiles = [
      { color: "red", rect: { x: 0, y: 0, w: w / 2, h: h / 2 } },
      { color: "lime", rect: { x: w / 2, y: 0, w: w / 2, h: h / 2 } },
      { color: "blue", rect: { x: 0, y: h / 2, w: w / 2, h: h / 2 } },
    ];
    for (const t of tiles) expect(colorMatches(await tileColor(file, duration / 2, t.rect, tools), t.color)).toBe(true);
    for (const hz of [300, 500, 700]) expect(await toneLevelDb(file, hz, {}, tools)).toBeGreaterThan(TONE_PRESENT_DB);

    // The contact sheet is a PNG of four frames in a row.
    const sheet = join(out, "contact-sheet.png");
    expect(existsSync(sheet)).toBe(true);
    const png = PNG.sync.read(readFileSync(sheet));
    expect(png.width).toBeGreaterThan(png.height);
    const split = JSON.parse(readFileSync(timings, "utf8")) as Record<string, number>;
    for (const k of ["synthMs", "coldStartMs", "recordingMs", "deliveryMs", "totalMs"]) expect(split[k]).toBeGreaterThanOrEqual(0);
  }, 180_000);

  it("refuses unknown flags with the usage and exit code 2", async () => {
    const run = await runCli(["--anchors", "0", "--bogus"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown option '--bogus'|--anchors/);
    expect(run.stderr).toContain("--str-room-id");
  });
});
