// Shapes shared by the API 3.0 (TC3-HMAC-SHA256) framework and every service built on it (trtc, kms, scf).
import type { FaultInjector } from "../faults";

/** A key pair the double accepts. With `token` it is a temporary credential: X-TC-Token must equal it. */
export interface Tc3Credential {
  secretId: string;
  secretKey: string;
  token?: string;
}

/** Thrown by a handler to answer with `{"Response":{"Error":{Code,Message}}}` (HTTP 200, as the real API does). */
export class Tc3ApiError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
    this.name = "Tc3ApiError";
  }
}

export interface Tc3Context {
  action: string;
  /** X-TC-Region, absent when the client sent none. */
  region?: string;
  secretId: string;
  requestId: string;
  service: string;
}

/** Returns the Response fields; the framework adds RequestId. */
export type Tc3Handler = (params: Record<string, unknown>, ctx: Tc3Context) => unknown | Promise<unknown>;

export interface Tc3ServiceDef {
  /** First label of the service host: "trtc" for trtc.tencentcloudapi.com. */
  service: string;
  /** The only X-TC-Version accepted, e.g. "2019-07-22". */
  version: string;
  actions: Record<string, Tc3Handler>;
}

export interface Tc3ServerOptions {
  credentials: Tc3Credential[];
  services: Tc3ServiceDef[];
  /** Consulted for every request before authentication, like a failing front end. */
  faults?: FaultInjector;
  /** Clock in milliseconds since the epoch. @default Date.now */
  now?: () => number;
}

export interface Tc3Call {
  service: string;
  action: string;
  params: Record<string, unknown>;
  secretId: string;
}
