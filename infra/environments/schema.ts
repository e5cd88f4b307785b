/**
 * The typed shape of an environment file (infra/environments/<name>.json), validated at load with valibot.
 * Every message is phrased as "expected …" so the loader can print `field: expected …, got …`.
 */
import * as v from "valibot";
import { TRTC_RECORDING_REGIONS } from "../../function/engine/trtc-region";

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;
const REGION = /^[a-z]{2,}-[a-z]+(-\d+)?$/;

const str = (what: string) => v.string(`expected ${what}`);

export const NetworkSchema = v.union(
  [
    v.strictObject({
      vpcCidr: v.pipe(str("an IPv4 CIDR like 10.0.0.0/16"), v.regex(CIDR, "expected an IPv4 CIDR like 10.0.0.0/16")),
      subnetCidr: v.pipe(str("an IPv4 CIDR like 10.0.1.0/24"), v.regex(CIDR, "expected an IPv4 CIDR like 10.0.1.0/24")),
    }),
    v.strictObject({
      vpcId: v.pipe(str("an existing VPC id like vpc-abc123"), v.regex(/^vpc-[a-z0-9]+$/, "expected an existing VPC id like vpc-abc123")),
      subnetId: v.pipe(str("an existing subnet id like subnet-abc123"), v.regex(/^subnet-[a-z0-9]+$/, "expected an existing subnet id like subnet-abc123")),
    }),
  ],
  "expected either {vpcCidr, subnetCidr} (a new VPC) or {vpcId, subnetId} (an existing one)",
);

