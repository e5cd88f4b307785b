// CFS account state ("cfs.json"): file systems (each with its one VPC mount target) and permission groups with rules.
export interface FileSystemRecord {
  id: string;
  creationToken: string;
  name: string;
  zone: string;
  pgroupId: string;
  protocol: string;
  storageType: string;
  netInterface: string;
  vpcId: string;
  subnetId: string;
  ipAddress: string;
  /** The NFS root id of the mount target (e.g. "7anyvaro"): what the provider stores as fs_id. */
  fsid: string;
  capacityGiB: number;
  creationTime: string;
  status: string;
  pendingReads: number;
}

export interface RuleRecord {
  id: string;
  authClientIp: string;
  rwPermission: string;
  userPermission: string;
  priority: number;
}

export interface PGroupRecord {
  id: string;
  name: string;
  descInfo: string;
  cdate: string;
  rules: RuleRecord[];
}

export interface CfsState {
  fileSystems: FileSystemRecord[];
  pgroups: PGroupRecord[];
}
