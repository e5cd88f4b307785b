import { describe, expect, it } from "vitest";
import { normalizeEnvironmentName, normalizeStack, shortenAssetPaths } from "../../tools/review/normalize";
import { fixtureStack } from "./fixtures/stacks";

describe("normalization", () => {
  it("rewrites asset paths to the artifact they carry", () => {
    expect(shortenAssetPaths("assets/functions_bundle_C76F66E4/0123456789abcdef/recorder-bundle-0123456789abcdef.zip")).toBe("recorder-bundle@0123456789abcdef");
    expect(shortenAssetPaths("assets/ffmpeg_artifact_1A2B3C4D/fedcba9876543210/ffmpeg-layer-fedcba9876543210.zip")).toBe("ffmpeg-layer@fedcba9876543210");
    expect(shortenAssetPaths("assets/x_1/ABCDEF0123456789ABCDEF0123456789/archive.zip")).toBe("archive.zip@ABCDEF01");
  });

  it("drops cdktf's // metadata and keeps the construct path as the label", () => {
    const s = normalizeStack("recorder-dev", fixtureStack());
    const fn = s.items.get("tencentcloud_scf_function.functions_recorder_39B9320F")!;
    expect(fn.label).toBe("functions/recorder");
    expect(JSON.stringify(fn.body)).not.toContain("//");
  });

  it("normalizes the environment's name only where the stack and the environment files put it", () => {
    const n = normalizeEnvironmentName("staging");
    expect(n("recorder-staging")).toBe("recorder-<env>");
    expect(n("trtc-rec-staging-api")).toBe("trtc-rec-<env>-api");
    expect(n("staging")).toBe("<env>");
    expect(n("trtc-recorder/staging")).toBe("trtc-recorder/<env>");
    expect(n("SCF_ExecuteRole_staging-recorder")).toBe("SCF_ExecuteRole_<env>-recorder");
    // The staging *bucket* exists in every environment; references are addresses, the same everywhere.
    expect(n("trtc-rec-staging-staging-1250000000")).toBe("trtc-rec-<env>-staging-1250000000");
    expect(n("${tencentcloud_cos_bucket.buckets_staging_625A9D66.bucket}")).toBe("${tencentcloud_cos_bucket.buckets_staging_625A9D66.bucket}");
    expect(n("a staging area")).toBe("a staging area");
    expect(normalizeEnvironmentName("prod")("prodigy")).toBe("prodigy");
  });
});
