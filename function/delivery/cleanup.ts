// After a confirmed delivery: delete TRTC's source objects (only when asked, and never one that is the target
// itself), and remove the job's local directory. Failures here do not undo a delivery: a source left behind costs
// storage, not a recording.
import { rm } from "node:fs/promises";
import type COS from "cos-nodejs-sdk-v5";
import { withCosRetry, type RetryPolicy } from "./cos-retry";
import { sameObject } from "./cos-url";
import type { CosLocation, DeliveryLog } from "./types";

export async function deleteSources(cos: COS, sources: CosLocation[], target: CosLocation, retry: RetryPolicy, log: DeliveryLog): Promise<{ deleted: string[]; kept: string[] }> {
  const deleted: string[] = [];
  const kept: string[] = [];
  for (const s of sources) {
    if (sameObject(s, target)) {
      kept.push(s.key);
      continue;
    }
    const r = await withCosRetry(() => cos.deleteObject({ Bucket: s.bucket, Region: s.region, Key: s.key }), retry);
    if (r.ok) deleted.push(s.key);
    else {
      kept.push(s.key);
      log.warn("could not delete a source after delivery", { key: s.key, code: r.failure.code, status: r.failure.status });
    }
  }
  return { deleted, kept };
}

export async function removeJobDir(dir: string, log: DeliveryLog): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch (err) {
    log.warn("could not remove the delivery work dir", { dir, error: err instanceof Error ? err.message : String(err) });
  }
}
