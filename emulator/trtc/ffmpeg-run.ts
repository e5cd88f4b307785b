// Running the bundled static ffmpeg/ffprobe: one place that resolves their paths and turns a failed run into an
// error carrying the tail of stderr (ffmpeg's only useful diagnostics).
import { execFile } from "node:child_process";
import { join } from "node:path";

/** The static ffmpeg 4.1 from @ffmpeg-installer/linux-x64 (tests run from the repository root). */
export const DEFAULT_FFMPEG = join(process.cwd(), "node_modules/@ffmpeg-installer/linux-x64/ffmpeg");
/** ffprobe from @ffprobe-installer/linux-x64 (the ffmpeg package ships none). */
export const DEFAULT_FFPROBE = join(process.cwd(), "node_modules/@ffprobe-installer/linux-x64/ffprobe");

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Runs a media tool; rejects with the command's last stderr lines when it exits non-zero. */
export function runTool(binary: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { encoding: "buffer", maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const errText = stderr.toString("utf8");
      if (err) {
        const tail = errText.trim().split("\n").slice(-8).join("\n");
        reject(new Error(`${binary.split("/").pop()} failed (${err.message.split("\n")[0]}):\n${tail}`));
        return;
      }
      resolve({ stdout, stderr: errText });
    });
  });
}
