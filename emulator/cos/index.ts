export { startCosDouble, type CosDouble, type CosDoubleOptions } from "./double";
export { createCosListener, type CosListenerOptions, type CosRequestRecord } from "./server";
export { CosStore } from "./store";
export { verifyCosSignature, cosEncode } from "./verify-signature";
export { parseCosHost } from "./request";
export { MIN_PART_BYTES } from "./multipart";
