// SCF versions, aliases, layers, triggers, event-invoke config and namespaces through the real client, including the
// upgrade situations the stacks hit: deleting a version an alias routes to (UnsupportedOperation.AliasBind) and a layer
// version a function binds (ResourceInUse.LayerVersion).
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, codeOf, HANDLER_ZIP, startHarness, zipOf, type Harness } from "./fixture";

afterEach(closeAll);

async function activeFunction(h: Harness, name: string, extra: Record<string, unknown> = {}) {
  const zip = (await HANDLER_ZIP()).toString("base64");
  await h.scf.CreateFunction({ FunctionName: name, Code: { ZipFile: zip }, Handler: "index.main_handler", Runtime: "Nodejs18.15", ...extra });
  await h.scf.GetFunction({ FunctionName: name, Namespace: typeof extra.Namespace === "string" ? extra.Namespace : undefined });
}

async function update(h: Harness, name: string, params: Record<string, unknown>) {
  await h.scf.UpdateFunctionConfiguration({ FunctionName: name, ...params });
  await h.scf.GetFunction({ FunctionName: name });
}

describe("SCF versions and aliases", () => {
  it("numbers versions per function and freezes $LATEST's configuration at publish", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder", { Timeout: 10 });
    await activeFunction(h, "api");
    expect((await h.scf.PublishVersion({ FunctionName: "recorder", Description: "first" })).FunctionVersion).toBe("1");
    expect((await h.scf.PublishVersion({ FunctionName: "api" })).FunctionVersion).toBe("1");
    await update(h, "recorder", { Timeout: 20 });
    expect((await h.scf.PublishVersion({ FunctionName: "recorder" })).FunctionVersion).toBe("2");
    const v1 = await h.scf.GetFunction({ FunctionName: "recorder", Qualifier: "1" });
    expect(v1.Timeout).toBe(10);
    expect(v1.Description).toBe("first");
    expect(v1.FunctionVersion).toBe("1");
    expect((await h.scf.GetFunction({ FunctionName: "recorder", Qualifier: "2" })).Timeout).toBe(20);
    const list = await h.scf.ListVersionByFunction({ FunctionName: "recorder" });
    expect(list.FunctionVersion).toEqual(["$LATEST", "1", "2"]);
  });

  it("refuses publishing while $LATEST is Updating", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder");
    await h.scf.UpdateFunctionConfiguration({ FunctionName: "recorder", Timeout: 30 });
    expect(await codeOf(h.scf.PublishVersion({ FunctionName: "recorder" }))).toBe("UnsupportedOperation.PublishVersion");
  });

  it("refuses an alias to a version that does not exist", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder");
    expect(await codeOf(h.scf.CreateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "7" }))).toBe("ResourceNotFound.FunctionVersion");
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    expect(await codeOf(h.scf.CreateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "1", RoutingConfig: { AdditionalVersionWeights: [{ Version: "9", Weight: 0.1 }] } }))).toBe(
      "InvalidParameterValue.RoutingConfig",
    );
  });

  it("returns RoutingConfig with empty lists for an alias without routing, as ListAliases does", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder");
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await h.scf.CreateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "1" });
    const a = await h.scf.GetAlias({ FunctionName: "recorder", Name: "live" });
    expect(a.RoutingConfig).toEqual({ AdditionalVersionWeights: [], AddtionVersionMatchs: [] });
    const list = await h.scf.ListAliases({ FunctionName: "recorder" });
    expect(list.Aliases?.[0]?.RoutingConfig).toEqual({ AdditionalVersionWeights: [], AddtionVersionMatchs: [] });
  });

  it("blocks deleting a version an alias routes to (main or weighted) with UnsupportedOperation.AliasBind", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder");
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await update(h, "recorder", { Timeout: 9 });
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await h.scf.CreateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "1" });
    expect(await codeOf(h.scf.DeleteFunction({ FunctionName: "recorder", Qualifier: "1" }))).toBe("UnsupportedOperation.AliasBind");
    // Canary: 2 is main, 1 keeps 10 % - both are bound.
    await h.scf.UpdateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "2", RoutingConfig: { AdditionalVersionWeights: [{ Version: "1", Weight: 0.1 }] } });
    expect(await codeOf(h.scf.DeleteFunction({ FunctionName: "recorder", Qualifier: "1" }))).toBe("UnsupportedOperation.AliasBind");
    // Finishing the canary clears the weights explicitly; then version 1 is free.
    await h.scf.UpdateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "2", RoutingConfig: { AdditionalVersionWeights: [] } });
    expect((await h.scf.GetAlias({ FunctionName: "recorder", Name: "live" })).RoutingConfig?.AdditionalVersionWeights).toEqual([]);
    await h.scf.DeleteFunction({ FunctionName: "recorder", Qualifier: "1" });
    expect(await codeOf(h.scf.GetFunction({ FunctionName: "recorder", Qualifier: "1" }))).toBe("ResourceNotFound.Version");
    // Numbers are never reused.
    expect((await h.scf.PublishVersion({ FunctionName: "recorder" })).FunctionVersion).toBe("3");
  });

  it("keeps the routing when UpdateAlias is sent without RoutingConfig (assumed)", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder");
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await h.scf.CreateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "2", RoutingConfig: { AdditionalVersionWeights: [{ Version: "1", Weight: 0.2 }] } });
    await h.scf.UpdateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "3" });
    const a = await h.scf.GetAlias({ FunctionName: "recorder", Name: "live" });
    expect(a.FunctionVersion).toBe("3");
    expect(a.RoutingConfig?.AdditionalVersionWeights).toEqual([{ Version: "1", Weight: 0.2 }]);
  });
});

