// A scriptable stand-in for the delivery stage (function/delivery/) with the same contract, for tests about the
// recorder around delivery: it copies the first source to the target through the COS clients it is given, and
// can be told to answer "continue" or "failed" first. Media correctness is tested with the real stage.
import type { DeliverFn } from "../../function/recording/deps";
import type { DeliveryCheckpoint, DeliveryDeps, DeliveryJob, DeliveryOutcome } from "../../function/delivery/types";

export interface ScriptedDeliver {
  deliver: DeliverFn;
  /** Every call, with the deps' deadline and work dir. */
  calls: Array<{ job: DeliveryJob; deadlineMs: number; workDir: string; now: number }>;
  /** Outcomes to give before copying (consumed in order). */
  script: Array<"continue" | "throw" | { failed: string }>;
}

function checkpoint(job: DeliveryJob, n: number): DeliveryCheckpoint {
  return { version: 1, recordingId: job.recordingId, phase: "upload", strategy: "relay", target: job.target, sourceEtags: [], upload: { uploadId: `u-${n}`, parts: [], bytes: n }, restarts: 0, invocations: n };
}

export function scriptedDeliver(): ScriptedDeliver {
  const calls: ScriptedDeliver["calls"] = [];
  const script: ScriptedDeliver["script"] = [];
  const deliver = async (job: DeliveryJob, deps: DeliveryDeps): Promise<DeliveryOutcome> => {
    calls.push({ job, deadlineMs: deps.deadlineMs, workDir: deps.workDir, now: deps.clock.now() });
    const next = script.shift();
    if (next === "continue") {
      const cp = checkpoint(job, calls.length);
      await deps.saveCheckpoint(cp);
      return { kind: "continue", checkpoint: cp };
    }
    if (next === "throw") throw new Error("scripted crash inside delivery");
    if (next) return { kind: "failed", message: next.failed, detail: `scripted: ${next.failed}` };
    const src = job.sources[0];
    const got = await deps.sourceCos.getObject({ Bucket: src.bucket, Region: src.region, Key: src.key });
    const put = await deps.targetCos.putObject({ Bucket: job.target.bucket, Region: job.target.region, Key: job.target.key, Body: got.Body as Buffer });
    if (job.deleteSourcesAfter) {
      for (const s of job.sources) await deps.sourceCos.deleteObject({ Bucket: s.bucket, Region: s.region, Key: s.key });
    }
    const url = `https://${job.target.bucket}.cos.${job.target.region}.myqcloud.com/${job.target.key}`;
    return { kind: "delivered", etag: put.ETag, size: (got.Body as Buffer).length, url, copied: true };
  };
  return { deliver, calls, script };
}
