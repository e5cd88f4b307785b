/**
 * The per-account artifact bucket the publish step (`npm run publish-artifacts`) uploads to, and how each SCF resource wants its
 * name. SCF's `Code.CosBucketName` is the bucket's own part without `-APPID` (scf_models.d.ts, Code). The provider
 * strips the last `-…` segment of `tencentcloud_scf_function.cos_bucket_name` itself (resource_tc_scf_function.go), so
 * the function must be given the full `name-APPID` (a name without it would lose its own last segment), while
 * `tencentcloud_scf_layer.content.cos_bucket_name` is passed through unchanged (resource_tc_scf_layer.go).
 */
export interface ArtifactBucket {
  /** `name-APPID`, e.g. trtc-rec-artifacts-1250000000. */
  readonly bucket: string;
  readonly region: string;
}

export const ARTIFACT_BUCKET_PATTERN = /^[a-z0-9][a-z0-9-]*-\d{10}$/;

export function artifactBucketForScf(b: ArtifactBucket, resource: "function" | "layer"): string {
  if (!ARTIFACT_BUCKET_PATTERN.test(b.bucket)) throw new Error(`artifact bucket: expected name-APPID like trtc-rec-artifacts-1250000000, got ${JSON.stringify(b.bucket)}`);
  return resource === "function" ? b.bucket : b.bucket.replace(/-\d{10}$/, "");
}
