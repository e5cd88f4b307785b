// Starts the control plane on a temporary state folder and builds the real SDK clients against it, keeping the real
// endpoint names (so Host and the signing scope are the real service's) and rerouting only the socket.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZipFile } from "yazl";
import { cam } from "tencentcloud-sdk-nodejs/tencentcloud/services/cam";
import { cfs } from "tencentcloud-sdk-nodejs/tencentcloud/services/cfs";
import { scf } from "tencentcloud-sdk-nodejs/tencentcloud/services/scf";
import { vpc } from "tencentcloud-sdk-nodejs/tencentcloud/services/vpc";
import { tc3AgentFor } from "../../../emulator/endpoints";
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from "../../../emulator/control-plane/server";

export const KEY = { secretId: "AKIDcontrolplane000000000000000000000", secretKey: "control-plane-fake-secret-key-0000" };

export type ScfClient = InstanceType<typeof scf.v20180416.Client>;
export type CamClient = InstanceType<typeof cam.v20190116.Client>;
export type VpcClient = InstanceType<typeof vpc.v20170312.Client>;
export type CfsClient = InstanceType<typeof cfs.v20190719.Client>;

export interface Harness {
  cp: ControlPlane;
  stateDir: string;
  scf: ScfClient;
  cam: CamClient;
  vpc: VpcClient;
  cfs: CfsClient;
}

function profile(host: string, cp: ControlPlane) {
  return { httpProfile: { endpoint: host, protocol: "http://", agent: tc3AgentFor(cp.hostPort) } };
}

export function clientsFor(cp: ControlPlane) {
  const credential = { secretId: KEY.secretId, secretKey: KEY.secretKey };
  const region = "ap-guangzhou";
  return {
    scf: new scf.v20180416.Client({ credential, region, profile: profile("scf.tencentcloudapi.com", cp) }),
    cam: new cam.v20190116.Client({ credential, region, profile: profile("cam.tencentcloudapi.com", cp) }),
    vpc: new vpc.v20170312.Client({ credential, region, profile: profile("vpc.tencentcloudapi.com", cp) }),
    cfs: new cfs.v20190719.Client({ credential, region, profile: profile("cfs.tencentcloudapi.com", cp) }),
  };
}

const open: Harness[] = [];
const dirs: string[] = [];

export function newStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "control-plane-"));
  dirs.push(dir);
  return dir;
}

export async function startHarness(stateDir = newStateDir(), extra: Partial<ControlPlaneOptions> = {}): Promise<Harness> {
  const cp = await startControlPlane({ stateDir, credentials: [KEY], discover: false, ...extra });
  const h = { cp, stateDir, ...clientsFor(cp) };
  open.push(h);
  return h;
}

/** Stops one harness (its state folder stays, for a restart on it). */
export async function stopHarness(h: Harness): Promise<void> {
  open.splice(open.indexOf(h), 1);
  await h.cp.close();
}

/** Closes every harness and removes the state folders (call from afterEach). */
export async function closeAll(): Promise<void> {
  while (open.length > 0) await open.pop()?.cp.close();
  while (dirs.length > 0) rmSync(dirs.pop() as string, { recursive: true, force: true });
}

export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { code?: string }).code);
  }
  throw new Error("expected the call to fail, it succeeded");
}

/** A zip with the given files, as bytes. */
export function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, body] of Object.entries(files)) zip.addBuffer(Buffer.from(body), name, { mtime: new Date(0), mode: 0o100644 });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on("error", reject);
  });
}

export const HANDLER_ZIP = () => zipOf({ "index.js": "exports.main_handler = async () => 'ok';\n" });
