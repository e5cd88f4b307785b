// What the control plane holds becomes the LocalDeployment the data plane serves: code bytes per version, layers,
// mounts, aliases with weights, retry policy, timers and function URLs — and nothing it could not run.
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { cosStoreReader } from "../../../emulator/control-plane/scf";
import { controlPlaneDeployment } from "../../../emulator/control-plane/to-deployment";
import { CosStore } from "../../../emulator/cos/store";
import { closeAll, HANDLER_ZIP, startHarness, zipOf, type Harness } from "./fixture";

afterEach(closeAll);

function project(h: Harness) {
  return controlPlaneDeployment({ scf: h.cp.scf.state(), account: h.cp.account, region: h.cp.region, stackName: "recorder-local", stackDir: h.stateDir });
}

describe("controlPlaneDeployment", () => {
  it("projects functions with frozen versions, aliases with routing, layers, retry policy and triggers", async () => {
    const h = await startHarness();
    await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: (await zipOf({ "bin/ffmpeg": "x" })).toString("base64") } });
    await h.scf.CreateFunction({
      FunctionName: "recorder",
      Runtime: "Nodejs18.15",
      Handler: "index.main_handler",
      Timeout: 30,
      Environment: { Variables: [{ Key: "MODE", Value: "v1" }] },
      Code: { ZipFile: (await HANDLER_ZIP()).toString("base64") },
      Layers: [{ LayerName: "ffmpeg", LayerVersion: 1 }],
      AsyncRunEnable: "TRUE",
    });
    await h.scf.GetFunction({ FunctionName: "recorder" });
    await h.scf.UpdateFunctionEventInvokeConfig({ FunctionName: "recorder", AsyncTriggerConfig: { RetryConfig: [{ RetryNum: 0 }], MsgTTL: 600 } });
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await h.scf.UpdateFunctionConfiguration({ FunctionName: "recorder", Environment: { Variables: [{ Key: "MODE", Value: "v2" }] } });
    await h.scf.GetFunction({ FunctionName: "recorder" });
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await h.scf.CreateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "2", RoutingConfig: { AdditionalVersionWeights: [{ Version: "1", Weight: 0.1 }] } });
    await h.scf.CreateTrigger({ FunctionName: "recorder", TriggerName: "watchdog", Type: "timer", TriggerDesc: "0 */1 * * * * *", Qualifier: "live", CustomArgument: "tick" });
    await h.scf.CreateTrigger({ FunctionName: "recorder", TriggerName: "url-trigger", Type: "http", TriggerDesc: JSON.stringify({ AuthType: "NONE", NetConfig: { EnableExtranet: true } }), Qualifier: "live" });

    const { deployment, warnings } = project(h);
    expect(warnings).toEqual([]);
    expect(deployment.account).toEqual({ appId: "1250000000", uin: "100000000001" });
    const fn = deployment.functions[0];
    expect(fn).toMatchObject({ name: "recorder", namespace: "default", asyncRun: true, timeoutSeconds: 30, environment: { MODE: "v2" }, asyncRetries: 0, asyncRetriesSource: "event-invoke-config" });
    expect(existsSync(fn.codeZipPath)).toBe(true);
    expect(fn.layers.map((l) => [l.name, l.version, existsSync(l.zipPath)])).toEqual([["ffmpeg", 1, true]]);
    expect(fn.qualifiers).toEqual(["$LATEST", "$DEFAULT", "1", "2", "live"]);
    expect(fn.versions?.map((v) => [v.version, v.environment.MODE])).toEqual([
      ["1", "v1"],
      ["2", "v2"],
    ]);
    expect(fn.aliases).toEqual([{ name: "live", version: "2", additionalVersionWeights: [{ version: "1", weight: 0.1 }] }]);
    expect(deployment.timers).toEqual([
      { address: "scf-trigger:default/recorder/watchdog", triggerName: "watchdog", functionName: "recorder", namespace: "default", qualifier: "live", cron: "0 */1 * * * * *", customArgument: "tick", enabled: true },
    ]);
    expect(deployment.functionUrls.map((u) => [u.functionName, u.qualifier, u.authType])).toEqual([["recorder", "live", "NONE"]]);
  });

  it("projects CFS mounts by file system id and leaves out functions whose code it only knows by COS reference", async () => {
    const h = await startHarness();
    const v = await h.vpc.CreateVpc({ VpcName: "rec", CidrBlock: "10.0.0.0/16" });
    const s = await h.vpc.CreateSubnet({ VpcId: v.Vpc?.VpcId ?? "", SubnetName: "a", CidrBlock: "10.0.1.0/24", Zone: "ap-guangzhou-3" });
    const fs = await h.cfs.CreateCfsFileSystem({ Zone: "ap-guangzhou-3", NetInterface: "VPC", PGroupId: "pgroupbasic", VpcId: v.Vpc?.VpcId, SubnetId: s.Subnet?.SubnetId });
    await h.scf.CreateFunction({
      FunctionName: "mounted",
      Runtime: "Nodejs18.15",
      Code: { ZipFile: (await HANDLER_ZIP()).toString("base64") },
      VpcConfig: { VpcId: v.Vpc?.VpcId, SubnetId: s.Subnet?.SubnetId },
      CfsConfig: { CfsInsList: [{ UserId: "10000", UserGroupId: "10000", CfsId: fs.FileSystemId ?? "", MountInsId: fs.FileSystemId ?? "", LocalMountDir: "/mnt/audio", RemoteMountDir: "/" }] },
    });
    await h.scf.CreateFunction({ FunctionName: "fromcos", Runtime: "Nodejs18.15", Code: { CosBucketName: "artifacts", CosObjectName: "/bundle/abc.zip", CosBucketRegion: "ap-guangzhou" } });
    const { deployment, warnings } = project(h);
    expect(deployment.functions.map((f) => f.name)).toEqual(["mounted"]);
    expect(deployment.functions[0]?.mounts).toEqual([{ fsId: fs.FileSystemId, localMountDir: "/mnt/audio", remoteMountDir: "/", userId: "10000", userGroupId: "10000" }]);
    expect(warnings).toEqual([expect.stringContaining("default/fromcos $LATEST: the control plane holds no bytes for cos://artifacts//bundle/abc.zip")]);
  });

  it("runs COS code the control plane read from the emulated COS store (bucket name + -appid, key without /)", async () => {
    const store = new CosStore();
    const bucket = store.createBucket("artifacts-1250000000", "ap-guangzhou");
    bucket.objects.set("bundle/abc.zip", { body: await HANDLER_ZIP(), etag: '"x"', contentType: "application/zip", meta: {}, lastModified: new Date(0) });
    const h = await startHarness(undefined, { readCosObject: cosStoreReader(store) });
    await h.scf.CreateFunction({ FunctionName: "fromcos", Runtime: "Nodejs18.15", Code: { CosBucketName: "artifacts", CosObjectName: "/bundle/abc.zip", CosBucketRegion: "ap-guangzhou" } });
    const missing = h.scf.CreateFunction({ FunctionName: "missing", Runtime: "Nodejs18.15", Code: { CosBucketName: "artifacts", CosObjectName: "/bundle/none.zip", CosBucketRegion: "ap-guangzhou" } });
    await expect(missing).rejects.toMatchObject({ code: "ResourceNotFound.CosObject" });
    const { deployment, warnings } = project(h);
    expect(warnings).toEqual([]);
    expect(existsSync(deployment.functions[0]?.codeZipPath ?? "")).toBe(true);
  });
});
