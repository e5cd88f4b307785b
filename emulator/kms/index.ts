export { kmsService, type KmsService, type KmsServiceOptions } from "./service";
export { startKmsDouble, type KmsDouble, type KmsDoubleOptions } from "./start";