export const EnvironmentSchema = v.strictObject({
  /** Must equal the file name; becomes the stack name `recorder-<name>`. */
  name: v.pipe(str("an environment name"), v.regex(/^[a-z][a-z0-9-]{1,20}$/, "expected a lower-case name of 2-21 letters, digits or dashes")),
  /** Tencent Cloud region, e.g. ap-guangzhou. */
  region: v.pipe(str("a region like ap-guangzhou"), v.regex(REGION, "expected a region like ap-guangzhou")),
  /** Availability zone for the subnet and CFS. */
  availabilityZone: v.pipe(str("a zone like ap-guangzhou-3"), v.regex(/^[a-z]{2,}-[a-z]+-\d+$/, "expected a zone like ap-guangzhou-3")),
  /** The account's APPID (used in bucket names); looked up through the provider when omitted. */
  appId: v.optional(v.pipe(str("a 10-digit APPID"), v.regex(/^\d{10}$/, "expected a 10-digit APPID like 1250000000"))),
  network: v.optional(NetworkSchema),
  /**
   * Region of TRTC cloud recording's API, which serves ap-beijing, ap-guangzhou, ap-mumbai, ap-shanghai and
   * ap-singapore only. @default `region` when it is one of those (the loader refuses the rest without this field)
   */
  trtcRegion: v.optional(v.picklist(TRTC_RECORDING_REGIONS, `expected one of ${TRTC_RECORDING_REGIONS.join(", ")} (TRTC cloud recording's regions)`)),
  /**
   * The per-account artifact bucket (`name-appid`) the publish step uploads bundle and layer to, content-addressed as
   * `<kind>/<sha256>.zip`; functions and layers take their code from there (an inline zip cannot exceed the API's 10 MB).
   */
  artifacts: v.strictObject(
    {
      bucket: v.pipe(str("a bucket like trtc-rec-artifacts-1250000000"), v.regex(/^[a-z0-9][a-z0-9-]*-\d{10}$/, "expected a bucket like trtc-rec-artifacts-1250000000 (name-APPID)")),
      region: v.pipe(str("a region like ap-guangzhou"), v.regex(REGION, "expected a region like ap-guangzhou")),
    },
    'expected {"bucket": "<name>-<APPID>", "region": "<region>"}',
  ),
  storage: v.optional(
    v.strictObject({
      enabled: v.boolean("expected true or false"),
      mountDir: v.optional(str("a directory under /mnt/")),
      storageType: v.optional(v.picklist(["SD", "HP", "TB", "TP"], "expected one of SD, HP, TB, TP")),
      /** Mount an existing CFS file system (the seed's case) instead of creating one; its VPC is `network`. */
      fileSystemId: v.optional(v.pipe(str("a CFS file system id like cfs-abc12345"), v.regex(/^cfs-[a-z0-9]+$/, "expected a CFS file system id like cfs-abc12345"))),
      /** Its mount target id. @default the file system id (a standard CFS file system's mount target) */
      mountTargetId: v.optional(v.pipe(str("a CFS mount target id like cfs-abc12345"), v.regex(/^cfs-[a-z0-9]+$/, "expected a CFS mount target id like cfs-abc12345"))),
    }),
  ),
  role: v.optional(
    v.strictObject({
      name: v.optional(str("a CAM role name")),
      /** false: use the existing role `name` (e.g. the console's SCF_ExecuteRole) without creating it. @default true */
      create: v.optional(v.boolean("expected true or false")),
      leastPrivilege: v.optional(v.boolean("expected true or false")),
      deliveryBuckets: v.optional(v.array(v.pipe(str("a bucket name-appid"), v.regex(/^[a-z0-9-]+-\d+$/, "expected a bucket like records-1250000000")))),
    }),
  ),
  function: v.optional(
    v.strictObject({
      namespace: v.optional(str("an SCF namespace")),
      runtime: v.optional(str("an SCF runtime like Nodejs18.15")),
      recorderMemoryMb: v.optional(v.number("expected a number of MB")),
      recorderTimeoutSeconds: v.optional(v.number("expected a number of seconds")),
      apiMemoryMb: v.optional(v.number("expected a number of MB")),
      apiTimeoutSeconds: v.optional(v.number("expected a number of seconds")),
      /** Concurrent instances reserved for (and capping) the recorder. @default none (the account quota) */
      recorderReservedConcurrency: v.optional(v.number("expected a number of instances")),
      /** Concurrent instances reserved for (and capping) recorder-api. @default none (the account quota) */
      apiReservedConcurrency: v.optional(v.number("expected a number of instances")),
      /** Pre-warmed instances of recorder-api's live version (cold starts off the TRTC event path). @default 0 */
      apiProvisionedConcurrency: v.optional(v.number("expected a number of instances")),
    }),
  ),
  ingress: v.optional(
    v.strictObject({
      kind: v.picklist(["apigw", "function-url"], 'expected "apigw" or "function-url"'),
      auth: v.optional(v.boolean("expected true or false")),
      authOptOutReason: v.optional(str("why client routes may be called without auth")),
    }),
  ),
  /** Caller authentication and where the recorder may send callbacks (docs/security.md). */
  security: v.optional(
    v.strictObject({
      /** Verify callers' UserSigs with the app's SDK secret key (runtime secret trtc-sdk-secret-key-<SdkAppId>). @default true */
      userSigVerification: v.optional(v.boolean("expected true or false")),
      /** Why UserSigs may go unverified; required when userSigVerification is false (the synth warns). */
      userSigOptOutReason: v.optional(str("why callers' UserSigs need not be verified")),
      /** Callback hosts (`host` or `host:port`); when set, the only ones callbacks may go to. @default any public host */
      callbackHosts: v.optional(
        v.array(v.pipe(str("a host name or host:port"), v.regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i, "expected a host name or host:port like hooks.example.com"))),
      ),
    }),
  ),
  observability: v.optional(
    v.strictObject({
      alarms: v.optional(v.boolean("expected true or false")),
      logRetentionDays: v.optional(v.number("expected a number of days")),
      noticeWebhookUrl: v.optional(v.pipe(str("an https URL"), v.regex(/^https:\/\/[^\s/]+/, "expected an https URL"))),
    }),
  ),
  /**
   * Where the provider sends its API calls: only for `local`, whose stack the real provider applies into the local
   * emulator (`npm run deploy:local`). `protocol = "HTTP"` with `domain` makes it POST http://<service>.<domain>/
   * through HTTP_PROXY; `cosDomain` is where its COS calls go (without it they are HTTPS to myqcloud.com).
   */
  endpoint: v.optional(
    v.strictObject({
      protocol: v.literal("HTTP", 'expected "HTTP"'),
      domain: v.pipe(str("a domain like emulator.local"), v.regex(/^[a-z0-9.-]+$/, "expected a domain like emulator.local")),
      cosDomain: v.pipe(str("an http URL like http://cos.ap-guangzhou.myqcloud.com"), v.regex(/^http:\/\/[a-z0-9.-]+(:\d+)?$/, "expected an http URL like http://cos.ap-guangzhou.myqcloud.com")),
    }),
  ),
  backend: v.variant(
    "kind",
    [
      v.strictObject({ kind: v.literal("local"), path: v.optional(str("a state file path")) }),
      v.strictObject({
        kind: v.literal("cos"),
        bucket: v.pipe(str("a bucket like tfstate-1250000000"), v.regex(/^[a-z0-9-]+-\d+$/, "expected a bucket like tfstate-1250000000")),
        region: v.pipe(str("a region like ap-guangzhou"), v.regex(REGION, "expected a region like ap-guangzhou")),
        prefix: v.pipe(str("a key prefix like recorder/prod"), v.regex(/^(?![./])[A-Za-z0-9._/-]+$/, "expected a prefix like recorder/prod (not starting with / or ./)")),
      }),
    ],
    'expected {"kind":"local"} or {"kind":"cos", bucket, region, prefix}',
  ),
  tags: v.optional(v.record(v.string(), str("a tag value"), "expected an object of string tags")),
});

export type EnvironmentConfig = v.InferOutput<typeof EnvironmentSchema>;
