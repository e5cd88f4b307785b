import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { scfLayer } from "../provider/generated";
import type { ArtifactRef } from "../artifacts/artifact-store";
import { PropChecker, SCF_NAME } from "./prop-errors";

export interface FfmpegLayerProps {
  /** The content-addressed layer zip (ffmpeg at the zip root → /opt/ffmpeg). */
  readonly artifact: ArtifactRef;
  /** Layer name. @default "trtc-recorder-ffmpeg" */
  readonly layerName?: string;
  /** Runtimes the layer declares. @default ["Nodejs18.15"] */
  readonly compatibleRuntimes?: string[];
}

/** An SCF layer carrying the static ffmpeg binary of `@ffmpeg-installer/linux-x64`. */
export class FfmpegLayer extends Construct {
  readonly layerName: string;
  readonly layerVersion: number;
  /** Where the binary is inside the function. */
  readonly binaryPath = "/opt/ffmpeg";

  constructor(scope: Construct, id: string, props: FfmpegLayerProps) {
    super(scope, id);
    const c = new PropChecker("FfmpegLayer");
    c.check(props.artifact.kind === "ffmpeg-layer", "artifact", "an ffmpeg-layer artifact", props.artifact.kind);
    const layerName = props.layerName ?? "trtc-recorder-ffmpeg";
    c.matches(layerName, "layerName", SCF_NAME, "1-60 letters, digits, _ or -, starting with a letter");
    const runtimes = props.compatibleRuntimes ?? ["Nodejs18.15"];
    c.check(runtimes.length > 0, "compatibleRuntimes", "at least one runtime", runtimes);
    // SCF refuses a ZipFile over 50 MB through the API.
    c.check(props.artifact.size <= 50 * 1024 * 1024, "artifact", "a zip of at most 50 MB (SCF's direct upload limit)", props.artifact.size);

    // The hash is the artifact's content hash, so the path in the plan changes exactly when the bytes do.
    const asset = new TerraformAsset(this, "zip", { path: props.artifact.path, type: AssetType.FILE, assetHash: props.artifact.hash });
    // The provider's update of tencentcloud_scf_layer does nothing, so a changed zip must be a new resource: the hash
    // in the address makes a new ffmpeg publish a new layer version (and the old one go once nothing uses it).
    const layer = new scfLayer.ScfLayer(this, `layer-${props.artifact.hash}`, {
      layerName,
      compatibleRuntimes: runtimes,
      description: `ffmpeg (static, @ffmpeg-installer/linux-x64) artifact ${props.artifact.hash}`,
      content: { zipFile: asset.path },
    });
    this.layerName = layerName;
    this.layerVersion = layer.layerVersion;
  }
}
