export { startCosDouble, type CosDouble, type CosDoubleOptions } from "./double";
export { createCosListener, type CosListenerOptions, type CosRequestRecord } from "./server";
export { CosStore } from "./store";
export { verifyCosSignature, cosEncode } from "./verify-signature";
export { parseCosHost } from "./request";
export { MIN_PART_BYTES } from "./multipart";
export { cosRoute, localBuckets, type CosRoute, type CosRouteOptions } from "./route";
export { persistBuckets, type PersistedBuckets } from "./bucket-state";
export { verifySigV4, verifyAnyCosSignature } from "./verify-sigv4";
