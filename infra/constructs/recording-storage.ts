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
    c.check(props.network.subnetCidr !== undefined, "network", "a network whose subnetCidr is known (the CFS access rule is scoped to it)", props.network.subnetId);

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
    this.network = props.network;
    this.mountDir = mountDir;
    this.fileSystemId = fs.fsId;
    // For a standard CFS file system the mount target id SCF asks for is the file system id itself.
    this.mount = { userId, userGroupId: userId, cfsId: fs.fsId, mountInsId: fs.fsId, localMountDir: mountDir, remoteMountDir: remoteDir };
  }
}
