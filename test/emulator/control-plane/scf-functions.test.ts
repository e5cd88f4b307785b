// SCF functions through the real scf.v20180416 client: create -> Creating -> Active on the next read, the GetFunction
// shape the provider reads back, updates (Updating -> Active), the VPC/CFS checks, and deletion.
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, codeOf, HANDLER_ZIP, startHarness, type Harness } from "./fixture";

afterEach(closeAll);

async function createFunction(h: Harness, name: string, extra: Record<string, unknown> = {}) {
  const zip = (await HANDLER_ZIP()).toString("base64");
  await h.scf.CreateFunction({ FunctionName: name, Code: { ZipFile: zip }, Handler: "index.main_handler", Runtime: "Nodejs18.15", ...extra });
}

async function settle(h: Harness, name: string) {
  await h.scf.GetFunction({ FunctionName: name, Namespace: "default" });
}

async function network(h: Harness) {
  const v = await h.vpc.CreateVpc({ VpcName: "rec", CidrBlock: "10.0.0.0/16" });
  const vpcId = v.Vpc?.VpcId ?? "";
  const s = await h.vpc.CreateSubnet({ VpcId: vpcId, SubnetName: "rec-a", CidrBlock: "10.0.1.0/24", Zone: "ap-guangzhou-3" });
  return { vpcId, subnetId: s.Subnet?.SubnetId ?? "" };
}

async function fileSystem(h: Harness, vpcId: string, subnetId: string) {
  const fs = await h.cfs.CreateCfsFileSystem({ Zone: "ap-guangzhou-3", NetInterface: "VPC", PGroupId: "pgroupbasic", Protocol: "NFS", StorageType: "SD", VpcId: vpcId, SubnetId: subnetId });
  const id = fs.FileSystemId ?? "";
  const mt = await h.cfs.DescribeMountTargets({ FileSystemId: id });
  return { id, mountTarget: mt.MountTargets?.[0] };
}

