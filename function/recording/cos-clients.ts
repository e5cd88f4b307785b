// Which COS credentials each side of delivery uses (docs/storage-and-secrets.md):
// staging source — the caller's keys when TRTC wrote into the caller's bucket, else the role's;
// target — the caller's keys when given, else the role's (the seed's rule: "without keys, the role's temporary credentials").
import type COS from "cos-nodejs-sdk-v5";
import type { StatusRecord } from "../state/status-record";
import { openCallerKeys } from "./staging";
import type { Kit } from "./kit";

export interface DeliveryCos {
  source: COS;
  target: COS;
}

async function callerCos(kit: Kit, record: StatusRecord): Promise<COS | undefined> {
  if (record.spec?.cos.keys !== "caller") return undefined;
  const keys = await openCallerKeys(kit.deps.state, kit.deps.kms, record.recordingId);
  if (!keys) throw new Error("the caller's COS keys are gone from the state store (sealed/…/cos-keys.json)");
  kit.deps.log.masker.register(keys.secretId, "id");
  kit.deps.log.masker.register(keys.secretKey);
  return kit.deps.cosFactory.forKeys(keys.secretId, keys.secretKey);
}

export async function deliveryCos(kit: Kit, record: StatusRecord): Promise<DeliveryCos> {
  const caller = await callerCos(kit, record);
  const role = kit.deps.cosFactory.forRole();
  return {
    source: record.staging?.owner === "caller" && caller ? caller : role,
    target: caller ?? role,
  };
}
