// Delivery benchmark: our deliver() (through the COS double, in its own process) against two baselines measured in
// the same run on the same machine, each case ≥ 3 times in alternating order (median shown):
//   - plain ffmpeg doing the same conversion file → file (mode 10 target: ours ≤ 1.1 × (plain + transport), where
//     transport is the same SDK moving the same source and output bytes through the same double);
//   - the I/O floor for mode 12: the same bytes GET through the SDK and PUT back as 8 MiB multipart parts, no
//     ffmpeg (target: ours ≤ 1.2 × floor).
// Prints wall time, recorded minutes per wall-second, ratios, peak local disk (≤ 64 MB when streaming applies) and
// peak RSS. No assertions: honest numbers.
//   npx tsx bench/delivery/run.ts [--minutes N (default 30)] [--samples N (default 3)] [--quick (2 minutes, 3 samples)]
//                                 [--mode 10|12 (one mode's cases only)]
import { spawn, type ChildProcess } from "node:child_process";
import { Writable } from "node:stream";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import COS from "cos-nodejs-sdk-v5";
import { realClock } from "../../function/delivery/clock";
import { deliver } from "../../function/delivery/deliver";
import type { CosLocation, DeliveryLog, Mode } from "../../function/delivery/types";
import { benchRecording } from "./recording";
import { startSampler, type Peaks } from "./sampler";

const FFMPEG = path.resolve("node_modules/@ffmpeg-installer/linux-x64/ffmpeg");
const FFPROBE = path.resolve("node_modules/@ffprobe-installer/linux-x64/ffprobe");
const KEY = { secretId: "AKIDbench0000000000000000000000000000", secretKey: "bench-secret-key-0000000000000000" };
const STAGING = { bucket: "staging-1250000000", region: "ap-guangzhou" };
const TARGET = { bucket: "caller-1250000000", region: "ap-guangzhou" };

function minutesArg(): number {
  const argv = process.argv.slice(2);
  if (argv.includes("--quick")) return 2;
  const i = argv.indexOf("--minutes");
  const n = i >= 0 ? Number(argv[i + 1]) : Number(process.env.BENCH_MINUTES ?? 30);
  return Number.isFinite(n) && n > 0 ? n : 30;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("close", (code) => resolve(code)));
}

async function startDouble(seeds: Array<{ key: string; file: string }>): Promise<{ hostPort: string; child: ChildProcess }> {
  const args = [
    path.resolve("node_modules/tsx/dist/cli.mjs"),
    path.resolve("bench/delivery/cos-double-process.ts"),
    KEY.secretId,
    KEY.secretKey,
    [STAGING, TARGET].map((b) => `${b.bucket}:${b.region}`).join(","),
    ...seeds.map((s) => `${STAGING.bucket}/${s.key}=${s.file}`),
  ];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const m = /^READY (\S+)/.exec(line);
    if (m) return { hostPort: m[1], child };
  }
  throw new Error("COS double process ended before it was ready");
}

async function timePlain(args: string[], output: string): Promise<{ seconds: number; peaks: Peaks }> {
  const t0 = process.hrtime.bigint();
  const child = spawn(FFMPEG, args, { stdio: ["ignore", "ignore", "inherit"] });
  const stop = startSampler({ files: [output], rss: { kind: "pid", pid: () => child.pid } });
  const code = await exitOf(child);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peaks = stop();
  if (code !== 0) throw new Error(`plain ffmpeg failed (exit ${code}): ${args.join(" ")}`);
  return { seconds, peaks };
}

async function download(cos: COS, loc: CosLocation, file: string): Promise<void> {
  await cos.getObject({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, Output: createWriteStream(file) });
}

function durationOf(file: string): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(FFPROBE, ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file]);
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.on("close", () => resolve(Number(out.trim())));
  });
}

function samplesArg(): number {
  const i = process.argv.indexOf("--samples");
  const n = i >= 0 ? Number(process.argv[i + 1]) : 3;
  return Number.isInteger(n) && n >= 3 ? n : 3;
}

/**
 * What moving the bytes costs here without ffmpeg: GET each source through the SDK and PUT the bytes — the sources'
 * own (mode 12: the output is the same bytes) or a given output file (mode 10: plain ffmpeg's MP3) — as 8 MiB
 * multipart parts, with the same SDK and double as deliver().
 */
