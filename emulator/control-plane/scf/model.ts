// The SCF account state the control plane keeps (one JSON document, "scf.json"): namespaces, functions with their
// $LATEST configuration, published versions (frozen copies), aliases, triggers, and layers with their versions.
// Plain data only, so it survives a restart byte for byte; the rules live in the action files.

/** Where a function's or layer's code came from, and where the emulator keeps the bytes. */
export interface StoredCode {
  source: "ZipFile" | "Cos";
  /** Hex SHA-256 of the zip, when the bytes are known. */
  sha256?: string;
  size: number;
  /** Absolute path of the zip in the state folder (content-addressed), when the bytes are known. */
  zipPath?: string;
  /** The COS reference as sent (bucket without -appid, object key, region). */
  cos?: { bucket: string; object: string; region: string };
}

export interface CfsMount {
  UserId: string;
  UserGroupId: string;
  CfsId: string;
  MountInsId: string;
  LocalMountDir: string;
  RemoteMountDir: string;
  /** Filled from the CFS mount target, as GetFunction returns them. */
  IpAddress: string;
  MountVpcId: string;
  MountSubnetId: string;
}

export interface AsyncTriggerConfig {
  RetryConfig: Array<{ RetryNum: number }>;
  MsgTTL: number;
}

/** Everything PublishVersion freezes. */
export interface FunctionConfig {
  handler: string;
  runtime: string;
  description: string;
  memorySize: number;
  timeout: number;
  environment: Array<{ Key: string; Value: string }>;
  vpc: { VpcId: string; SubnetId: string };
  role: string;
  clsLogsetId: string;
  clsTopicId: string;
  layers: Array<{ LayerName: string; LayerVersion: number }>;
  cfs: CfsMount[];
  publicNet: { PublicNetStatus: string; EipStatus: string };
  initTimeout: number;
  dnsCache: string;
  l5Enable: string;
  code: StoredCode;
  asyncTriggerConfig?: AsyncTriggerConfig;
}

export interface VersionRecord {
  version: string;
  description: string;
  config: FunctionConfig;
  addTime: string;
  modTime: string;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  weights: Array<{ Version: string; Weight: number }>;
  matches: Array<{ Version: string; Key: string; Method: string; Expression: string }>;
  addTime: string;
  modTime: string;
}

export interface TriggerRecord {
  name: string;
  type: string;
  qualifier: string;
  /** TriggerDesc exactly as the API returns it (timer: {"cron":...}; http: with the URLs filled in). */
  desc: string;
  enable: boolean;
  customArgument: string;
  description: string;
  addTime: string;
  modTime: string;
}

/** Transitional statuses settle on reads, never on timers: `pendingReads` reads still see `status`. */
export interface Settling {
  status: string;
  pendingReads: number;
}

export interface FunctionRecord extends Settling {
  id: string;
  name: string;
  namespace: string;
  type: string;
  asyncRunEnable: string;
  traceEnable: string;
  tags: Record<string, string>;
  addTime: string;
  modTime: string;
  latest: FunctionConfig;
  versions: VersionRecord[];
  /** Versions are numbered per function and never reused. */
  nextVersion: number;
  aliases: AliasRecord[];
  triggers: TriggerRecord[];
}

export interface LayerVersionRecord extends Settling {
  name: string;
  version: number;
  runtimes: string[];
  description: string;
  license: string;
  code: StoredCode;
  addTime: string;
}

export interface NamespaceRecord {
  name: string;
  description: string;
  type: string;
  addTime: string;
  modTime: string;
}

export interface ScfState {
  namespaces: NamespaceRecord[];
  functions: FunctionRecord[];
  layers: Record<string, { nextVersion: number; versions: LayerVersionRecord[] }>;
}
