// What every control-plane service of the emulated account shares: the state folder, the account's identity, the
// region, the clock and the tag store. Service factories (`<name>ControlService(ctx)`) take this object; its field
// names match the options the per-service factories already accept (stateDir, tags, uin, now).
import type { TagControlService } from "./tag";

export interface EmulatedAccount {
  /** APPID, the suffix of every COS bucket name (`<name>-<appid>`). */
  appId: string;
  /** The caller's UIN (root account here, so uin === ownerUin). */
  uin: string;
  ownerUin: string;
}

export interface ControlPlaneContext extends EmulatedAccount {
  /** Folder holding one JSON document per service; undefined keeps state in memory (tests). */
  stateDir?: string;
  /** Region resources are created in when the request names none (X-TC-Region). */
  region: string;
  /** Clock in ms since the epoch. */
  now: () => number;
  /** Tag store (tag.tencentcloudapi.com), shared so a read through the tag API sees tags given at create time. */
  tags: TagControlService;
}

/** A plausible but obviously fake account: never a real APPID or UIN. */
export const DEFAULT_ACCOUNT: EmulatedAccount = { appId: "1250000000", uin: "100000000001", ownerUin: "100000000001" };