async function transport(cos: COS, label: string, keys: string[], scratch: string, outputFile?: string): Promise<Row> {
  const workDir = mkdtempSync(path.join(scratch, "floor-"));
  const stop = startSampler({ dir: workDir, rss: { kind: "self-and-ffmpeg-children" } });
  const start = process.hrtime.bigint();
  const target = { Bucket: TARGET.bucket, Region: TARGET.region, Key: `out/floor-${Date.now()}.bin` };
  const { UploadId } = await cos.multipartInit(target);
  const parts: Array<{ PartNumber: number; ETag: string }> = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const body = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    const r = await cos.multipartUpload({ ...target, UploadId, PartNumber: parts.length + 1, Body: body, ContentLength: body.length });
    parts.push({ PartNumber: parts.length + 1, ETag: r.ETag });
  };
  const keep = outputFile === undefined;
  for (const key of keys) {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (!keep) return done();
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= 8 * 1024 * 1024) flush().then(() => done(), done);
        else done();
      },
    });
    await cos.getObject({ Bucket: STAGING.bucket, Region: STAGING.region, Key: key, Output: sink });
  }
  if (outputFile !== undefined) {
    const bytes = readFileSync(outputFile);
    for (let at = 0; at < bytes.length; at += 8 * 1024 * 1024) {
      pending.push(bytes.subarray(at, Math.min(bytes.length, at + 8 * 1024 * 1024)));
      pendingBytes = 1;
      await flush();
    }
  }
  if (pendingBytes > 0) await flush();
  await cos.multipartComplete({ ...target, UploadId, Parts: parts });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { label, seconds, peaks: stop(), outputSeconds: NaN, note: "same bytes, same SDK and double, no ffmpeg" };
}

interface Row {
  label: string;
  seconds: number;
  peaks: Peaks;
  outputSeconds: number;
  note: string;
}

