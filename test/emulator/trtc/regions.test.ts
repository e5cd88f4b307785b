// Cloud recording is served in five API regions only (CreateCloudRecording's Common Params: "This API only supports:
// ap-beijing, ap-guangzhou, ap-mumbai, ap-shanghai, ap-singapore"); any other is UnsupportedRegion.
import { trtc } from "tencentcloud-sdk-nodejs/tencentcloud/services/trtc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tc3AgentFor } from "../../../emulator/endpoints";
import { APP, errorCode, recordingRequest, startWorld, TC3_KEY, type World } from "./fixture";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

const clientIn = (region: string) =>
  new trtc.v20190722.Client({ credential: TC3_KEY, region, profile: { httpProfile: { endpoint: "trtc.tencentcloudapi.com", protocol: "http://", agent: tc3AgentFor(w.trtc.hostPort) } } });

describe("TRTC cloud-recording regions", () => {
  it.each(["ap-hongkong", "na-siliconvalley", "eu-frankfurt"])("refuses the cloud-recording actions in %s with UnsupportedRegion", async (region) => {
    const c = clientIn(region);
    expect(await errorCode(c.CreateCloudRecording(recordingRequest(9100)))).toBe("UnsupportedRegion");
    expect(await errorCode(c.DescribeCloudRecording({ SdkAppId: APP, TaskId: "x".repeat(84) }))).toBe("UnsupportedRegion");
    expect(await errorCode(c.DeleteCloudRecording({ SdkAppId: APP, TaskId: "x".repeat(84) }))).toBe("UnsupportedRegion");
    expect(w.trtc.tasks()).toHaveLength(0);
  });

  it.each(["ap-beijing", "ap-guangzhou", "ap-mumbai", "ap-shanghai", "ap-singapore"])("serves %s", async (region) => {
    const { TaskId } = await clientIn(region).CreateCloudRecording(recordingRequest(9200 + region.length));
    expect(TaskId).toBeTruthy();
    await clientIn(region).DeleteCloudRecording({ SdkAppId: APP, TaskId: TaskId as string });
  });
});
