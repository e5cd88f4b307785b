// Which bucket a recording may be delivered to. With the caller's own keys, COS decides (the keys reach what their
// CAM policy allows). Without them the execution role writes, and the role can reach the deployment's own buckets
// (status records, runtime secrets, staging): so the role only ever delivers to buckets the environment allow-lists
// (role.deliveryBuckets → RECORDER_ROLE_BUCKETS), and the deployment's own buckets are refused whatever the list says.
import type { FieldError } from "../contract/errors";
import type { CosTarget } from "../contract/request";
import type { SecurityPolicy } from "./policy";

export function checkStorageReach(cos: CosTarget, policy: Pick<SecurityPolicy, "roleBuckets" | "reservedBuckets">): FieldError | undefined {
  const bucket = cos.bucket.toLowerCase();
  const got = JSON.stringify(cos.bucket);
  if (policy.reservedBuckets.includes(bucket)) {
    return { field: "CosConfig.Bucket", expected: "your own bucket, not one of this deployment's own buckets (state, staging, artifacts)", got };
  }
  if (cos.secretId === undefined && !policy.roleBuckets.includes(bucket)) {
    const listed = policy.roleBuckets.length > 0 ? `one of ${policy.roleBuckets.join(", ")}` : "none are allow-listed here";
    return {
      field: "CosConfig.Bucket",
      expected: `without CosConfig.SecretId/SecretKey, a bucket the deployment's role may deliver to (${listed}); or give keys for your own bucket`,
      got,
    };
  }
  return undefined;
}
