// Small handler bundles for runtime tests: real zips (built with yazl) holding an index.js with the handlers a test
// needs, deployed through the same deployFunctions path as the recorder bundle.
import { createWriteStream, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yazl from "yazl";
import type { LocalDeployment, LocalFunction } from "../../../emulator/deployment";

export async function writeZip(path: string, entries: Array<{ name: string; data: string | Buffer; mode?: number }>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data), e.name, { mode: e.mode ?? 0o644 });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(path)).on("close", resolve).on("error", reject);
  });
  return path;
}

/** Handlers every runtime test can call; each reads what it needs from the event. */
export const FAKE_HANDLERS = `
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
exports.echo = async (event, context) => ({
  event,
  context: { ...context, remaining: context.getRemainingTimeInMillis() },
  env: { CFS_PATH: process.env.CFS_PATH, FFMPEG_PATH: process.env.FFMPEG_PATH, TMPDIR: process.env.TMPDIR, HOME: process.env.HOME,
         RECORDER_API_ENDPOINT_OVERRIDE: process.env.RECORDER_API_ENDPOINT_OVERRIDE, RECORDER_COS_IP_OVERRIDE: process.env.RECORDER_COS_IP_OVERRIDE,
         TENCENTCLOUD_SECRETID: process.env.TENCENTCLOUD_SECRETID, HAS_SESSION_TOKEN: Boolean(process.env.TENCENTCLOUD_SESSIONTOKEN),
         http_proxy: process.env.http_proxy, FROM_PARENT: process.env.LOCAL_CLOUD_TEST_PARENT_VAR },
  tmpdir: os.tmpdir(),
  ffmpegExecutable: (() => { try { fs.accessSync(process.env.FFMPEG_PATH, fs.constants.X_OK); return true; } catch { return false; } })(),
});
const arg = (event, name) => (event && event[name] !== undefined ? event[name] : event && typeof event.body === "string" ? JSON.parse(event.body)[name] : undefined);
exports.sleep = async (event) => { const ms = arg(event, "ms"); await new Promise((r) => setTimeout(r, ms)); return { slept: ms }; };
exports.fail = async (event) => { throw new Error(event.message || "boom"); };
exports.hang = async () => { console.log("hanging"); await new Promise(() => undefined); };
exports.callbackStyle = (event, context, callback) => { setTimeout(() => callback(null, { via: "callback", n: event.n }), 10); };
exports.hog = async (event) => { const keep = []; for (;;) { keep.push(Buffer.alloc(16 * 1024 * 1024, 1)); await new Promise((r) => setImmediate(r)); } };
exports.writeTmp = async (event) => {
  const file = path.join(os.tmpdir(), "mark.txt");
  const before = fs.existsSync(file);
  fs.writeFileSync(file, event.value);
  fs.mkdirSync(process.env.CFS_PATH, { recursive: true });
  fs.writeFileSync(path.join(process.env.CFS_PATH, event.value + ".txt"), event.value);
  return { before, file };
};
exports.failUntil = async (event) => {
  // Fails while fewer than event.failures attempts were recorded in the shared CFS folder, then succeeds.
  const file = path.join(process.env.CFS_PATH, "attempts-" + event.key);
  const n = (fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8")) : 0) + 1;
  fs.writeFileSync(file, String(n));
  if (n <= event.failures) throw new Error("attempt " + n + " fails");
  return { attempt: n };
};
exports.integrated = async (event) => event.body ? JSON.parse(event.body).reply : { statusCode: 201, headers: { "x-test": "yes" }, body: JSON.stringify({ path: event.path, pathParameters: event.pathParameters, queryString: event.queryString, requestContext: event.requestContext, headers: event.headers }), isBase64Encoded: false };
exports.notAFunction = 42;
`;

export interface FakeFunctionSpec {
  name: string;
  handler: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  asyncRun?: boolean;
  asyncRetries?: number;
  environment?: Record<string, string>;
}

/** A deployment of fake functions over one code zip and one layer zip (an `ffmpeg` shell script at its root). */
export async function fakeDeployment(specs: FakeFunctionSpec[]): Promise<{ deployment: LocalDeployment; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "fake-stack-"));
  const code = await writeZip(join(dir, "code.zip"), [{ name: "index.js", data: FAKE_HANDLERS }]);
  const layer = await writeZip(join(dir, "layer.zip"), [{ name: "ffmpeg", data: "#!/bin/sh\necho fake ffmpeg\n", mode: 0o755 }]);
  const functions: LocalFunction[] = specs.map((s) => ({
    address: `tencentcloud_scf_function.${s.name}`,
    name: s.name,
    namespace: "default",
    handler: s.handler,
    runtime: "Nodejs18.15",
    memoryMb: s.memoryMb ?? 128,
    timeoutSeconds: s.timeoutSeconds ?? 10,
    asyncRun: s.asyncRun ?? false,
    environment: { CFS_PATH: "/mnt/data", FFMPEG_PATH: "/opt/ffmpeg", ...s.environment },
    codeZipPath: code,
    layers: [{ address: "tencentcloud_scf_layer.l", name: "fake-layer", version: 1, zipPath: layer }],
    mounts: [{ fsId: "cfs-fake0001", localMountDir: "/mnt/data", remoteMountDir: "/", userId: "10000", userGroupId: "10000" }],
    qualifiers: ["$LATEST", "$DEFAULT", "1", "live"],
    asyncRetries: s.asyncRetries ?? 2,
    asyncRetriesSource: "event-invoke-config",
  }));
  return {
    dir,
    deployment: { stackName: "fake", stackDir: dir, region: "ap-guangzhou", account: { appId: "1250000000", uin: "100000000001" }, functions, routes: [], timers: [], functionUrls: [], buckets: [], kmsKeys: [] },
  };
}
