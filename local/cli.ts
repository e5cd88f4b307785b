// `npm start`: synthesize the local stack when stale, start the embedded local cloud, record a simulated room end to
// end, print the result, the recording's local path and a contact sheet; exit 0. `--keep` leaves it running.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { startLocalCloud, type LocalCloud } from "./cloud";
import { startKeptConsole, waitForSignal } from "./console/keep";
import type { LocalConsole } from "./console/server";
import { curlExamples } from "./curl-examples";
import { describeCloud } from "./describe-cloud";
import { mediaTools } from "./media-tools";
import { parseCliArgs, USAGE, type CliOptions } from "./scenario/options";
import { consolePrinter } from "./scenario/printer";
import { runScenario } from "./scenario/run";
import { benchSplit, renderSplit } from "./scenario/timings";
import { durationSeconds, probeStreams } from "../emulator/trtc/media-probe";

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function describeFile(path: string, bytes: number): Promise<string> {
  const tools = mediaTools();
  const streams = await probeStreams(path, tools);
  const duration = await durationSeconds(path, tools);
  const parts = streams.map((s) => (s.type === "video" ? `${s.codec} ${s.width}x${s.height}` : s.type === "audio" ? `${s.codec} ${s.sampleRate} Hz` : s.codec));
  return `${path}  (${kib(bytes)}, ${duration.toFixed(1)} s, ${parts.join(" + ")})`;
}

async function main(options: CliOptions): Promise<number> {
  const processStart = performance.timeOrigin;
  const printer = consolePrinter();
  const cloudStartedAt = Date.now();
  let cloud: LocalCloud | undefined;
  let web: LocalConsole | undefined;
  try {
    cloud = await startLocalCloud({ synth: options.resynth ? "always" : "if-stale", speed: options.speed });
    printer.raw(describeCloud(cloud));
    // Started before the scenario so the page shows it live; `npm run room` finds it through the discovery file.
    if (options.keep) web = await startKeptConsole(cloud, options.scenario, (line) => printer.raw(line));
    printer.raw("");
    const result = await runScenario(cloud, options.scenario, printer, mediaTools(), options.verbose);
    printer.raw("\nResult (the callback body):");
    printer.raw(JSON.stringify(result.result, null, 2));
    for (const f of result.files) printer.raw(`Recording:     ${await describeFile(f.localPath, f.bytes)}`);
    if (result.contactSheet) printer.raw(`Contact sheet: ${result.contactSheet.path}  (${result.contactSheet.kind === "frames" ? `${result.contactSheet.frames} frames` : "0-2 kHz spectrogram: one band per anchor's tone"})`);
    printer.raw(`Result JSON:   ${result.outDir}/result.json`);
    const split = benchSplit(cloud, result, processStart, cloudStartedAt);
    printer.raw(`\nTimings:\n${renderSplit(split)}`);
    if (options.timingsJson) writeFileSync(options.timingsJson, `${JSON.stringify({ ...split, callbackAt: result.marks.callback }, null, 2)}\n`);
    if (options.keep) {
      printer.raw(`\nThe local cloud keeps running (Ctrl-C to stop). Console: ${web?.url ?? "(not started)"}. Try:\n${curlExamples(cloud, options.scenario, result.recordingId).join("\n")}`);
      await waitForSignal();
    }
    return 0;
  } finally {
    await web?.close();
    await cloud?.stop();
  }
}

const parsed = parseCliArgs(process.argv.slice(2));
if (!parsed.ok) {
  console.error(`${parsed.errors.join("\n")}\n\n${USAGE}`);
  process.exit(2);
} else if (parsed.options.help) {
  console.log(USAGE);
} else {
  main(parsed.options).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      process.exit(1);
    },
  );
}
