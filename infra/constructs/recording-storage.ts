import { posix } from "node:path";
import { Construct } from "constructs";
import { cfsAccessGroup, cfsAccessRule, cfsFileSystem } from "../provider/generated";
import type { Network } from "./network";
import { PropChecker } from "./prop-errors";

export interface RecordingStorageProps {
  /** Prefix for resource names. */
  readonly name: string;
  /** The VPC/subnet the file system is reachable in; the functions are placed in the same one. */
  readonly network: Network;
  /** Zone of the file system (must be the subnet's zone). */
  readonly availabilityZone: string;
  /** Where the file system is mounted inside the functions; `CFS_PATH` is set to exactly this. @default "/mnt/recordings" */
  readonly mountDir?: string;
  /** CFS storage class: SD standard, HP high performance, TB/TP turbo. @default "SD" */
  readonly storageType?: "SD" | "HP" | "TB" | "TP";
  /** Directory of the file system that is mounted. @default "/" */
  readonly remoteDir?: string;
  /** uid/gid the function runs as (SCF's convention). @default "10000" */
  readonly userId?: string;
  /**
   * Mount this existing CFS file system (in `network`'s VPC, with its access group and rules as its owner set them)
   * instead of creating one. @default none (a file system, access group and subnet rule are created)
   */
  readonly existingFileSystemId?: string;
  /** The existing file system's mount target id. @default existingFileSystemId (a standard CFS file system's mount target) */
  readonly existingMountTargetId?: string;
  /** Tags for created resources. @default {} */
  readonly tags?: Record<string, string>;
}

/** One CFS mount entry as `tencentcloud_scf_function.cfs_config` takes it. */
export interface CfsMount {
  userId: string;
  userGroupId: string;
  cfsId: string;
  mountInsId: string;
  localMountDir: string;
  remoteMountDir: string;
}

/**
 * A CFS file system the recorder works in (bigger than SCF's 512 MB /tmp, shared by invocations, survives them):
 * access group + a read-write rule for the subnet, and the mount entry the functions use.
 */
export class RecordingStorage extends Construct {
  readonly mountDir: string;
  readonly fileSystemId: string;
  readonly network: Network;
  readonly mount: CfsMount;
  /** True when an existing file system is mounted (nothing of it is managed here). */
  readonly existing: boolean;

  constructor(scope: Construct, id: string, props: RecordingStorageProps) {
    super(scope, id);
    const c = new PropChecker("RecordingStorage");
    const mountDir = props.mountDir ?? "/mnt/recordings";
    // The SCF console only mounts under /mnt/; a normalized path keeps CFS_PATH and the mount byte-identical.
    c.check(
      /^\/mnt\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(mountDir) && posix.normalize(mountDir) === mountDir && !mountDir.split("/").includes(".."),
      "mountDir",
      'a normalized directory under /mnt/ like "/mnt/recordings" (no trailing slash, no "..")',
      mountDir,
    );
    const remoteDir = props.remoteDir ?? "/";
    c.check(remoteDir.startsWith("/") && !remoteDir.split("/").includes(".."), "remoteDir", 'an absolute path inside the file system like "/"', remoteDir);
    const userId = props.userId ?? "10000";
    c.matches(userId, "userId", /^\d+$/, 'a numeric uid like "10000"');
    const existing = props.existingFileSystemId;
    if (existing !== undefined) {
      c.matches(existing, "existingFileSystemId", /^cfs-[a-z0-9]+$/, "a CFS file system id like cfs-abc12345");
      if (props.existingMountTargetId !== undefined) c.matches(props.existingMountTargetId, "existingMountTargetId", /^cfs-[a-z0-9]+$/, "a CFS mount target id like cfs-abc12345");
      c.check(!props.network.created, "network", "the existing VPC/subnet of the file system (SCF mounts a CFS only from its own VPC)", "a network this stack creates");
    } else {
      c.check(props.existingMountTargetId === undefined, "existingMountTargetId", "unset unless existingFileSystemId is set", props.existingMountTargetId);
      c.check(props.network.subnetCidr !== undefined, "network", "a network whose subnetCidr is known (the CFS access rule is scoped to it)", props.network.subnetId);
    }

    let fileSystemId: string;
    let mountTargetId: string;
    if (existing !== undefined) {
      fileSystemId = existing;
      mountTargetId = props.existingMountTargetId ?? existing;
    } else {
      const group = new cfsAccessGroup.CfsAccessGroup(this, "access-group", {
        name: `${props.name}-cfs`,
        description: "recorder functions in the recorder subnet",
      });
      new cfsAccessRule.CfsAccessRule(this, "subnet-rule", {
        accessGroupId: group.id,
        authClientIp: props.network.subnetCidr!,
        priority: 1,
        rwPermission: "RW",
        // The function writes as uid 10000; squashing it would make files unwritable across invocations.
        userPermission: "no_all_squash",
      });
      const fs = new cfsFileSystem.CfsFileSystem(this, "file-system", {
        name: `${props.name}-recordings`,
        accessGroupId: group.id,
        availabilityZone: props.availabilityZone,
        vpcId: props.network.vpcId,
        subnetId: props.network.subnetId,
        protocol: "NFS",
        storageType: props.storageType ?? "SD",
        tags: props.tags,
      });
      // The resource id is CreateCfsFileSystem's FileSystemId (cfs-…), what SCF's CfsConfig wants; fs_id is the mount
      // target's FSID (the NFS root id), which SCF does not accept (resource_tc_cfs_file_system.go).
      fileSystemId = fs.id;
      // A standard file system's mount target id is the file system id (the provider's own scf_function example).
      mountTargetId = fs.id;
    }
    this.network = props.network;
    this.mountDir = mountDir;
    this.fileSystemId = fileSystemId;
    this.existing = existing !== undefined;
    this.mount = { userId, userGroupId: userId, cfsId: fileSystemId, mountInsId: mountTargetId, localMountDir: mountDir, remoteMountDir: remoteDir };
  }
}
