// Runs one ffmpeg process: stdin/stdout pipes, extra input pipes on fds 3.. (for the concat demuxer's "pipe:N"
// entries), the tail of stderr kept for an honest failure message, and a kill that the deadline logic can call.
import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Last lines of stderr (at most ~4 KB): ffmpeg's own explanation of a failure. */
  stderrTail: string;
  /** Set when the process could not be started at all (e.g. ENOENT for a wrong path). */
  spawnError?: string;
  /** Set when we killed it (deadline or a failing neighbour stage), so a non-zero exit is not ffmpeg's fault. */
  killed: boolean;
}

export interface FfmpegProcess {
  pid?: number;
  stdin: Writable | null;
  stdout: Readable;
  /** Writable ends of fds 3, 4, ... in order. */
  extraInputs: Writable[];
  exited: Promise<FfmpegExit>;
  kill(): void;
}

const TAIL_BYTES = 4096;

export function runFfmpeg(ffmpegPath: string, args: string[], opts: { stdin: boolean; extraInputs?: number; cwd?: string }): FfmpegProcess {
  const extra = opts.extraInputs ?? 0;
  const stdio: Array<"pipe" | "ignore"> = [opts.stdin ? "pipe" : "ignore", "pipe", "pipe", ...Array<"pipe">(extra).fill("pipe")];
  const child = spawn(ffmpegPath, args, { stdio, cwd: opts.cwd });
  let tail = "";
  let killed = false;
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (s: string) => {
    tail = (tail + s).slice(-TAIL_BYTES);
  });
  const extraInputs: Writable[] = [];
  for (let i = 0; i < extra; i++) {
    const w = child.stdio[3 + i] as Writable;
    // ffmpeg may close an input early (error, or it had read enough); the exit status tells that story.
    w.on("error", () => undefined);
    extraInputs.push(w);
  }
  child.stdin?.on("error", () => undefined);
  const exited = new Promise<FfmpegExit>((resolve) => {
    let spawnError: string | undefined;
    child.once("error", (err) => {
      spawnError = err.message;
      resolve({ code: null, signal: null, stderrTail: tail, spawnError, killed });
    });
    child.once("close", (code, signal) => resolve({ code, signal, stderrTail: tail, spawnError, killed }));
  });
  const stdout = child.stdout;
  if (!stdout) throw new Error("ffmpeg spawned without stdout");
  return {
    pid: child.pid,
    stdin: child.stdin,
    stdout,
    extraInputs,
    exited,
    kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed = true;
      child.kill("SIGKILL");
    },
  };
}

/** A one-line summary of why ffmpeg failed, for DeliveryOutcome.detail. */
export function describeExit(what: string, exit: FfmpegExit): string {
  if (exit.spawnError) return `${what}: could not start ffmpeg (${exit.spawnError})`;
  const lines = exit.stderrTail
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const last = lines.slice(-3).join(" | ");
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  return `${what}: ffmpeg ${how}${last ? `: ${last}` : ""}`;
}
