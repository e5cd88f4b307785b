// A KMS double on its own port, for tests that need nothing else from the API 3.0 side.
import type { FaultInjector } from "../faults";
import { startTc3Server, type Tc3Server } from "../tc3/service";
import type { Tc3Credential } from "../tc3/types";
import { kmsService, type KmsService } from "./service";

export interface KmsDoubleOptions {
  credentials: Tc3Credential[];
  /** KeyIds that exist from the start. @default [] */
  keys?: string[];
  faults?: FaultInjector;
  /** Clock in ms. @default Date.now */
  now?: () => number;
}

export interface KmsDouble extends Tc3Server {
  kms: KmsService;
  createKey(alias?: string): string;
}

export async function startKmsDouble(opts: KmsDoubleOptions): Promise<KmsDouble> {
  const kms = kmsService({ keys: opts.keys });
  const server = await startTc3Server({ credentials: opts.credentials, services: [kms], faults: opts.faults, now: opts.now });
  return { ...server, kms, createKey: (alias) => kms.createKey(alias) };
}
