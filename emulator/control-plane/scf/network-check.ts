// SCF checks a function's VPC and CFS mounts against the other services of the account: the subnet must be in the
// VPC, the CFS id must be a file system (`cfs-…`, not the mount target's FSID such as `bb1234…`), the mount target must
// belong to it, and the function must sit in the VPC of that mount target (CFS is reachable only inside its VPC).
import { Tc3ApiError } from "../../tc3/types";
import type { CfsMount, FunctionConfig } from "./model";

export interface MountTargetView {
  mountTargetId: string;
  vpcId: string;
  subnetId: string;
  ipAddress: string;
}

/** What SCF needs to know about CFS. */
export interface CfsLookup {
  fileSystemExists(fileSystemId: string): boolean;
  mountTargets(fileSystemId: string): MountTargetView[];
}

/** What SCF needs to know about VPC. */
export interface VpcLookup {
  vpcExists(vpcId: string): boolean;
  /** The VPC a subnet belongs to, undefined for an unknown subnet. */
  vpcOfSubnet(subnetId: string): string | undefined;
}

export function checkVpc(vpc: FunctionConfig["vpc"], lookup: VpcLookup | undefined): void {
  if (vpc.VpcId === "" && vpc.SubnetId === "") return;
  if (vpc.VpcId === "" || vpc.SubnetId === "") {
    throw new Tc3ApiError("InvalidParameterValue.Vpc", `VpcConfig needs both VpcId and SubnetId (got VpcId "${vpc.VpcId}", SubnetId "${vpc.SubnetId}")`);
  }
  if (!lookup) return;
  if (!lookup.vpcExists(vpc.VpcId)) throw new Tc3ApiError("ResourceNotFound.Vpc", `VpcConfig.VpcId ${vpc.VpcId} does not exist`);
  const owner = lookup.vpcOfSubnet(vpc.SubnetId);
  if (owner !== vpc.VpcId) {
    throw new Tc3ApiError("InvalidParameterValue.Vpc", `VpcConfig.SubnetId ${vpc.SubnetId} is not a subnet of ${vpc.VpcId}${owner ? ` (it belongs to ${owner})` : " (no such subnet)"}`);
  }
}

/** Validates the mounts and fills the read-only fields GetFunction returns (IpAddress, MountVpcId, MountSubnetId). */
export function checkCfsMounts(mounts: CfsMount[], vpc: FunctionConfig["vpc"], lookup: CfsLookup | undefined): CfsMount[] {
  if (mounts.length === 0) return mounts;
  if (vpc.VpcId === "") {
    throw new Tc3ApiError("InvalidParameterValue.VpcNotSetWhenOpenCfs", "CfsConfig needs the function in a VPC (VpcConfig) first: CFS is reachable only inside its VPC");
  }
  const seen = new Set<string>();
  return mounts.map((m, i) => {
    const at = `CfsConfig.CfsInsList[${i}]`;
    if (!/^cfs-[a-z0-9]+$/.test(m.CfsId)) {
      throw new Tc3ApiError("InvalidParameterValue.CfsId", `${at}.CfsId must be a CFS file system id like cfs-3a2d8f4e (got "${m.CfsId}"; the FSID of a mount target is not a file system id)`);
    }
    if (!m.LocalMountDir.startsWith("/mnt/")) {
      throw new Tc3ApiError("InvalidParameterValue.CfsLocalMountDir", `${at}.LocalMountDir must be under /mnt/ (got "${m.LocalMountDir}")`);
    }
    if (!m.RemoteMountDir.startsWith("/")) {
      throw new Tc3ApiError("InvalidParameterValue.CfsRemoteMountDir", `${at}.RemoteMountDir must be an absolute path (got "${m.RemoteMountDir}")`);
    }
    if (seen.has(m.LocalMountDir)) throw new Tc3ApiError("InvalidParameterValue.CfsParameterDuplicate", `${at}.LocalMountDir ${m.LocalMountDir} is mounted twice`);
    seen.add(m.LocalMountDir);
    if (!lookup) return m;
    if (!lookup.fileSystemExists(m.CfsId)) throw new Tc3ApiError("ResourceNotFound.GetCfsNotMatch", `${at}.CfsId ${m.CfsId}: no such CFS file system in this account and region`);
    const target = lookup.mountTargets(m.CfsId).find((t) => t.mountTargetId === m.MountInsId);
    if (!target) {
      throw new Tc3ApiError("ResourceNotFound.CfsMountInsNotMatch", `${at}.MountInsId ${m.MountInsId} is not a mount target of ${m.CfsId}`);
    }
    if (target.vpcId !== vpc.VpcId) {
      throw new Tc3ApiError("ResourceNotFound.CfsVpcNotMatch", `${at}: the mount target of ${m.CfsId} is in ${target.vpcId}, the function is in ${vpc.VpcId}; they must be the same VPC`);
    }
    return { ...m, IpAddress: target.ipAddress, MountVpcId: target.vpcId, MountSubnetId: target.subnetId };
  });
}
