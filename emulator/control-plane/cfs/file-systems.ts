// CreateCfsFileSystem, DescribeCfsFileSystems, DescribeMountTargets, UpdateCfsFileSystemName,
// UpdateCfsFileSystemPGroup, ScaleUpFileSystem, DeleteCfsFileSystem. A file system is "creating" until it has been
// described once, then "available" (what resource_tc_cfs_file_system.go waits for). Its mount target has the file
// system's id as MountTargetId and a separate 8-character FSID (CFS DescribeMountTargets example output).
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import { newId, randomSuffix } from "../ids";
import type { PersistedState } from "../persisted-state";
import { beijingTime, oneOf, optInt, optObjectArray, optString, reqString } from "../request-params";
import { hostAddress, parseCidr } from "../vpc/cidr";
import type { CfsState, FileSystemRecord } from "./model";

export interface CfsNetworkLookup {
  vpcExists(vpcId: string): boolean;
  vpcOfSubnet(subnetId: string): string | undefined;
  subnetCidr(subnetId: string): string | undefined;
}

const SIZE_GIB: Record<string, number> = { SD: 160, HP: 4096, TB: 20480, TP: 10240 };

export function fileSystemActions(ctx: ControlPlaneContext, persisted: PersistedState<CfsState>, network: CfsNetworkLookup | undefined): Record<string, Tc3Handler> {
  const s = () => persisted.data;
  const tagName = (id: string) => `qcs::cfs:${ctx.region}:uin/:filesystem/${id}`;
  const find = (id: string) => s().fileSystems.find((f) => f.id === id);
  const requireFs = (id: string): FileSystemRecord => {
    const f = find(id);
    if (!f) throw new Tc3ApiError("ResourceNotFound.FileSystemNotFound", `File system ${id} does not exist`);
    return f;
  };
  const requirePGroup = (id: string) => {
    if (!s().pgroups.some((g) => g.id === id)) throw new Tc3ApiError("InvalidParameterValue.InvalidPgroupId", `PGroupId ${id} is not a permission group of this account`);
  };
  const info = (f: FileSystemRecord, status: string) => {
    const g = s().pgroups.find((x) => x.id === f.pgroupId);
    return {
      CreationTime: f.creationTime,
      CreationToken: f.creationToken,
      FileSystemId: f.id,
      LifeCycleState: status,
      SizeByte: 0,
      SizeLimit: f.capacityGiB,
      ZoneId: 0,
      Zone: f.zone,
      Protocol: f.protocol,
      StorageType: f.storageType,
      StorageResourcePkg: "",
      BandwidthResourcePkg: "",
      PGroup: { PGroupId: f.pgroupId, Name: g?.name ?? "" },
      FsName: f.name,
      Encrypted: false,
      KmsKeyId: "",
      AppId: Number(ctx.appId),
      BandwidthLimit: 100,
      Capacity: f.capacityGiB,
      Tags: Object.entries(ctx.tags.tagsOf(tagName(f.id))).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
      TieringState: "",
    };
  };

  return {
    CreateCfsFileSystem: (p) => {
      const zone = reqString(p, "Zone");
      const netInterface = oneOf("NetInterface", reqString(p, "NetInterface"), ["VPC", "CCN"] as const, "InvalidParameterValue");
      const pgroupId = reqString(p, "PGroupId");
      requirePGroup(pgroupId);
      const protocol = oneOf("Protocol", optString(p, "Protocol") ?? "NFS", ["NFS", "CIFS", "TURBO"] as const, "InvalidParameterValue.InvalidProtocol");
      const storageType = oneOf("StorageType", optString(p, "StorageType") ?? "SD", ["SD", "HP", "TB", "TP"] as const, "InvalidParameterValue.InvalidStorageType");
      const vpcId = optString(p, "VpcId") ?? "";
      const subnetId = optString(p, "SubnetId") ?? "";
      if (netInterface === "VPC") {
        if (vpcId === "") throw new Tc3ApiError("InvalidParameterValue.InvalidVpcId", "VpcId is required when NetInterface is VPC");
        if (subnetId === "") throw new Tc3ApiError("InvalidParameterValue.InvalidSubnetId", "SubnetId is required when NetInterface is VPC");
        if (network && !network.vpcExists(vpcId)) throw new Tc3ApiError("InvalidParameterValue.InvalidVpcId", `VpcId ${vpcId} does not exist`);
        if (network && network.vpcOfSubnet(subnetId) !== vpcId) throw new Tc3ApiError("InvalidParameterValue.InvalidSubnetId", `SubnetId ${subnetId} is not a subnet of ${vpcId}`);
      }
      const cidr = network?.subnetCidr(subnetId);
      const n = s().fileSystems.length + 3;
      const f: FileSystemRecord = {
        id: newId("cfs", (id) => find(id) !== undefined),
        creationToken: optString(p, "FsName") ?? "",
        name: optString(p, "FsName") ?? "",
        zone,
        pgroupId,
        protocol,
        storageType,
        netInterface,
        vpcId,
        subnetId,
        ipAddress: optString(p, "MountIP") ?? (cidr ? hostAddress(parseCidr(cidr, "subnet"), n) : `10.0.0.${n}`),
        fsid: randomSuffix(8),
        capacityGiB: optInt(p, "Capacity") ?? SIZE_GIB[storageType],
        creationTime: beijingTime(ctx.now()),
        status: "creating",
        pendingReads: 1,
      };
      s().fileSystems.push(f);
      const tags: Record<string, string> = {};
      for (const t of optObjectArray(p, "ResourceTags") ?? []) {
        if (typeof t.TagKey === "string" && typeof t.TagValue === "string") tags[t.TagKey] = t.TagValue;
      }
      if (Object.keys(tags).length > 0) ctx.tags.modify(tagName(f.id), tags);
      persisted.save();
      return { CreationTime: f.creationTime, CreationToken: f.creationToken, FileSystemId: f.id, LifeCycleState: "creating", SizeByte: 0, ZoneId: 0, FsName: f.name, Encrypted: false };
    },
    DescribeCfsFileSystems: (p) => {
      const id = optString(p, "FileSystemId");
      const vpcId = optString(p, "VpcId");
      const subnetId = optString(p, "SubnetId");
      const rows = s().fileSystems.filter((f) => (!id || f.id === id) && (!vpcId || f.vpcId === vpcId) && (!subnetId || f.subnetId === subnetId));
      let changed = false;
      const out = rows.map((f) => {
        const status = f.status;
        if (f.pendingReads > 0) {
          f.pendingReads -= 1;
          if (f.pendingReads === 0) f.status = "available";
          changed = true;
        }
        return info(f, status);
      });
      if (changed) persisted.save();
      return { FileSystems: out, TotalCount: out.length };
    },
    DescribeMountTargets: (p) => {
      const f = requireFs(reqString(p, "FileSystemId"));
      return {
        MountTargets: [
          {
            FileSystemId: f.id,
            MountTargetId: f.id,
            IpAddress: f.ipAddress,
            FSID: f.fsid,
            LifeCycleState: f.status === "creating" ? "creating" : "available",
            NetworkInterface: f.netInterface,
            VpcId: f.vpcId,
            VpcName: "",
            SubnetId: f.subnetId,
            SubnetName: "",
            CcnID: "-",
            CidrBlock: "-",
          },
        ],
        NumberOfMountTargets: 1,
      };
    },
    UpdateCfsFileSystemName: (p) => {
      const f = requireFs(reqString(p, "FileSystemId"));
      f.name = optString(p, "FsName") ?? "";
      persisted.save();
      return { CreationToken: f.creationToken, FileSystemId: f.id, FsName: f.name };
    },
    UpdateCfsFileSystemPGroup: (p) => {
      const f = requireFs(reqString(p, "FileSystemId"));
      const g = reqString(p, "PGroupId");
      requirePGroup(g);
      f.pgroupId = g;
      persisted.save();
      return { PGroupId: g, FileSystemId: f.id };
    },
    ScaleUpFileSystem: (p) => {
      const f = requireFs(reqString(p, "FileSystemId"));
      const target = optInt(p, "TargetCapacity") ?? 0;
      if (target <= f.capacityGiB) throw new Tc3ApiError("InvalidParameterValue", `TargetCapacity must exceed the current ${f.capacityGiB} GiB (got ${target})`);
      f.capacityGiB = target;
      persisted.save();
      return { FileSystemId: f.id, TargetCapacity: target };
    },
    DeleteCfsFileSystem: (p) => {
      const f = requireFs(reqString(p, "FileSystemId"));
      s().fileSystems = s().fileSystems.filter((x) => x !== f);
      ctx.tags.forget(tagName(f.id));
      persisted.save();
      return {};
    },
  };
}
