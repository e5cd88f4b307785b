// A COS double with a staging bucket (TRTC's output) and a caller bucket (the target), real SDK clients pointed at
// it, a work dir, and DeliveryDeps built from them. Every test gets its own and closes it. Delivery's clock is a
// manual one: it stands still unless a test advances it, so no deadline arrives by itself.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import COS from "cos-nodejs-sdk-v5";
import { startCosDouble, type CosDouble } from "../../../emulator/cos";
import { cosOptionsFor } from "../../../emulator/endpoints";
import { ManualClock } from "../../../emulator/trtc/clock";
import type { CosLocation, DeliveryCheckpoint, DeliveryDeps, DeliveryLog } from "../../../function/delivery/types";
import type { DeliveryTuning } from "../../../function/delivery/tuning";
import { FFMPEG } from "./media";

export const KEY = { secretId: "AKIDdelivery000000000000000000000000", secretKey: "delivery-secret-key-000000000000" };
export const STAGING = { bucket: "staging-1250000000", region: "ap-guangzhou" };
export const TARGET = { bucket: "caller-1250000000", region: "ap-guangzhou" };

export interface LogLine {
  level: "info" | "warn" | "error";
  msg: string;
  fields?: Record<string, unknown>;
}

/** Test tuning: 1 MiB parts, no pauses between retry rounds. */
export const FAST: Partial<DeliveryTuning> = {
  partSize: 1024 * 1024,
  audioPartSize: 1024 * 1024,
  retry: { rounds: 2, baseDelayMs: 1, sleep: () => Promise.resolve() },
};

export interface Harness {
  cos: CosDouble;
  client: COS;
  workDir: string;
  logs: LogLine[];
  saved: DeliveryCheckpoint[];
  /** The deps' clock (deadlines are measured on it): a deadline arrives only when the test advances it. */
  clock: ManualClock;
  /** Puts a local file (or bytes) into the staging bucket; returns its location. */
  stage(key: string, fileOrBytes: string | Buffer): CosLocation;
  target(key: string): CosLocation;
  /** The target object's bytes written to a temp file (for ffprobe), or undefined if absent. */
  targetFile(key: string): string | undefined;
  deps(over?: Partial<DeliveryDeps>): DeliveryDeps;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const cos = await startCosDouble({ credentials: [KEY], buckets: [STAGING, TARGET].map((b) => ({ name: b.bucket, region: b.region })) });
  const client = new COS({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, ...cosOptionsFor(cos.hostPort) });
  const workDir = mkdtempSync(path.join(os.tmpdir(), "delivery-test-"));
  // Downloaded targets go elsewhere, so the work dir shows only what delivery itself left behind.
  const outDir = mkdtempSync(path.join(os.tmpdir(), "delivery-got-"));
  const logs: LogLine[] = [];
  const saved: DeliveryCheckpoint[] = [];
  const clock = new ManualClock();
  const log: DeliveryLog = {
    info: (msg, fields) => logs.push({ level: "info", msg, fields }),
    warn: (msg, fields) => logs.push({ level: "warn", msg, fields }),
    error: (msg, fields) => logs.push({ level: "error", msg, fields }),
  };
  return {
    cos,
    client,
    workDir,
    logs,
    saved,
    clock,
    stage(key, fileOrBytes) {
      cos.putObjectDirect(STAGING.bucket, key, typeof fileOrBytes === "string" ? readFileSync(fileOrBytes) : fileOrBytes);
      return { ...STAGING, key };
    },
    target: (key) => ({ ...TARGET, key }),
    targetFile(key) {
      const body = cos.getObjectDirect(TARGET.bucket, key);
      if (!body) return undefined;
      const file = path.join(outDir, key.replace(/[^A-Za-z0-9.]/g, "_"));
      writeFileSync(file, body);
      return file;
    },
    deps: (over = {}) => ({
      sourceCos: client,
      targetCos: client,
      ffmpegPath: FFMPEG,
      workDir,
      log,
      deadlineMs: clock.now() + 10 * 60_000,
      clock,
      saveCheckpoint: async (cp) => {
        // Round-trip through JSON: the recorder stores checkpoints as JSON, so they must survive it.
        saved.push(JSON.parse(JSON.stringify(cp)) as DeliveryCheckpoint);
      },
      ...over,
    }),
    async close() {
      await cos.close();
      rmSync(workDir, { recursive: true, force: true });
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Byte equality as a boolean (vitest's toEqual walks large Buffers element by element, slowly). */
export function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a !== undefined && b !== undefined && a.equals(b);
}
