// Shared by the TRTC double's tests: a COS double with one bucket, the TRTC double on a ManualClock, and the real
// tencentcloud TRTC client pointed at it the recommended way (real endpoint name, socket rerouted).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trtc } from "tencentcloud-sdk-nodejs/tencentcloud/services/trtc";
import type { CreateCloudRecordingRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/trtc/v20190722/trtc_models";
import { startCosDouble, type CosDouble } from "../../../emulator/cos";
import { tc3AgentFor } from "../../../emulator/endpoints";
import { ManualClock } from "../../../emulator/trtc/clock";
import { startTrtcDouble, type TrtcDouble, type TrtcDoubleOptions } from "../../../emulator/trtc/index";
import { mintUserSig } from "../../../emulator/trtc/usersig-mint";

export const APP = 1400000001;
export const APP_KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
export const TC3_KEY = { secretId: "AKIDtrtc0000000000000000000000000000", secretKey: "trtc-secret-key-0000000000000000" };
export const COS_KEY = { secretId: "AKIDcos00000000000000000000000000000", secretKey: "cos-secret-key-00000000000000000" };
export const BUCKET = "rec-1250000000";
export const REGION = "ap-guangzhou";
export const ROBOT = "recorder_1";

export type TrtcClient = InstanceType<typeof trtc.v20190722.Client>;

export function trtcClient(hostPort: string, key: { secretId: string; secretKey: string } = TC3_KEY): TrtcClient {
  return new trtc.v20190722.Client({
    credential: key,
    region: REGION,
    profile: { httpProfile: { endpoint: "trtc.tencentcloudapi.com", protocol: "http://", agent: tc3AgentFor(hostPort) } },
  });
}

export interface World {
  trtc: TrtcDouble;
  cos: CosDouble;
  client: TrtcClient;
  clock: ManualClock;
  /** Copies an object out of the COS double into a temp file (for ffprobe) and returns its path. */
  download(key: string): Promise<string>;
  close(): Promise<void>;
}

export async function startWorld(extra: Partial<TrtcDoubleOptions> = {}): Promise<World> {
  const cos = await startCosDouble({ credentials: [COS_KEY], buckets: [{ name: BUCKET, region: REGION }] });
  const clock = new ManualClock();
  const double = await startTrtcDouble({ credentials: [TC3_KEY], apps: [{ sdkAppId: APP, key: APP_KEY }], cos: { hostPort: cos.hostPort }, clock, ...extra });
  const dir = await mkdtemp(join(tmpdir(), "trtc-double-test-"));
  let n = 0;
  return {
    trtc: double,
    cos,
    client: trtcClient(double.hostPort),
    clock,
    async download(key) {
      const body = cos.getObjectDirect(BUCKET, key);
      if (!body) throw new Error(`no object "${key}" in ${BUCKET}; have: ${cos.listKeys(BUCKET).join(", ")}`);
      const path = join(dir, `${n++}-${key.split("/").pop()}`);
      await writeFile(path, body);
      return path;
    },
    async close() {
      await double.close();
      await cos.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A mixed-recording request to COS; `over` replaces top-level fields, `record` merges into RecordParams. */
export function recordingRequest(
  room: number | string,
  over: Partial<CreateCloudRecordingRequest> = {},
  record: Partial<CreateCloudRecordingRequest["RecordParams"]> = {},
): CreateCloudRecordingRequest {
  const robot = over.UserId ?? ROBOT;
  return {
    SdkAppId: APP,
    RoomId: String(room),
    RoomIdType: typeof room === "number" ? 1 : 0,
    UserId: robot,
    UserSig: mintUserSig(APP, APP_KEY, robot),
    RecordParams: { RecordMode: 2, MaxIdleTime: 30, StreamType: 0, OutputFormat: 3, ...record },
    StorageParams: {
      CloudStorage: { Vendor: 0, Region: REGION, Bucket: BUCKET, AccessKey: COS_KEY.secretId, SecretKey: COS_KEY.secretKey, FileNamePrefix: ["rec", "class7"] },
    },
    MixTranscodeParams: {
      VideoParams: { Width: 640, Height: 360, Fps: 15, BitRate: 400_000, Gop: 2 },
      AudioParams: { SampleRate: 1, Channel: 2, BitRate: 64_000 },
    },
    ...over,
  };
}

/** The error code the SDK surfaced for a failed call. */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { code?: unknown }).code ?? (e as Error).message);
  }
  throw new Error("expected the API call to fail, it succeeded");
}

/** CreateCloudRecording, returning the TaskId (which the SDK types as optional). */
export async function startRecording(client: TrtcClient, req: CreateCloudRecordingRequest): Promise<string> {
  const { TaskId } = await client.CreateCloudRecording(req);
  if (!TaskId) throw new Error("CreateCloudRecording answered without a TaskId");
  return TaskId;
}
