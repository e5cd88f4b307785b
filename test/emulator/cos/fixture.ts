// Shared by the COS double's tests: a double with two buckets in two regions and real cos-nodejs-sdk-v5 clients
// pointed at it the recommended way (Protocol http: + Ip).
import { request } from "node:http";
import COS from "cos-nodejs-sdk-v5";
import { cosOptionsFor } from "../../../emulator/endpoints";
import { startCosDouble, type CosDouble } from "../../../emulator/cos/double";

export const KEY = { secretId: "AKIDcos00000000000000000000000000000", secretKey: "cos-secret-key-00000000000000000" };
export const TEMP = { secretId: "AKIDcostmp000000000000000000000000", secretKey: "cos-temp-key-0000000000000000000", token: "cos-session-token" };
export const BUCKET = "rec-1250000000";
export const REGION = "ap-guangzhou";
export const OTHER_BUCKET = "src-1250000000";
export const OTHER_REGION = "ap-shanghai";

export function startFixture(now?: () => number): Promise<CosDouble> {
  return startCosDouble({
    credentials: [KEY, TEMP],
    buckets: [
      { name: BUCKET, region: REGION },
      { name: OTHER_BUCKET, region: OTHER_REGION },
    ],
    now,
  });
}

export function cosClient(d: CosDouble, extra: Partial<COS.COSOptions> = {}): COS {
  return new COS({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, ...cosOptionsFor(d.hostPort), ...extra });
}

export interface SdkFailure {
  code?: string;
  statusCode?: number;
  message?: string;
  headers?: Record<string, string>;
}

export async function failureOf(p: Promise<unknown>): Promise<SdkFailure> {
  try {
    await p;
  } catch (e) {
    return e as SdkFailure;
  }
  throw new Error("expected the COS call to fail, it succeeded");
}

/** Sends a request signed by the SDK's own COS.getAuthorization, optionally changing it after signing. */
export function rawSigned(
  d: CosDouble,
  o: {
    method: "GET" | "PUT" | "POST" | "DELETE";
    key: string;
    headers?: Record<string, string>;
    /** Sent but not signed. */
    extraHeaders?: Record<string, string>;
    sentPath?: string;
    body?: Buffer;
    /** @default true */
    signHost?: boolean;
    /** Send no Authorization at all (anonymous). */
    anonymous?: boolean;
  },
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const host = `${BUCKET}.cos.${REGION}.myqcloud.com`;
  const body = o.body ?? Buffer.alloc(0);
  const signed: Record<string, string> = { "Content-Length": String(body.length), ...(o.headers ?? {}) };
  if (o.signHost !== false) signed.Host = host;
  const authorization = COS.getAuthorization({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, Method: o.method, Key: o.key, Headers: signed });
  const sent: Record<string, string> = { ...signed, Host: host, ...(o.extraHeaders ?? {}) };
  if (!o.anonymous) sent.Authorization = authorization;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: d.port, method: o.method, path: o.sentPath ?? `/${o.key.split("/").map(encodeURIComponent).join("/")}`, headers: sent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
