// The account survives a restart: a new control plane on the same state folder serves the same functions, versions,
// aliases, layers, roles, VPCs and file systems, and still enforces the upgrade rules on them.
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, codeOf, HANDLER_ZIP, newStateDir, startHarness, stopHarness, zipOf } from "./fixture";

afterEach(closeAll);

describe("control-plane state across restarts", () => {
  it("keeps every service's resources and the rules that protect them", async () => {
    const stateDir = newStateDir();
    const first = await startHarness(stateDir);
    const layerZip = (await zipOf({ "bin/ffmpeg": "x" })).toString("base64");
    await first.scf.PublishLayerVersion({ LayerName: "ffmpeg", CompatibleRuntimes: ["Nodejs18.15"], Content: { ZipFile: layerZip } });
    await first.scf.CreateFunction({
      FunctionName: "recorder",
      Runtime: "Nodejs18.15",
      Code: { ZipFile: (await HANDLER_ZIP()).toString("base64") },
      Layers: [{ LayerName: "ffmpeg", LayerVersion: 1 }],
    });
    await first.scf.GetFunction({ FunctionName: "recorder" });
    await first.scf.PublishVersion({ FunctionName: "recorder" });
    await first.scf.CreateAlias({ FunctionName: "recorder", Name: "live", FunctionVersion: "1" });
    const { RoleId } = await first.cam.CreateRole({
      RoleName: "recorder-dev",
      PolicyDocument: JSON.stringify({ version: "2.0", statement: [{ action: "name/sts:AssumeRole", effect: "allow", principal: { service: ["scf.qcloud.com"] } }] }),
    });
    const vpc = await first.vpc.CreateVpc({ VpcName: "rec", CidrBlock: "10.0.0.0/16" });
    await stopHarness(first);

    const second = await startHarness(stateDir);
    const f = await second.scf.GetFunction({ FunctionName: "recorder" });
    expect(f.Status).toBe("Active");
    expect(f.Layers?.map((l) => [l.LayerName, l.LayerVersion])).toEqual([["ffmpeg", 1]]);
    expect((await second.scf.GetAlias({ FunctionName: "recorder", Name: "live" })).FunctionVersion).toBe("1");
    expect(await codeOf(second.scf.DeleteFunction({ FunctionName: "recorder", Qualifier: "1" }))).toBe("UnsupportedOperation.AliasBind");
    expect(await codeOf(second.scf.DeleteLayerVersion({ LayerName: "ffmpeg", LayerVersion: 1 }))).toBe("ResourceInUse.LayerVersion");
    expect((await second.scf.PublishVersion({ FunctionName: "recorder" })).FunctionVersion).toBe("2");
    expect((await second.cam.GetRole({ RoleId })).RoleInfo?.RoleName).toBe("recorder-dev");
    expect((await second.vpc.DescribeVpcs({ VpcIds: [vpc.Vpc?.VpcId ?? ""] })).TotalCount).toBe(1);
    const zipPath = second.cp.scf.state().functions[0]?.latest.code.zipPath ?? "";
    expect(zipPath.startsWith(stateDir)).toBe(true);
    expect(existsSync(zipPath)).toBe(true);
  });

  it("composes the other service folders on the same port when discovery is on", async () => {
    const h = await startHarness(undefined, { discover: true });
    const names = h.cp.services.map((s) => s.service);
    expect(names.slice(0, 5)).toEqual(["scf", "cam", "vpc", "cfs", "tag"]);
    expect(new Set(names).size).toBe(names.length);
  });
});