async function main(): Promise<void> {
  const minutes = minutesArg();
  const root = path.resolve(".tmp/bench/delivery");
  mkdirSync(root, { recursive: true });
  const t0 = Date.now();
  const rec = benchRecording(FFMPEG, minutes, root);
  const setupSeconds = (Date.now() - t0) / 1000;
  const scratch = mkdtempSync(path.join(root, "run-"));
  const partKeys = rec.parts.map((_, i) => `rec/part_${i}.mp4`);
  const double = await startDouble([...rec.parts.map((file, i) => ({ key: partKeys[i], file })), { key: "rec/audio.m4a", file: rec.m4a }]);
  const cos = new COS({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, Protocol: "http:", Ip: double.hostPort });
  const quiet: DeliveryLog = { info: () => undefined, warn: (m, f) => console.warn("  warn:", m, f ?? ""), error: (m, f) => console.error("  error:", m, f ?? "") };
  const rows: Row[] = [];
  const recorded = rec.seconds / 60;
  const loadBefore = os.loadavg()[0];

  async function ours(label: string, mode: Mode, sources: string[], key: string): Promise<Row> {
    const workDir = mkdtempSync(path.join(scratch, "work-"));
    const baseline = process.memoryUsage().rss;
    const stop = startSampler({ dir: workDir, rss: { kind: "self-and-ffmpeg-children" } });
    const start = process.hrtime.bigint();
    const out = await deliver(
      { recordingId: `bench-${mode}`, mode, sources: sources.map((k) => ({ ...STAGING, key: k })), target: { ...TARGET, key }, deleteSourcesAfter: false },
      { sourceCos: cos, targetCos: cos, ffmpegPath: FFMPEG, workDir, log: quiet, deadlineMs: Date.now() + 3_600_000, clock: realClock(), saveCheckpoint: async () => undefined },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const peaks = stop();
    if (out.kind !== "delivered") throw new Error(`${label}: ${JSON.stringify(out)}`);
    const file = path.join(scratch, path.basename(key));
    await download(cos, { ...TARGET, key }, file);
    return { label, seconds, peaks, outputSeconds: await durationOf(file), note: `node RSS before: ${(baseline / 2 ** 20).toFixed(0)} MB` };
  }

  const samples = samplesArg();
  const plainMp3 = path.join(scratch, "plain.mp3");
  const list = path.join(scratch, "parts.ffconcat");
  writeFileSync(list, "ffconcat version 1.0\n" + rec.parts.map((p) => `file '${p}'\n`).join(""));
  const plainMp4 = path.join(scratch, "plain.mp4");
  const cases: Array<{ id: string; run: () => Promise<Row> }> = [
    {
      id: "10 plain",
      run: async () => {
        const p = await timePlain(["-hide_banner", "-loglevel", "error", "-y", "-i", rec.m4a, "-vn", "-c:a", "libmp3lame", "-b:a", "128k", plainMp3], plainMp3);
        return { label: "mode 10  plain ffmpeg (file → file)", ...p, outputSeconds: await durationOf(plainMp3), note: "disk = its output file" };
      },
    },
    { id: "10 ours", run: () => ours("mode 10  deliver() via COS double", "10", ["rec/audio.m4a"], "out/bench.mp3") },
    // Needs plain's MP3 on disk: the first round runs "10 plain" before it in either order (see below).
    { id: "10 transport", run: () => transport(cos, "mode 10  transport: SDK GET m4a + PUT the MP3", ["rec/audio.m4a"], scratch, plainMp3) },
    {
      id: "12 plain",
      run: async () => {
        const p = await timePlain(["-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i", list, "-map", "0:v:0", "-map", "0:a:0", "-c", "copy", plainMp4], plainMp4);
        return { label: "mode 12  plain ffmpeg concat copy", ...p, outputSeconds: await durationOf(plainMp4), note: "disk = its output file" };
      },
    },
    { id: "12 ours", run: () => ours("mode 12  deliver() via COS double", "12", partKeys, "out/bench.mp4") },
    { id: "12 floor", run: () => transport(cos, "mode 12  I/O floor: SDK GET + PUT, no ffmpeg", partKeys, scratch) },
  ];
  const modeArg = process.argv.indexOf("--mode");
  if (modeArg >= 0) {
    const only = process.argv[modeArg + 1];
    cases.splice(0, cases.length, ...cases.filter((c) => c.id.startsWith(`${only} `)));
    if (cases.length === 0) throw new Error(`--mode: expected 10 or 12, got ${only}`);
  }
  const results = new Map<string, Row[]>(cases.map((c) => [c.id, []]));
  for (let i = 0; i < samples; i++) {
    // Alternate the order each round so drift on the machine hits every case alike; the first round goes forward so
    // the MP3 the mode 10 transport uploads exists.
    const order = i % 2 === 0 ? cases : [...cases].reverse();
    for (const c of order) results.get(c.id)!.push(await c.run());
  }
  const med = (id: string): Row => {
    const xs = [...results.get(id)!].sort((a, b) => a.seconds - b.seconds);
    const mid = xs[Math.floor(xs.length / 2)]!;
    return { ...mid, peaks: { diskBytes: Math.max(...xs.map((x) => x.peaks.diskBytes)), rssBytes: Math.max(...xs.map((x) => x.peaks.rssBytes)) }, outputSeconds: xs.find((x) => !Number.isNaN(x.outputSeconds))?.outputSeconds ?? NaN };
  };
  for (const c of cases) rows.push(med(c.id));
  const spread = (id: string) => results.get(id)!.map((r) => r.seconds.toFixed(2)).join("/");

  double.child.stdin?.end();
  await exitOf(double.child);
  rmSync(scratch, { recursive: true, force: true });

  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  console.log(`\ndelivery bench: ${minutes}-minute 6-tile recording (480x240 @ 15 fps, 550 kbps H.264 + 64 kbps AAC), ${rec.parts.length} source files; ${os.cpus().length} cores, node ${process.version}`);
  console.log(`(source generation/cache: ${setupSeconds.toFixed(1)} s, not measured; 1-min load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after: other work on the machine skews the ratios)\n`);
  const header = ["case", "median s", "samples s", "rec-min/s", "peak disk", "peak RSS", "output s", "note"];
  const table = rows.map((r, i) => [r.label, r.seconds.toFixed(2), spread(cases[i]!.id), (recorded / r.seconds).toFixed(1), mb(r.peaks.diskBytes), mb(r.peaks.rssBytes), Number.isNaN(r.outputSeconds) ? "-" : r.outputSeconds.toFixed(1), r.note]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((s, c) => s.padEnd(widths[c]!)).join("  ");
  console.log(line(header));
  for (const row of table) console.log(line(row));
  const sec = (id: string) => rows[cases.findIndex((c) => c.id === id)]?.seconds ?? NaN;
  console.log(`\nratios (medians of ${samples} samples each, alternating order):`);
  const ratio = (label: string, value: number, target = "") => {
    if (!Number.isNaN(value)) console.log(`  ${label.padEnd(35)}${value.toFixed(2)}${target ? `  (target ≤ ${target})` : ""}`);
  };
  ratio("mode 12 ours / I/O floor", sec("12 ours") / sec("12 floor"), "1.20");
  ratio("mode 12 ours / plain ffmpeg", sec("12 ours") / sec("12 plain"));
  ratio("mode 10 ours / (plain + transport)", sec("10 ours") / (sec("10 plain") + sec("10 transport")), "1.10");
  ratio("mode 10 ours / plain ffmpeg", sec("10 ours") / sec("10 plain"));
  console.log("\ntarget: peak local disk ≤ 64 MB when streaming applies (sources with the moov first, as here)");
  console.log("RSS: plain = the ffmpeg process; ours = this Node process (SDK, part buffers) + its ffmpeg children; the COS double runs in another process and is not counted.");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
