export * from "./service";
export { verifyTc3Request, tc3Signature, TC3_MAX_SKEW_SECONDS } from "./verify";
export type { Tc3SignedRequest, Tc3VerifyOptions, Tc3VerifyResult } from "./verify";
export { acceptConnectTunnel } from "./connect-tunnel";
export { listenLocal, type Listening } from "./listen";