describe("SCF layers", () => {
  it("numbers layer versions per name, Publishing on the first read then Active", async () => {
    const h = await startHarness();
    const zip = (await zipOf({ "bin/ffmpeg": "#!/bin/sh\n" })).toString("base64");
    const v1 = await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: zip } });
    expect(v1.LayerVersion).toBe(1);
    const first = await h.scf.GetLayerVersion({ LayerName: "ffmpeg", LayerVersion: 1 });
    expect(first.Status).toBe("Publishing");
    expect(first.CodeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.scf.GetLayerVersion({ LayerName: "ffmpeg", LayerVersion: 1 })).Status).toBe("Active");
    expect((await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: zip } })).LayerVersion).toBe(2);
    expect((await h.scf.ListLayerVersions({ LayerName: "ffmpeg" })).LayerVersions?.map((l) => l.LayerVersion)).toEqual([2, 1]);
  });

  it("refuses deleting a layer version that $LATEST or a published version binds (ResourceInUse.LayerVersion)", async () => {
    const h = await startHarness();
    const zip = (await zipOf({ "bin/ffmpeg": "#!/bin/sh\n" })).toString("base64");
    await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: zip } });
    await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: zip } });
    await activeFunction(h, "recorder", { Layers: [{ LayerName: "ffmpeg", LayerVersion: 1 }] });
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await update(h, "recorder", { Layers: [{ LayerName: "ffmpeg", LayerVersion: 2 }] });
    // $LATEST now binds 2, published version 1 still binds 1.
    expect(await codeOf(h.scf.DeleteLayerVersion({ LayerName: "ffmpeg", LayerVersion: 1 }))).toBe("ResourceInUse.LayerVersion");
    expect(await codeOf(h.scf.DeleteLayerVersion({ LayerName: "ffmpeg", LayerVersion: 2 }))).toBe("ResourceInUse.LayerVersion");
    await h.scf.DeleteFunction({ FunctionName: "recorder", Qualifier: "1" });
    await h.scf.DeleteLayerVersion({ LayerName: "ffmpeg", LayerVersion: 1 });
    expect(await codeOf(h.scf.GetLayerVersion({ LayerName: "ffmpeg", LayerVersion: 1 }))).toBe("ResourceNotFound.LayerVersion");
  });

  it("refuses binding a layer version that does not exist or does not fit the runtime", async () => {
    const h = await startHarness();
    const zip = (await zipOf({ "a.txt": "a" })).toString("base64");
    await h.scf.PublishLayerVersion({ LayerName: "py", CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip } });
    const code = { ZipFile: (await HANDLER_ZIP()).toString("base64") };
    expect(await codeOf(h.scf.CreateFunction({ FunctionName: "recorder", Runtime: "Nodejs18.15", Code: code, Layers: [{ LayerName: "ffmpeg", LayerVersion: 1 }] }))).toBe("ResourceNotFound.LayerVersion");
    expect(await codeOf(h.scf.CreateFunction({ FunctionName: "recorder", Runtime: "Nodejs18.15", Code: code, Layers: [{ LayerName: "py", LayerVersion: 1 }] }))).toBe("InvalidParameterValue.Layers");
  });

  it("takes the COS bucket name without -appid, and refuses one that carries it", async () => {
    const h = await startHarness();
    const content = { CosBucketName: "artifacts-1250000000", CosObjectName: "layer/abc.zip", CosBucketRegion: "ap-guangzhou" };
    expect(await codeOf(h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: content }))).toBe("InvalidParameterValue.CosBucketName");
    await h.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ...content, CosBucketName: "artifacts" } });
  });
});