describe("SCF functions (scf.v20180416)", () => {
  it("reports Creating on the first read after CreateFunction and Active from then on", async () => {
    const h = await startHarness();
    await createFunction(h, "recorder");
    expect((await h.scf.GetFunction({ FunctionName: "recorder" })).Status).toBe("Creating");
    expect((await h.scf.GetFunction({ FunctionName: "recorder" })).Status).toBe("Active");
    expect((await h.scf.GetFunction({ FunctionName: "recorder" })).Status).toBe("Active");
  });

  it("returns every field the provider dereferences, with a zip's size and the environment as sent", async () => {
    const h = await startHarness();
    await createFunction(h, "recorder", { Environment: { Variables: [{ Key: "MODE", Value: "x" }] }, MemorySize: 256, Timeout: 60, Tags: [{ Key: "app", Value: "rec" }] });
    const f = await h.scf.GetFunction({ FunctionName: "recorder" });
    expect(f.FunctionId).toMatch(/^lam-[a-z0-9]{8}$/);
    expect(f.Environment?.Variables).toEqual([{ Key: "MODE", Value: "x" }]);
    expect(f.MemorySize).toBe(256);
    expect(f.Timeout).toBe(60);
    expect(f.L5Enable).toBe("FALSE");
    expect(f.InstallDependency).toBe("FALSE");
    expect(f.EipConfig?.EipFixed).toBe("FALSE");
    expect(f.AccessInfo).toEqual({ Host: "", Vip: "" });
    expect(f.VpcConfig).toEqual({ VpcId: "", SubnetId: "" });
    expect(f.PublicNetConfig?.PublicNetStatus).toBe("ENABLE");
    expect(f.CfsConfig?.CfsInsList).toEqual([]);
    expect(f.Tags).toEqual([{ Key: "app", Value: "rec" }]);
    expect(f.CodeSize).toBeGreaterThan(0);
    expect(f.Qualifier).toBe("$LATEST");
  });

  it("refuses a second function of the same name, and an update while the function is still Creating", async () => {
    const h = await startHarness();
    await createFunction(h, "recorder");
    expect(await codeOf(createFunction(h, "recorder"))).toBe("ResourceInUse.Function");
    expect(await codeOf(h.scf.UpdateFunctionConfiguration({ FunctionName: "recorder", Timeout: 10 }))).toBe("FailedOperation.UpdateFunctionConfiguration");
  });

  it("treats the provider's {Key:'',Value:''} environment as 'no variables' and goes Updating -> Active", async () => {
    const h = await startHarness();
    await createFunction(h, "recorder", { Environment: { Variables: [{ Key: "A", Value: "1" }] } });
    await settle(h, "recorder");
    await h.scf.UpdateFunctionConfiguration({ FunctionName: "recorder", Environment: { Variables: [{ Key: "", Value: "" }] } });
    const updating = await h.scf.GetFunction({ FunctionName: "recorder" });
    expect(updating.Status).toBe("Updating");
    expect(updating.Environment?.Variables).toEqual([]);
    expect((await h.scf.GetFunction({ FunctionName: "recorder" })).Status).toBe("Active");
  });

  it("answers ResourceNotFound.Function for an unknown function and after DeleteFunction", async () => {
    const h = await startHarness();
    expect(await codeOf(h.scf.GetFunction({ FunctionName: "nope" }))).toBe("ResourceNotFound.Function");
    await createFunction(h, "recorder");
    await h.scf.DeleteFunction({ FunctionName: "recorder" });
    expect(await codeOf(h.scf.GetFunction({ FunctionName: "recorder" }))).toBe("ResourceNotFound.Function");
  });

  it("validates memory, timeout, function name and code", async () => {
    const h = await startHarness();
    expect(await codeOf(createFunction(h, "r", {}))).toBe("InvalidParameterValue.FunctionName");
    expect(await codeOf(createFunction(h, "recorder", { MemorySize: 200 }))).toBe("InvalidParameterValue.MemorySize");
    expect(await codeOf(createFunction(h, "recorder", { Timeout: 901 }))).toBe("LimitExceeded.Timeout");
    await createFunction(h, "longrun", { Timeout: 3600, AsyncRunEnable: "TRUE" });
    expect(await codeOf(h.scf.CreateFunction({ FunctionName: "nocode", Code: { ZipFile: Buffer.from("not a zip").toString("base64") } }))).toBe("InvalidParameterValue.ZipFile");
  });

  it("mounts CFS only by file system id and mount target, from a function in the same VPC", async () => {
    const h = await startHarness();
    const { vpcId, subnetId } = await network(h);
    const { id, mountTarget } = await fileSystem(h, vpcId, subnetId);
    expect(mountTarget?.MountTargetId).toBe(id);
    expect(mountTarget?.FSID).toMatch(/^[a-z0-9]{8}$/);
    const mount = (cfsId: string, mountInsId: string) => ({
      CfsConfig: { CfsInsList: [{ UserId: "10000", UserGroupId: "10000", CfsId: cfsId, MountInsId: mountInsId, LocalMountDir: "/mnt/audio", RemoteMountDir: "/" }] },
    });
    const inVpc = { VpcConfig: { VpcId: vpcId, SubnetId: subnetId } };
    expect(await codeOf(createFunction(h, "nonet", mount(id, id)))).toBe("InvalidParameterValue.VpcNotSetWhenOpenCfs");
    expect(await codeOf(createFunction(h, "fsid", { ...inVpc, ...mount(mountTarget?.FSID ?? "", mountTarget?.FSID ?? "") }))).toBe("InvalidParameterValue.CfsId");
    expect(await codeOf(createFunction(h, "unknown", { ...inVpc, ...mount("cfs-00000000", "cfs-00000000") }))).toBe("ResourceNotFound.GetCfsNotMatch");
    expect(await codeOf(createFunction(h, "wrongmt", { ...inVpc, ...mount(id, "cfs-11111111") }))).toBe("ResourceNotFound.CfsMountInsNotMatch");
    const other = await h.vpc.CreateVpc({ VpcName: "other", CidrBlock: "172.16.0.0/16" });
    const otherSubnet = await h.vpc.CreateSubnet({ VpcId: other.Vpc?.VpcId ?? "", SubnetName: "o", CidrBlock: "172.16.1.0/24", Zone: "ap-guangzhou-3" });
    const elsewhere = { VpcConfig: { VpcId: other.Vpc?.VpcId, SubnetId: otherSubnet.Subnet?.SubnetId } };
    expect(await codeOf(createFunction(h, "elsewhere", { ...elsewhere, ...mount(id, id) }))).toBe("ResourceNotFound.CfsVpcNotMatch");
    await createFunction(h, "mounted", { ...inVpc, ...mount(id, id) });
    const f = await h.scf.GetFunction({ FunctionName: "mounted" });
    expect(f.CfsConfig?.CfsInsList?.[0]).toMatchObject({ CfsId: id, MountInsId: id, MountVpcId: vpcId, MountSubnetId: subnetId });
  });

  it("takes an execution role that exists in CAM (SCF_ExecuteRole is there from the start) and refuses one that does not", async () => {
    const h = await startHarness();
    await createFunction(h, "recorder", { Role: "SCF_ExecuteRole" });
    expect((await h.scf.GetFunction({ FunctionName: "recorder" })).Role).toBe("SCF_ExecuteRole");
    expect(await codeOf(createFunction(h, "other", { Role: "recorder-dev" }))).toBe("ResourceNotFound.Role");
  });

  it("refuses a subnet that is not in the function's VPC", async () => {
    const h = await startHarness();
    const { vpcId } = await network(h);
    const other = await network(h);
    expect(await codeOf(createFunction(h, "recorder", { VpcConfig: { VpcId: vpcId, SubnetId: other.subnetId } }))).toBe("InvalidParameterValue.Vpc");
  });

  it("replaces only code and handler on UpdateFunctionCode (it has no CfsConfig parameter) and goes Updating", async () => {
    const h = await startHarness();
    await createFunction(h, "recorder");
    await settle(h, "recorder");
    const zip = (await HANDLER_ZIP()).toString("base64");
    await h.scf.UpdateFunctionCode({ FunctionName: "recorder", Handler: "index.other", Code: { ZipFile: zip } });
    const f = await h.scf.GetFunction({ FunctionName: "recorder" });
    expect(f.Status).toBe("Updating");
    expect(f.Handler).toBe("index.other");
  });
});
