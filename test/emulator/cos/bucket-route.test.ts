// The COS route the control plane mounts behind its proxy port: it claims only COS virtual hosts, and buckets the
// provider created survive a restart of the route (a new listener on the same state folder).
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cosRoute } from "../../../emulator/cos/route";
import { listenLocal } from "../../../emulator/tc3/listen";
import COS from "cos-nodejs-sdk-v5";
import { cosOptionsFor } from "../../../emulator/endpoints";
import { KEY, REGION } from "./fixture";

const BUCKET = "recorder-state-1250000000";
const closers: Array<() => Promise<void>> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function serve(stateDir: string): Promise<{ cos: COS; close: () => Promise<void> }> {
  const route = cosRoute({ credentials: [KEY], stateDir, appId: "1250000000" });
  const listening = await listenLocal(createServer(route.listener));
  closers.push(listening.close);
  return { cos: new COS({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, ...cosOptionsFor(listening.hostPort) }), close: listening.close };
}

describe("cosRoute", () => {
  it("claims COS virtual hosts only", () => {
    const route = cosRoute({ credentials: [KEY] });
    expect(route.matches(`${BUCKET}.cos.${REGION}.myqcloud.com`)).toBe(true);
    expect(route.matches("scf.emulator.local")).toBe(false);
    expect(route.matches("kms.tencentcloudapi.com")).toBe(false);
  });

  it("keeps created buckets and their configuration across a restart on the same state folder", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "cos-route-"));
    dirs.push(stateDir);
    const first = await serve(stateDir);
    await first.cos.putBucket({ Bucket: BUCKET, Region: REGION });
    await first.cos.putBucketLifecycle({ Bucket: BUCKET, Region: REGION, Rules: [{ ID: "r", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 3 } }] });
    await first.close();
    closers.pop();

    const second = await serve(stateDir);
    expect((await second.cos.headBucket({ Bucket: BUCKET, Region: REGION })).statusCode).toBe(200);
    expect((await second.cos.getBucketLifecycle({ Bucket: BUCKET, Region: REGION })).Rules).toEqual([{ ID: "r", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: "3" } }]);
  });
});
