import { Construct } from "constructs";
import { scfLayer } from "../provider/generated";
import { artifactObjectKey, type ArtifactRef } from "../artifacts/artifact-store";
import { artifactBucketForScf, type ArtifactBucket } from "./artifact-bucket";
import { PropChecker, SCF_NAME } from "./prop-errors";

export interface FfmpegLayerProps {
  /** The content-addressed layer zip (ffmpeg at the zip root → /opt/ffmpeg), already published to `artifactBucket`. */
  readonly artifact: ArtifactRef;
  /**
   * Layer zips that published function versions still use (the canary's previous version): their layer versions are
   * kept, because SCF refuses to delete a layer version in use (ResourceInUse.LayerVersion). @default []
   */
  readonly retained?: ArtifactRef[];
  /** Where the publish step put the zips. */
  readonly artifactBucket: ArtifactBucket;
  /** Layer name. @default "trtc-recorder-ffmpeg" */
  readonly layerName?: string;
  /** Runtimes the layer declares. @default ["Nodejs18.15"] */
  readonly compatibleRuntimes?: string[];
}

/** SCF's limit on a layer's zip (the COS route; an inline zip would also hit the API's 10 MB request body). */
const LAYER_ZIP_LIMIT = 500 * 1024 * 1024;

/** One published version of the layer. */
export interface LayerVersionRef {
  readonly artifact: ArtifactRef;
  readonly resource: scfLayer.ScfLayer;
  readonly layerVersion: number;
}

/** An SCF layer carrying the static ffmpeg binary of `@ffmpeg-installer/linux-x64`, published from the artifact bucket. */
export class FfmpegLayer extends Construct {
  readonly layerName: string;
  /** The version the functions use now. */
  readonly current: LayerVersionRef;
  /** Every version kept in the configuration, by artifact hash (current included). */
  readonly versions: ReadonlyMap<string, LayerVersionRef>;
  /** Where the binary is inside the function. */
  readonly binaryPath = "/opt/ffmpeg";

  constructor(scope: Construct, id: string, props: FfmpegLayerProps) {
    super(scope, id);
    const c = new PropChecker("FfmpegLayer");
    const all = [props.artifact, ...(props.retained ?? [])];
    for (const [i, a] of all.entries()) {
      const field = i === 0 ? "artifact" : `retained[${i - 1}]`;
      c.check(a.kind === "ffmpeg-layer", field, "an ffmpeg-layer artifact", a.kind);
      c.check(a.size <= LAYER_ZIP_LIMIT, field, "a zip of at most 500 MB (SCF's layer size limit)", a.size);
    }
    const layerName = props.layerName ?? "trtc-recorder-ffmpeg";
    c.matches(layerName, "layerName", SCF_NAME, "1-60 letters, digits, _ or -, starting with a letter");
    const runtimes = props.compatibleRuntimes ?? ["Nodejs18.15"];
    c.check(runtimes.length > 0, "compatibleRuntimes", "at least one runtime", runtimes);

    const versions = new Map<string, LayerVersionRef>();
    for (const artifact of all) {
      if (versions.has(artifact.hash)) continue;
      // The provider's layer Update does nothing, so a changed zip must be a new resource: the hash in the address
      // publishes a new layer version. create_before_destroy: the new version exists and the functions move to it
      // before the old one is deleted (Terraform otherwise deletes first, and SCF answers ResourceInUse.LayerVersion).
      const resource = new scfLayer.ScfLayer(this, `layer-${artifact.hash}`, {
        layerName,
        compatibleRuntimes: runtimes,
        description: `ffmpeg (static, @ffmpeg-installer/linux-x64) artifact ${artifact.hash}`,
        // PublishLayerVersion's Code.CosBucketName is the bucket without -APPID, and the layer resource passes it as is.
        content: {
          cosBucketName: artifactBucketForScf(props.artifactBucket, "layer"),
          cosObjectName: artifactObjectKey(artifact),
          cosBucketRegion: props.artifactBucket.region,
        },
        lifecycle: { createBeforeDestroy: true },
      });
      versions.set(artifact.hash, { artifact, resource, layerVersion: resource.layerVersion });
    }
    this.layerName = layerName;
    this.versions = versions;
    this.current = versions.get(props.artifact.hash)!;
  }
}
