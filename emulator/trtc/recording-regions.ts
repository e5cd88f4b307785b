// The cloud-recording APIs are served in five regions only: "This API only supports: ap-beijing, ap-guangzhou,
// ap-mumbai, ap-shanghai, ap-singapore" (CreateCloudRecording, Common Params `Region`,
// https://www.tencentcloud.com/document/api/647/46960; the same note is on Describe/Modify/DeleteCloudRecording).
// Another region, or none, is API 3.0's common error UnsupportedRegion.
import { Tc3ApiError } from "../tc3/types";

export const CLOUD_RECORDING_REGIONS: readonly string[] = ["ap-beijing", "ap-guangzhou", "ap-mumbai", "ap-shanghai", "ap-singapore"];

export const CLOUD_RECORDING_ACTIONS: ReadonlySet<string> = new Set(["CreateCloudRecording", "DescribeCloudRecording", "ModifyCloudRecording", "DeleteCloudRecording"]);

export function requireRecordingRegion(action: string, region: string | undefined): void {
  if (region !== undefined && CLOUD_RECORDING_REGIONS.includes(region)) return;
  throw new Tc3ApiError("UnsupportedRegion", `${action} is not supported in region ${JSON.stringify(region ?? "")}; it is served in ${CLOUD_RECORDING_REGIONS.join(", ")}`);
}
