// TRTC cloud recording is served in five API regions only ("This API only supports: ap-beijing, ap-guangzhou,
// ap-mumbai, ap-shanghai, ap-singapore", https://www.tencentcloud.com/document/api/647/46960), whatever region the
// function runs in. RECORDER_TRTC_REGION names it; without it the function's own region is used when it is one of
// them. Anything else is refused at wiring, naming the variable and the allowed values, instead of failing every
// CreateCloudRecording with UnsupportedRegion.
export const TRTC_RECORDING_REGIONS: readonly string[] = ["ap-beijing", "ap-guangzhou", "ap-mumbai", "ap-shanghai", "ap-singapore"];

export type TrtcRegionChoice = { ok: true; region: string } | { ok: false; message: string };

export function trtcRecordingRegion(configured: string | undefined, functionRegion: string | undefined): TrtcRegionChoice {
  const allowed = TRTC_RECORDING_REGIONS.join(", ");
  if (configured !== undefined && configured !== "") {
    if (TRTC_RECORDING_REGIONS.includes(configured)) return { ok: true, region: configured };
    return { ok: false, message: `RECORDER_TRTC_REGION must be one of ${allowed} (TRTC cloud recording's regions); got ${JSON.stringify(configured)}` };
  }
  const own = functionRegion || "ap-guangzhou";
  if (TRTC_RECORDING_REGIONS.includes(own)) return { ok: true, region: own };
  return { ok: false, message: `RECORDER_TRTC_REGION is not set and the function's region ${own} has no TRTC cloud recording: set it to one of ${allowed}` };
}
