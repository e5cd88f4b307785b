// VPC and CFS through the real vpc.v20170312 / cfs.v20190719 clients: VPCs and subnets with their CIDR rules and
// default route table, file systems that are "creating" until described once, mount targets whose FSID is not the
// file system id, and permission groups with rules.
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, codeOf, startHarness, type Harness } from "./fixture";

afterEach(closeAll);

async function network(h: Harness) {
  const v = await h.vpc.CreateVpc({ VpcName: "rec", CidrBlock: "10.0.0.0/16", Tags: [{ Key: "app", Value: "rec" }] });
  const vpcId = v.Vpc?.VpcId ?? "";
  const s = await h.vpc.CreateSubnet({ VpcId: vpcId, SubnetName: "rec-a", CidrBlock: "10.0.1.0/24", Zone: "ap-guangzhou-3" });
  return { vpcId, subnetId: s.Subnet?.SubnetId ?? "" };
}

describe("VPC (vpc.v20170312)", () => {
  it("creates a VPC and subnet and reads them back with string Offset/Limit and id filters, as the provider does", async () => {
    const h = await startHarness();
    const { vpcId, subnetId } = await network(h);
    expect(vpcId).toMatch(/^vpc-[a-z0-9]{8}$/);
    const vpcs = await h.vpc.DescribeVpcs({ Filters: [{ Name: "vpc-id", Values: [vpcId] }], Offset: "0", Limit: "100" });
    expect(vpcs.TotalCount).toBe(1);
    expect(vpcs.VpcSet?.[0]).toMatchObject({ VpcId: vpcId, VpcName: "rec", CidrBlock: "10.0.0.0/16", IsDefault: false, EnableMulticast: false, TagSet: [{ Key: "app", Value: "rec" }] });
    const subnets = await h.vpc.DescribeSubnets({ Filters: [{ Name: "subnet-id", Values: [subnetId] }], Offset: "0", Limit: "100" });
    expect(subnets.SubnetSet?.[0]).toMatchObject({ SubnetId: subnetId, VpcId: vpcId, Zone: "ap-guangzhou-3", CdcId: "", AvailableIpAddressCount: 253 });
    const rt = await h.vpc.DescribeRouteTables({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "association.main", Values: ["true"] }] });
    expect(rt.RouteTableSet?.[0]?.Main).toBe(true);
    expect(subnets.SubnetSet?.[0]?.RouteTableId).toBe(rt.RouteTableSet?.[0]?.RouteTableId);
    await h.vpc.ModifyVpcAttribute({ VpcId: vpcId, VpcName: "rec2" });
    expect((await h.vpc.DescribeVpcs({ VpcIds: [vpcId] })).VpcSet?.[0]?.VpcName).toBe("rec2");
  });

  it("refuses a public or oversized VPC block, a subnet outside its VPC or overlapping a sibling, and deleting a VPC with subnets", async () => {
    const h = await startHarness();
    expect(await codeOf(h.vpc.CreateVpc({ VpcName: "x", CidrBlock: "8.8.0.0/16" }))).toBe("InvalidParameterValue.Range");
    expect(await codeOf(h.vpc.CreateVpc({ VpcName: "x", CidrBlock: "10.0.0.1/16" }))).toBe("InvalidParameterValue.Malformed");
    const { vpcId, subnetId } = await network(h);
    expect(await codeOf(h.vpc.CreateSubnet({ VpcId: vpcId, SubnetName: "b", CidrBlock: "10.1.0.0/24", Zone: "ap-guangzhou-3" }))).toBe("InvalidParameterValue.SubnetRange");
    expect(await codeOf(h.vpc.CreateSubnet({ VpcId: vpcId, SubnetName: "b", CidrBlock: "10.0.1.128/25", Zone: "ap-guangzhou-3" }))).toBe("InvalidParameterValue.SubnetConflict");
    expect(await codeOf(h.vpc.DeleteVpc({ VpcId: vpcId }))).toBe("ResourceInUse");
    await h.vpc.DeleteSubnet({ SubnetId: subnetId });
    await h.vpc.DeleteVpc({ VpcId: vpcId });
    expect(await codeOf(h.vpc.DeleteVpc({ VpcId: vpcId }))).toBe("ResourceNotFound");
    expect((await h.vpc.DescribeVpcs({ VpcIds: [vpcId] })).TotalCount).toBe(0);
  });
});

describe("subnets in use", () => {
  it("refuses deleting a subnet a CFS mount target or an SCF function sits in (ResourceInUse)", async () => {
    const h = await startHarness();
    const { vpcId, subnetId } = await network(h);
    const fs = await h.cfs.CreateCfsFileSystem({ Zone: "ap-guangzhou-3", NetInterface: "VPC", PGroupId: "pgroupbasic", VpcId: vpcId, SubnetId: subnetId });
    expect(await codeOf(h.vpc.DeleteSubnet({ SubnetId: subnetId }))).toBe("ResourceInUse");
    await h.cfs.DeleteCfsFileSystem({ FileSystemId: fs.FileSystemId ?? "" });
    await h.vpc.DeleteSubnet({ SubnetId: subnetId });
  });
});

