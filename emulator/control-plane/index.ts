// The control-plane emulator's public surface: start it, project what was applied into the data plane's model, and
// let SCF read code from the emulated COS.
export { startControlPlane, type ControlPlane, type ControlPlaneOptions, type HostRoute } from "./server";
export { startControlPlaneWithCos, type ControlPlaneWithCos } from "./with-cos";
export { controlPlaneDeployment, type ControlPlaneDeployment, type ControlPlaneDeploymentInput } from "./to-deployment";
export { cosStoreReader, type CosObjectReader } from "./scf";
export { DEFAULT_ACCOUNT, type EmulatedAccount, type ControlPlaneContext } from "./context";
