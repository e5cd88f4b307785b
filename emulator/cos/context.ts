// What every COS operation handler receives. Handlers answer through `respond` or throw CosError.
import type { CosRequest } from "./request";
import type { CosResponder } from "./respond";
import type { CosBucket, CosStore } from "./store";

export interface CosOpContext {
  req: CosRequest;
  body: Buffer;
  bucket: CosBucket;
  store: CosStore;
  respond: CosResponder;
  now: () => Date;
}

export type CosOpHandler = (ctx: CosOpContext) => void;

/** The owner COS reports in listings; derived from the bucket's APPID suffix so it is stable per bucket. */
export function ownerOf(bucket: CosBucket): { ID: string; DisplayName: string } {
  const appId = bucket.name.slice(bucket.name.lastIndexOf("-") + 1);
  return { ID: `qcs::cam::uin/${appId}:uin/${appId}`, DisplayName: appId };
}