describe("CFS (cfs.v20190719)", () => {
  it("is 'creating' on the first describe and 'available' afterwards; the mount target's FSID is not the file system id", async () => {
    const h = await startHarness();
    const { vpcId, subnetId } = await network(h);
    const fs = await h.cfs.CreateCfsFileSystem({ Zone: "ap-guangzhou-3", NetInterface: "VPC", PGroupId: "pgroupbasic", Protocol: "NFS", StorageType: "SD", VpcId: vpcId, SubnetId: subnetId, FsName: "rec" });
    const id = fs.FileSystemId ?? "";
    expect(id).toMatch(/^cfs-[a-z0-9]{8}$/);
    expect((await h.cfs.DescribeCfsFileSystems({ FileSystemId: id })).FileSystems?.[0]?.LifeCycleState).toBe("creating");
    const ready = (await h.cfs.DescribeCfsFileSystems({ FileSystemId: id })).FileSystems?.[0];
    expect(ready).toMatchObject({ LifeCycleState: "available", FsName: "rec", Protocol: "NFS", StorageType: "SD", PGroup: { PGroupId: "pgroupbasic" } });
    const mt = (await h.cfs.DescribeMountTargets({ FileSystemId: id })).MountTargets?.[0];
    expect(mt).toMatchObject({ FileSystemId: id, MountTargetId: id, VpcId: vpcId, SubnetId: subnetId, NetworkInterface: "VPC" });
    expect(mt?.FSID).not.toBe(id);
    expect(mt?.IpAddress).toMatch(/^10\.0\.1\.\d+$/);
    await h.cfs.DeleteCfsFileSystem({ FileSystemId: id });
    expect((await h.cfs.DescribeCfsFileSystems({ FileSystemId: id })).FileSystems).toEqual([]);
  });

  it("refuses a subnet outside the VPC and an unknown permission group", async () => {
    const h = await startHarness();
    const { vpcId } = await network(h);
    const other = await network(h);
    expect(await codeOf(h.cfs.CreateCfsFileSystem({ Zone: "ap-guangzhou-3", NetInterface: "VPC", PGroupId: "pgroupbasic", VpcId: vpcId, SubnetId: other.subnetId }))).toBe(
      "InvalidParameterValue.InvalidSubnetId",
    );
    expect(await codeOf(h.cfs.CreateCfsFileSystem({ Zone: "ap-guangzhou-3", NetInterface: "VPC", PGroupId: "pgroup-nope", VpcId: vpcId, SubnetId: other.subnetId }))).toBe(
      "InvalidParameterValue.InvalidPgroupId",
    );
  });

  it("manages permission groups and rules; RWPermission reads back lower-case; a group in use cannot be deleted", async () => {
    const h = await startHarness();
    const g = await h.cfs.CreateCfsPGroup({ Name: "recorder", DescInfo: "rec" });
    const pgroupId = g.PGroupId ?? "";
    expect(await codeOf(h.cfs.CreateCfsPGroup({ Name: "recorder" }))).toBe("InvalidParameterValue.DuplicatedPgroupName");
    expect((await h.cfs.DescribeCfsPGroups()).PGroupList?.map((x) => x.PGroupId)).toEqual(["pgroupbasic", pgroupId]);
    const rule = await h.cfs.CreateCfsRule({ PGroupId: pgroupId, AuthClientIp: "10.0.0.0/16", Priority: 1, RWPermission: "RW", UserPermission: "no_all_squash" });
    expect((await h.cfs.DescribeCfsRules({ PGroupId: pgroupId })).RuleList).toEqual([
      { RuleId: rule.RuleId, AuthClientIp: "10.0.0.0/16", RWPermission: "rw", UserPermission: "no_all_squash", Priority: 1 },
    ]);
    expect(await codeOf(h.cfs.CreateCfsRule({ PGroupId: pgroupId, AuthClientIp: "10.0.0.0/16", Priority: 101 }))).toBe("InvalidParameterValue.InvalidPriority");
    await h.cfs.UpdateCfsRule({ PGroupId: pgroupId, RuleId: rule.RuleId ?? "", Priority: 5 });
    expect((await h.cfs.DescribeCfsRules({ PGroupId: pgroupId })).RuleList?.[0]?.Priority).toBe(5);
    const { vpcId, subnetId } = await network(h);
    const fs = await h.cfs.CreateCfsFileSystem({ Zone: "ap-guangzhou-3", NetInterface: "VPC", PGroupId: pgroupId, VpcId: vpcId, SubnetId: subnetId });
    expect(await codeOf(h.cfs.DeleteCfsPGroup({ PGroupId: pgroupId }))).toBe("FailedOperation.PgroupInUse");
    await h.cfs.DeleteCfsFileSystem({ FileSystemId: fs.FileSystemId ?? "" });
    await h.cfs.DeleteCfsRule({ PGroupId: pgroupId, RuleId: rule.RuleId ?? "" });
    await h.cfs.DeleteCfsPGroup({ PGroupId: pgroupId });
    expect(await codeOf(h.cfs.DescribeCfsRules({ PGroupId: pgroupId }))).toBe("InvalidParameterValue.InvalidPgroup");
  });
});
