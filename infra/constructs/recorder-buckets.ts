import { Construct } from "constructs";
import { cosBucket } from "../provider/generated";
import { PropChecker } from "./prop-errors";

export interface RecorderBucketsProps {
  /** Bucket name prefix (the APPID is appended). */
  readonly name: string;
  /** APPID (a token is fine). */
  readonly appId: string;
  /** Days after which leftover staging objects expire; delivery removes them much sooner. @default 30 */
  readonly stagingRetentionDays?: number;
  /** Tags. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The deployment's own buckets: `state` (status records, results, encrypted runtime secrets; used when no CFS is
 * mounted), `locks` (claims, delivery leases, event de-duplication: exclusive creates) and `staging` (where TRTC
 * writes when a caller gave no COS keys).
 */
export class RecorderBuckets extends Construct {
  readonly stateBucket: string;
  readonly stagingBucket: string;
  /** Never versioned: COS ignores x-cos-forbid-overwrite once versioning was ever enabled on a bucket. */
  readonly lockBucket: string;

  constructor(scope: Construct, id: string, props: RecorderBucketsProps) {
    super(scope, id);
    const c = new PropChecker("RecorderBuckets");
    c.matches(props.name, "name", /^[a-z0-9][a-z0-9-]{0,38}$/, "lower-case letters, digits and dashes (the APPID is appended)");
    const retention = props.stagingRetentionDays ?? 30;
    c.intRange(retention, "stagingRetentionDays", 1, 3650);
    const state = new cosBucket.CosBucket(this, "state", {
      bucket: `${props.name}-state-${props.appId}`,
      acl: "private",
      // Versioning keeps every status record revision: nothing is lost to a buggy overwrite.
      versioningEnable: true,
      tags: props.tags,
    });
    // Exclusive creates (x-cos-forbid-overwrite) only hold in a bucket that never had versioning (COS docs: the
    // header is ignored once versioning was enabled, even suspended), so claims and leases live here, not in state.
    const locks = new cosBucket.CosBucket(this, "locks", {
      bucket: `${props.name}-locks-${props.appId}`,
      acl: "private",
      // versioning_enable left unset: the provider then never calls PUT Bucket versioning (resource_tc_cos_bucket.go).
      tags: props.tags,
    });
    const staging = new cosBucket.CosBucket(this, "staging", {
      bucket: `${props.name}-staging-${props.appId}`,
      acl: "private",
      lifecycleRules: [
        { filterPrefix: "", expiration: { days: retention }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      ],
      tags: props.tags,
    });
    this.stateBucket = state.bucket;
    this.stagingBucket = staging.bucket;
    this.lockBucket = locks.bucket;
  }
}
