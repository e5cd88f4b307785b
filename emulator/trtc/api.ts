// The "trtc" service (version 2019-07-22) for the TC3 server framework: each action parses its parameters like
// the real API and hands them to the simulator. Errors are Tc3ApiError, which the framework answers as
// HTTP 200 {"Response":{"Error":{...}}}.
import type { Tc3ServiceDef } from "../tc3/types";
import type { RateLimiter } from "./rate-limit";
import { parseCreateRecording, parseModify, parseRoomAction, parseTaskRef } from "./recording-params";
import { CLOUD_RECORDING_ACTIONS, requireRecordingRegion } from "./recording-regions";
import type { TrtcSimulator } from "./simulator";

export const TRTC_SERVICE = "trtc";
export const TRTC_VERSION = "2019-07-22";

/** With `limiter`, every action is first counted against TRTC's per-action frequency limit (rate-limit.ts). */
export function trtcService(sim: TrtcSimulator, limiter?: RateLimiter): Tc3ServiceDef {
  const def: Tc3ServiceDef = {
    service: TRTC_SERVICE,
    version: TRTC_VERSION,
    actions: {
      CreateCloudRecording: (p, ctx) => sim.createCloudRecording(parseCreateRecording(p), ctx.secretId),
      DescribeCloudRecording: (p, ctx) => {
        const { sdkAppId, taskId } = parseTaskRef(p);
        return sim.describeCloudRecording(sdkAppId, taskId, ctx.secretId);
      },
      ModifyCloudRecording: (p, ctx) => {
        const { sdkAppId, taskId } = parseTaskRef(p);
        return sim.modifyCloudRecording(sdkAppId, taskId, ctx.secretId, parseModify(p));
      },
      DeleteCloudRecording: (p, ctx) => {
        const { sdkAppId, taskId } = parseTaskRef(p);
        return sim.deleteCloudRecording(sdkAppId, taskId, ctx.secretId);
      },
      RemoveUser: (p, ctx) => {
        const { sdkAppId, room, userIds } = parseRoomAction(p, false, true);
        return sim.removeUsers(sdkAppId, room, userIds, ctx.secretId);
      },
      RemoveUserByStrRoomId: (p, ctx) => {
        const { sdkAppId, room, userIds } = parseRoomAction(p, true, true);
        return sim.removeUsers(sdkAppId, room, userIds, ctx.secretId);
      },
      DismissRoom: (p, ctx) => {
        const { sdkAppId, room } = parseRoomAction(p, false, false);
        return sim.dismissRoom(sdkAppId, room, ctx.secretId);
      },
      DismissRoomByStrRoomId: (p, ctx) => {
        const { sdkAppId, room } = parseRoomAction(p, true, false);
        return sim.dismissRoom(sdkAppId, room, ctx.secretId);
      },
    },
  };
  for (const action of CLOUD_RECORDING_ACTIONS) {
    const handler = def.actions[action];
    def.actions[action] = (p, ctx) => {
      requireRecordingRegion(action, ctx.region);
      return handler(p, ctx);
    };
  }
  if (!limiter) return def;
  // The limit is checked before the parameters, as a front end would: a throttled call never reaches the service.
  const limited: Tc3ServiceDef["actions"] = {};
  for (const [action, handler] of Object.entries(def.actions)) {
    limited[action] = (p, ctx) => {
      limiter.check(action);
      return handler(p, ctx);
    };
  }
  return { ...def, actions: limited };
}
