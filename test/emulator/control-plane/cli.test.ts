// The standalone launcher: arguments, credentials from the provider's own environment variables, COS behind the same
// port, and instructions that never contain the secret.
import { afterEach, describe, expect, it } from "vitest";
import COS from "cos-nodejs-sdk-v5";
import { parseControlPlaneArgs, providerInstructions, runControlPlaneCli } from "../../../emulator/control-plane/cli";
import type { ControlPlane } from "../../../emulator/control-plane/server";
import { cosOptionsFor } from "../../../emulator/endpoints";
import { clientsFor, closeAll, HANDLER_ZIP, KEY, newStateDir } from "./fixture";

let cp: ControlPlane | undefined;
afterEach(async () => {
  await cp?.close();
  cp = undefined;
  await closeAll();
});

describe("control-plane CLI", () => {
  it("parses --state, --port and --region and refuses a bad port", () => {
    expect(parseControlPlaneArgs(["--state", "/tmp/x", "--port", "4577"])).toEqual({ stateDir: "/tmp/x", port: 4577, region: "ap-guangzhou" });
    expect(() => parseControlPlaneArgs(["--port", "70000"])).toThrow(/--port must be 0..65535/);
  });

  it("needs the provider's credential variables and serves SCF code from the COS buckets on the same port", async () => {
    await expect(runControlPlaneCli([], {})).rejects.toThrow(/TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
    const stateDir = newStateDir();
    cp = await runControlPlaneCli(["--state", stateDir], { TENCENTCLOUD_SECRET_ID: KEY.secretId, TENCENTCLOUD_SECRET_KEY: KEY.secretKey });
    expect(providerInstructions(cp).join("\n")).not.toContain(KEY.secretKey);
    const cos = new COS({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, ...cosOptionsFor(cp.hostPort) });
    await cos.putBucket({ Bucket: "artifacts-1250000000", Region: "ap-guangzhou" });
    await cos.putObject({ Bucket: "artifacts-1250000000", Region: "ap-guangzhou", Key: "bundle/a.zip", Body: await HANDLER_ZIP() });
    const { scf } = clientsFor(cp);
    await scf.CreateFunction({ FunctionName: "recorder", Runtime: "Nodejs18.15", Code: { CosBucketName: "artifacts", CosObjectName: "/bundle/a.zip", CosBucketRegion: "ap-guangzhou" } });
    expect(cp.scf.state().functions[0]?.latest.code.zipPath).toMatch(/\.zip$/);
  });
});
