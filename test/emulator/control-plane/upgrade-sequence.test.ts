// The upgrade sequence of issue 11 item 6(c) at the API level, in the order Terraform and the provider issue the
// calls with create_before_destroy on versions and layers: new bundle -> config-only change -> new layer -> canary
// start -> canary finish -> rollback to the previous pin. Each step publishes a version, moves the alias, then
// destroys what is no longer referenced; the same steps in Terraform's default order (destroy first) fail with the
// errors the real SCF raises.
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, codeOf, startHarness, zipOf, type Harness } from "./fixture";

afterEach(closeAll);

const FN = "trtc-rec-dev";

async function bundle(tag: string): Promise<string> {
  return (await zipOf({ "index.js": `exports.main_handler = async () => ${JSON.stringify(tag)};\n` })).toString("base64");
}

/** waitScfFunctionReady: GetFunction until Active. */
async function waitActive(h: Harness): Promise<void> {
  for (let i = 0; i < 5; i++) if ((await h.scf.GetFunction({ FunctionName: FN, Namespace: "default" })).Status === "Active") return;
  throw new Error("function never became Active");
}

/** tencentcloud_scf_function_version create: PublishVersion, wait, read it back by qualifier. */
async function publish(h: Harness, description: string): Promise<string> {
  const v = (await h.scf.PublishVersion({ FunctionName: FN, Namespace: "default", Description: description })).FunctionVersion ?? "";
  await waitActive(h);
  expect((await h.scf.GetFunction({ FunctionName: FN, Namespace: "default", Qualifier: v })).Description).toBe(description);
  return v;
}

async function moveAlias(h: Harness, version: string, weights: Array<{ Version: string; Weight: number }> = []): Promise<void> {
  await h.scf.UpdateAlias({ FunctionName: FN, Namespace: "default", Name: "live", FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights }, Description: `live: ${version}` });
  const a = await h.scf.GetAlias({ FunctionName: FN, Namespace: "default", Name: "live" });
  expect([a.FunctionVersion, a.RoutingConfig?.AdditionalVersionWeights]).toEqual([version, weights]);
}

const deleteVersion = (h: Harness, v: string) => h.scf.DeleteFunction({ FunctionName: FN, Namespace: "default", Qualifier: v });

async function firstApply(h: Harness): Promise<void> {
  await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: (await zipOf({ "ffmpeg": "v1" })).toString("base64") } });
  await h.scf.CreateFunction({
    FunctionName: FN,
    Namespace: "default",
    Runtime: "Nodejs18.15",
    Handler: "index.main_handler",
    Code: { ZipFile: await bundle("b1") },
    Layers: [{ LayerName: "ffmpeg", LayerVersion: 1 }],
    Role: "SCF_ExecuteRole",
    AsyncRunEnable: "TRUE",
    Timeout: 900,
  });
  await waitActive(h);
  await h.scf.UpdateFunctionEventInvokeConfig({ FunctionName: FN, Namespace: "default", AsyncTriggerConfig: { RetryConfig: [{ RetryNum: 2 }], MsgTTL: 21600 } });
  const v1 = await publish(h, "bundle b1");
  await h.scf.CreateAlias({ FunctionName: FN, Namespace: "default", Name: "live", FunctionVersion: v1, RoutingConfig: {}, Description: "live: 1" });
  await h.scf.CreateTrigger({ FunctionName: FN, Namespace: "default", TriggerName: "watchdog", Type: "timer", TriggerDesc: "0 */1 * * * * *", Qualifier: "live", Enable: "OPEN" });
}

describe("upgrade sequence with create_before_destroy", () => {
  it("applies new bundle, config-only change, new layer, canary start/finish and rollback without an error", async () => {
    const h = await startHarness();
    await firstApply(h);

    // New bundle: UpdateFunctionCode, publish 2, move the alias, then destroy version 1.
    await h.scf.UpdateFunctionCode({ FunctionName: FN, Namespace: "default", Handler: "index.main_handler", Code: { ZipFile: await bundle("b2") } });
    await waitActive(h);
    await moveAlias(h, await publish(h, "bundle b2"));
    await deleteVersion(h, "1");

    // Config-only change reaches live: a new version keyed on the configuration.
    await h.scf.UpdateFunctionConfiguration({ FunctionName: FN, Namespace: "default", Environment: { Variables: [{ Key: "LOG_LEVEL", Value: "debug" }] } });
    await waitActive(h);
    await moveAlias(h, await publish(h, "bundle b2 + LOG_LEVEL"));
    await deleteVersion(h, "2");
    expect((await h.scf.GetFunction({ FunctionName: FN, Namespace: "default", Qualifier: "3" })).Environment?.Variables).toEqual([{ Key: "LOG_LEVEL", Value: "debug" }]);

    // New layer: publish layer 2, bind it, publish 4, move the alias, destroy version 3, then layer 1 (now unused).
    await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: (await zipOf({ "ffmpeg": "v2" })).toString("base64") } });
    await h.scf.UpdateFunctionConfiguration({ FunctionName: FN, Namespace: "default", Layers: [{ LayerName: "ffmpeg", LayerVersion: 2 }] });
    await waitActive(h);
    await moveAlias(h, await publish(h, "bundle b2, layer 2"));
    await deleteVersion(h, "3");
    await h.scf.DeleteLayerVersion({ LayerName: "ffmpeg", LayerVersion: 1 });

    // Canary start: new bundle as 5 takes the alias, the retained previous version 4 keeps 10 %.
    await h.scf.UpdateFunctionCode({ FunctionName: FN, Namespace: "default", Handler: "index.main_handler", Code: { ZipFile: await bundle("b3") } });
    await waitActive(h);
    const v5 = await publish(h, "bundle b3, layer 2");
    await moveAlias(h, v5, [{ Version: "4", Weight: 0.1 }]);
    // Canary finish: weights cleared explicitly; version 4 stays as the rollback pin.
    await moveAlias(h, v5, []);
    // Rollback to the previous pin, then version 5 can go.
    await moveAlias(h, "4");
    await deleteVersion(h, v5);

    const trigger = await h.scf.ListTriggers({ FunctionName: FN, Namespace: "default", Filters: [{ Name: "TriggerName", Values: ["watchdog"] }] });
    expect(trigger.Triggers?.[0]?.Qualifier).toBe("live");
    expect((await h.scf.ListVersionByFunction({ FunctionName: FN, Namespace: "default" })).FunctionVersion).toEqual(["$LATEST", "4"]);
  });

  it("fails like the real SCF in Terraform's default order: old version destroyed before the alias moves, old layer while a version binds it", async () => {
    const h = await startHarness();
    await firstApply(h);
    await h.scf.UpdateFunctionCode({ FunctionName: FN, Namespace: "default", Handler: "index.main_handler", Code: { ZipFile: await bundle("b2") } });
    await waitActive(h);
    expect(await codeOf(deleteVersion(h, "1"))).toBe("UnsupportedOperation.AliasBind");

    await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: (await zipOf({ "ffmpeg": "v2" })).toString("base64") } });
    await h.scf.UpdateFunctionConfiguration({ FunctionName: FN, Namespace: "default", Layers: [{ LayerName: "ffmpeg", LayerVersion: 2 }] });
    await waitActive(h);
    // $LATEST moved to layer 2, but published version 1 (the alias's) still binds layer 1.
    expect(await codeOf(h.scf.DeleteLayerVersion({ LayerName: "ffmpeg", LayerVersion: 1 }))).toBe("ResourceInUse.LayerVersion");
  });
});
