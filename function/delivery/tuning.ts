// Knobs with production defaults; tests and the benchmark pass smaller ones (parts, margins, retry pauses).
import { defaultRetryPolicy, type RetryPolicy } from "./cos-retry";

export interface DeliveryTuning {
  /** Bytes per multipart part for MP4 and relays (COS minimum 1 MiB except the last; at most 10 000 parts). @default 8 MiB */
  partSize: number;
  /**
   * Bytes per part for MP3: smaller, because MP3 bytes come slowly (an 8 MiB part is ~9 minutes of 128 kbps audio,
   * ~20 s of encoding) and a stop waits for the next part boundary. @default 2 MiB
   */
  audioPartSize: number;
  /** Parts uploading at once; memory is about (concurrency + 1) x partSize. @default 2 */
  concurrency: number;
  /** From deadline − stopMarginMs on, the upload stops at the next part boundary and returns "continue". @default 30000 */
  stopMarginMs: number;
  /** At deadline − hardMarginMs, whatever is in flight is abandoned and the last confirmed checkpoint returned. @default 5000 */
  hardMarginMs: number;
  /** Save a checkpoint at most this often while parts are confirmed (a crash then loses less). @default 30000 */
  checkpointEveryMs: number;
  /** Retry rounds above the SDK's own for transient COS errors. */
  retry: RetryPolicy;
}

export const DEFAULT_TUNING: DeliveryTuning = {
  partSize: 8 * 1024 * 1024,
  audioPartSize: 2 * 1024 * 1024,
  concurrency: 2,
  stopMarginMs: 30_000,
  hardMarginMs: 5_000,
  checkpointEveryMs: 30_000,
  retry: defaultRetryPolicy,
};
