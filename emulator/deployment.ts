// What the local cloud deploys, read from a synthesized stack: plain data, every reference already resolved.

export interface LocalLayer {
  address: string;
  name: string;
  version: number;
  /** Absolute path of the layer zip (the synthesized asset). */
  zipPath: string;
}

export interface LocalMount {
  /** CFS file system id (a computed attribute, so a stable local id). */
  fsId: string;
  /** Where the function sees the file system (cfs_config.local_mount_dir). */
  localMountDir: string;
  remoteMountDir: string;
  userId: string;
  userGroupId: string;
}

export interface LocalFunction {
  address: string;
  name: string;
  namespace: string;
  /** `<file>.<export>`. */
  handler: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** async_run_enable "TRUE": every trigger is answered at once with the request id. */
  asyncRun: boolean;
  /** Exactly as synthesized (container paths such as /opt/ffmpeg and the CFS mount dir are mapped at invoke time). */
  environment: Record<string, string>;
  /** Absolute path of the code zip (the synthesized asset). */
  codeZipPath: string;
  layers: LocalLayer[];
  mounts: LocalMount[];
  /** Qualifiers that exist: $LATEST, published versions and aliases. */
  qualifiers: string[];
  /** Platform retries of a failed asynchronous invocation (event invoke config). @default 2 (SCF's default policy) */
  asyncRetries: number;
  /** Whether the retry count came from a synthesized event invoke config or SCF's default. */
  asyncRetriesSource: "event-invoke-config" | "platform-default";
  /**
   * Published versions with what each froze (code, configuration, layers, mounts), when known — the control plane
   * knows them; a stack read from cdk.tf.json does not. Absent: every qualifier runs the top-level ($LATEST) config.
   */
  versions?: LocalFunctionVersion[];
  /** Aliases with their routing, when known (the control plane knows them). */
  aliases?: LocalAlias[];
}

/** What one published version of a function froze. */
export interface LocalFunctionVersion {
  version: string;
  handler: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  codeZipPath: string;
  layers: LocalLayer[];
  mounts: LocalMount[];
  asyncRetries: number;
}

/** An alias: its main version and the extra versions that take a share of invocations. */
export interface LocalAlias {
  name: string;
  /** "$LATEST" or a version number. */
  version: string;
  additionalVersionWeights: Array<{ version: string; weight: number }>;
}

export type ApigwAuthType = "NONE" | "SECRET";

export interface LocalRoute {
  address: string;
  apiName: string;
  serviceId: string;
  /** Release environment the service is published to: the URL's first path segment. */
  stage: string;
  method: string;
  /** Configured path, e.g. "/recordings/{id}". */
  path: string;
  authType: ApigwAuthType;
  functionName: string;
  namespace: string;
  qualifier: string;
  integratedResponse: boolean;
  /** service_config_timeout: seconds the gateway waits for the function. */
  timeoutSeconds: number;
  /** Declared request parameters by position (only these appear in pathParameters/queryStringParameters). */
  parameters: Array<{ name: string; position: "PATH" | "QUERY" | "HEADER"; required: boolean }>;
}

export interface LocalTimer {
  address: string;
  triggerName: string;
  functionName: string;
  namespace: string;
  qualifier: string;
  /** SCF 7-field cron. */
  cron: string;
  customArgument: string;
  enabled: boolean;
}

export interface LocalFunctionUrl {
  address: string;
  triggerName: string;
  functionName: string;
  namespace: string;
  qualifier: string;
  authType: string;
}

export interface LocalBucket {
  /** Long form `<name>-<appid>`. */
  name: string;
  region: string;
}

export interface LocalKmsKey {
  keyId: string;
  alias?: string;
}

export interface LocalDeployment {
  stackName: string;
  /** Folder holding cdk.tf.json and its assets. */
  stackDir: string;
  region: string;
  account: { appId: string; uin: string };
  functions: LocalFunction[];
  routes: LocalRoute[];
  timers: LocalTimer[];
  functionUrls: LocalFunctionUrl[];
  buckets: LocalBucket[];
  kmsKeys: LocalKmsKey[];
}