describe("SCF triggers", () => {
  it("stores a timer's cron as {\"cron\":...} and an http trigger's desc with URLs inside NetConfig (no top-level url)", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder");
    const timer = await h.scf.CreateTrigger({ FunctionName: "recorder", TriggerName: "watchdog", Type: "timer", TriggerDesc: "0 */1 * * * * *", Enable: "OPEN" });
    expect(timer.TriggerInfo?.TriggerDesc).toBe(JSON.stringify({ cron: "0 */1 * * * * *" }));
    expect(timer.TriggerInfo?.Enable).toBe(1);
    const url = await h.scf.CreateTrigger({
      FunctionName: "recorder",
      TriggerName: "url-trigger",
      Type: "http",
      TriggerDesc: JSON.stringify({ AuthType: "NONE", NetConfig: { EnableIntranet: false, EnableExtranet: true } }),
    });
    const desc = JSON.parse(url.TriggerInfo?.TriggerDesc ?? "{}") as Record<string, unknown> & { NetConfig: Record<string, unknown> };
    expect(desc.url).toBeUndefined();
    expect(desc.NetConfig.ExtranetUrl).toMatch(/^https:\/\/[a-z0-9]+\.ap-guangzhou\.tencentscf\.com$/);
    const listed = await h.scf.ListTriggers({ FunctionName: "recorder", Filters: [{ Name: "TriggerName", Values: ["watchdog"] }] });
    expect(listed.Triggers?.map((t) => t.TriggerName)).toEqual(["watchdog"]);
    expect((await h.scf.GetFunction({ FunctionName: "recorder" })).Triggers?.map((t) => t.Type).sort()).toEqual(["http", "timer"]);
    await h.scf.DeleteTrigger({ FunctionName: "recorder", TriggerName: "watchdog", Type: "timer" });
    expect(await codeOf(h.scf.DeleteTrigger({ FunctionName: "recorder", TriggerName: "watchdog", Type: "timer" }))).toBe("ResourceNotFound.Trigger");
  });

  it("refuses a cron without 7 fields, a qualifier that does not exist, and a second function URL", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder");
    expect(await codeOf(h.scf.CreateTrigger({ FunctionName: "recorder", TriggerName: "t", Type: "timer", TriggerDesc: "*/1 * * * *" }))).toBe("InvalidParameterValue.TriggerCronConfig");
    expect(await codeOf(h.scf.CreateTrigger({ FunctionName: "recorder", TriggerName: "t", Type: "timer", TriggerDesc: "0 * * * * * *", Qualifier: "live" }))).toBe("ResourceNotFound.Qualifier");
    const desc = JSON.stringify({ AuthType: "NONE", NetConfig: { EnableExtranet: true } });
    await h.scf.CreateTrigger({ FunctionName: "recorder", TriggerName: "url-trigger", Type: "http", TriggerDesc: desc });
    expect(await codeOf(h.scf.CreateTrigger({ FunctionName: "recorder", TriggerName: "url-2", Type: "http", TriggerDesc: desc }))).toBe("ResourceInUse.Trigger");
  });
});

describe("SCF event invoke config and namespaces", () => {
  it("writes the retry policy to $LATEST and a published version keeps the one it was published with", async () => {
    const h = await startHarness();
    await activeFunction(h, "recorder");
    expect((await h.scf.GetFunctionEventInvokeConfig({ FunctionName: "recorder" })).AsyncTriggerConfig).toEqual({ RetryConfig: [{ RetryNum: 2 }], MsgTTL: 21600 });
    await h.scf.UpdateFunctionEventInvokeConfig({ FunctionName: "recorder", AsyncTriggerConfig: { RetryConfig: [{ RetryNum: 0 }], MsgTTL: 3600 } });
    await h.scf.PublishVersion({ FunctionName: "recorder" });
    await h.scf.UpdateFunctionEventInvokeConfig({ FunctionName: "recorder", AsyncTriggerConfig: { RetryConfig: [{ RetryNum: 1 }], MsgTTL: 60 } });
    expect((await h.scf.GetFunctionEventInvokeConfig({ FunctionName: "recorder", Qualifier: "1" })).AsyncTriggerConfig?.RetryConfig).toEqual([{ RetryNum: 0 }]);
    expect((await h.scf.GetFunctionEventInvokeConfig({ FunctionName: "recorder" })).AsyncTriggerConfig?.RetryConfig).toEqual([{ RetryNum: 1 }]);
    expect(await codeOf(h.scf.UpdateFunctionEventInvokeConfig({ FunctionName: "recorder", AsyncTriggerConfig: { RetryConfig: [{ RetryNum: 3 }], MsgTTL: 60 } }))).toBe("LimitExceeded.RetryNum");
  });

  it("has the default namespace, creates others, and refuses deleting one that holds functions", async () => {
    const h = await startHarness();
    expect((await h.scf.ListNamespaces({})).Namespaces?.map((n) => n.Name)).toEqual(["default"]);
    await h.scf.CreateNamespace({ Namespace: "recorder", Description: "rec" });
    expect(await codeOf(h.scf.CreateNamespace({ Namespace: "recorder" }))).toBe("ResourceInUse.Namespace");
    await activeFunction(h, "fn", { Namespace: "recorder" });
    expect(await codeOf(h.scf.DeleteNamespace({ Namespace: "recorder" }))).toBe("ResourceInUse.Namespace");
    expect(await codeOf(h.scf.GetFunction({ FunctionName: "fn", Namespace: "other" }))).toBe("ResourceNotFound.Namespace");
  });
});
