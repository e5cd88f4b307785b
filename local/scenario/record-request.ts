// The seed's POST /record body for the scenario: the recorder's own UserId with a UserSig minted by the TRTC app,
// the caller's COS bucket with the caller's keys, the callback sink, Mode and IsReserve.
import type { LocalCloud } from "../cloud";
import { mintUserSig } from "../../emulator/trtc/usersig-mint";
import type { ScenarioOptions } from "./options";

export const RECORDER_USER_ID = "recorder_1";
export const DELIVERY_PATH = "/class";

export function deliveryBucket(cloud: LocalCloud): string {
  return `recordings-${cloud.deployment.account.appId}`;
}

export function recordRequest(cloud: LocalCloud, s: ScenarioOptions): Record<string, unknown> {
  const { sdkAppId, key } = cloud.trtcApp;
  return {
    SdkAppId: sdkAppId,
    ...(s.strRoomId ? { StrRoomId: s.strRoomId } : { RoomId: s.roomId }),
    UserId: RECORDER_USER_ID,
    UserSig: mintUserSig(sdkAppId, key, RECORDER_USER_ID),
    CosConfig: {
      Region: cloud.deployment.region,
      Bucket: deliveryBucket(cloud),
      Path: DELIVERY_PATH,
      SecretId: cloud.account.customer.secretId,
      SecretKey: cloud.account.customer.secretKey,
    },
    Callback: cloud.callbackSink.url,
    Mode: s.mode,
    IsReserve: s.isReserve,
  };
}

/** The body with secrets masked, for the terminal. */
export function maskedRequest(body: Record<string, unknown>): Record<string, unknown> {
  const cos = body.CosConfig as Record<string, unknown>;
  return { ...body, UserSig: "<masked>", CosConfig: { ...cos, SecretId: `${String(cos.SecretId).slice(0, 8)}…`, SecretKey: "<masked>" } };
}
