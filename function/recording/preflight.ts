// Before asking TRTC to record: can the storage ever work? TRTC writes with the keys it is given into the staging
// location and only reports failures after the class (308, and a 310 saying the file stayed on its server), so a
// bucket that does not exist, a region it is not in, or keys that do not work would otherwise reach RUNNING and fail
// an hour later. A ranged GET of a key that does not exist answers, in one round trip: 404 NoSuchKey (bucket there,
// keys accepted — the recorder needs read access there for delivery anyway), 404 NoSuchBucket, or 403
// (AccessDenied / InvalidAccessKeyId / SignatureDoesNotMatch). The deployment's staging key may only write
// (docs/storage-and-secrets.md: PutObject-family actions only), so it is probed by writing an empty object, which the
// role then removes. Only definite answers refuse the start; a 5xx, a timeout or anything unexpected lets it go ahead
// (delivery's own checks still apply).
import type COS from "cos-nodejs-sdk-v5";
import type { StagingStorage } from "../engine/port";

export interface ProbeTarget {
  /** What the refusal names: "staging" (where TRTC writes) or "target" (where the result goes). */
  role: "staging" | "target";
  cos: COS;
  bucket: string;
  region: string;
  /** A folder inside which the probe key is made up. */
  folder: string;
  /** "read": a ranged GET (keys that must read there anyway); "write": an empty PUT, removed with `cleanup`. */
  access: "read" | "write";
  cleanup?: COS;
}

export type Preflight = { ok: true; inconclusive: string[] } | { ok: false; detail: string };

const PROBE_NAME = ".recorder-preflight-probe";
const DEFINITE = new Set(["NoSuchBucket", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidBucketName", "NoSuchBucketPolicy"]);

interface CosErr {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

async function probe(t: ProbeTarget): Promise<{ verdict: "ok" } | { verdict: "refuse" | "inconclusive"; why: string }> {
  const key = `${t.folder.replace(/\/+$/, "")}/${PROBE_NAME}`.replace(/^\//, "");
  try {
    if (t.access === "write") {
      await t.cos.putObject({ Bucket: t.bucket, Region: t.region, Key: key, Body: Buffer.alloc(0) });
      await t.cleanup?.deleteObject({ Bucket: t.bucket, Region: t.region, Key: key }).catch(() => undefined);
    } else {
      await t.cos.getObject({ Bucket: t.bucket, Region: t.region, Key: key, Headers: { Range: "bytes=0-0" } });
    }
    return { verdict: "ok" };
  } catch (err) {
    const e = (typeof err === "object" && err !== null ? err : {}) as CosErr;
    const code = typeof e.code === "string" ? e.code : "";
    const status = typeof e.statusCode === "number" ? e.statusCode : 0;
    if (code === "NoSuchKey" || (status === 404 && code === "")) return { verdict: "ok" };
    if (DEFINITE.has(code) || status === 403) return { verdict: "refuse", why: `${code || status}` };
    // A region that does not exist has no endpoint at all.
    if (code === "ENOTFOUND" || /ENOTFOUND/.test(String(e.message ?? ""))) return { verdict: "refuse", why: "no COS endpoint for this region" };
    return { verdict: "inconclusive", why: `${code || status || String(e.message ?? err)}` };
  }
}

export async function preflightStorage(targets: ProbeTarget[]): Promise<Preflight> {
  const inconclusive: string[] = [];
  for (const t of targets) {
    const r = await probe(t);
    if (r.verdict === "refuse") {
      const what = t.role === "staging" ? "TRTC could never write the recording" : "the result could never be delivered";
      return { ok: false, detail: `${t.role} bucket ${t.bucket} (${t.region}) answered ${r.why}: ${what}` };
    }
    if (r.verdict === "inconclusive") inconclusive.push(`${t.role} ${t.bucket}: ${r.why}`);
  }
  return { ok: true, inconclusive };
}

/**
 * The staging location exactly as TRTC will write it, with TRTC's keys: read-probed when they are the caller's (delivery
 * reads staging with them), write-probed when they are the deployment's write-only staging key (`cleanup`: the role).
 */
export function stagingProbe(storage: StagingStorage, cosWithKeys: (id: string, key: string) => COS, deploymentCleanup?: COS): ProbeTarget {
  const cos = cosWithKeys(storage.accessKey, storage.secretKey);
  const where = { bucket: storage.bucket, region: storage.region, folder: storage.fileNamePrefix.join("/") };
  return deploymentCleanup ? { role: "staging", cos, ...where, access: "write", cleanup: deploymentCleanup } : { role: "staging", cos, ...where, access: "read" };
}
