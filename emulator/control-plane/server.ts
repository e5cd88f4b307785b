// The control-plane emulator: one HTTP listener on 127.0.0.1 that answers TC3-signed API 3.0 calls for every
// composed service, told apart by the Host header's first label. It also works as the HTTP proxy the real provider
// is pointed at: with `protocol = "HTTP"`, `domain = "<name>"` and HTTP_PROXY=http://127.0.0.1:<port>, the provider's
// Go SDK sends `POST http://scf.<name>/` (absolute-form request line, Host `scf.<name>`) and signs host `scf.<name>`
// with service `scf` (tencentcloud-sdk-go common/client.go completeRequest + sendWithSignatureV3), which the TC3
// framework verifies unchanged. CONNECT tunnels (the Node SDK's proxy mode) are accepted too.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { mkdirSync } from "node:fs";
import type { FaultInjector } from "../faults";
import { acceptConnectTunnel } from "../tc3/connect-tunnel";
import { listenLocal } from "../tc3/listen";
import { createTc3Listener } from "../tc3/service";
import type { Tc3Call, Tc3Credential, Tc3ServiceDef } from "../tc3/types";
import { composeCoreServices, discoverServices, type CoreServices } from "./compose";
import { DEFAULT_ACCOUNT, type ControlPlaneContext, type EmulatedAccount } from "./context";
import type { CosObjectReader } from "./scf";

/** Another protocol served on the same port, chosen by Host (e.g. COS virtual-hosted buckets). */
export interface HostRoute {
  matches(host: string): boolean;
  listener: RequestListener;
}

export interface ControlPlaneOptions {
  /** Folder for the account's state (one JSON file per service + code zips); undefined = in memory only. */
  stateDir?: string;
  /** Key pairs the API accepts (obvious fakes in tests). */
  credentials: Tc3Credential[];
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
  /** @default DEFAULT_ACCOUNT (APPID 1250000000, UIN 100000000001) */
  account?: Partial<EmulatedAccount>;
  /** @default "ap-guangzhou" */
  region?: string;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** Lets SCF read function/layer code from the emulated COS (CosBucketName + CosObjectName). */
  readCosObject?: CosObjectReader;
  /** Host suffix of function URLs returned in http trigger descriptions. @default "<region>.tencentscf.com" */
  functionUrlDomain?: string;
  /** Other listeners behind the same port, picked by Host before the TC3 dispatch. @default [] */
  routes?: HostRoute[];
  /** Compose the other service folders' `<name>ControlService` factories. @default true */
  discover?: boolean;
  faults?: FaultInjector;
}

export interface ControlPlane extends CoreServices {
  port: number;
  hostPort: string;
  /** "http://127.0.0.1:<port>": the HTTP_PROXY value for the provider. */
  proxyUrl: string;
  /** Every service answering on this listener. */
  services: Tc3ServiceDef[];
  /** Every authenticated call that reached a handler, in arrival order. */
  calls: Tc3Call[];
  account: EmulatedAccount;
  region: string;
  stateDir?: string;
  close(): Promise<void>;
}

function hostOf(req: IncomingMessage): string {
  const h = req.headers.host;
  return (Array.isArray(h) ? h[0] : h) ?? "";
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  if (opts.stateDir) mkdirSync(opts.stateDir, { recursive: true });
  const account = { ...DEFAULT_ACCOUNT, ...opts.account };
  const base: Omit<ControlPlaneContext, "tags"> = { ...account, stateDir: opts.stateDir, region: opts.region ?? "ap-guangzhou", now: opts.now ?? Date.now };
  const core = composeCoreServices(base, { readCosObject: opts.readCosObject, functionUrlDomain: opts.functionUrlDomain });
  const extra = opts.discover === false ? [] : await discoverServices({ ...base, tags: core.tags }, core);
  const services: Tc3ServiceDef[] = [core.scf, core.cam, core.vpc, core.cfs, core.tags, ...extra];
  const seen = new Set<string>();
  for (const s of services) {
    if (seen.has(s.service)) throw new Error(`control plane: two services answer for host "${s.service}.*"`);
    seen.add(s.service);
  }
  const calls: Tc3Call[] = [];
  const tc3 = createTc3Listener({ credentials: opts.credentials, services, faults: opts.faults, now: opts.now }, calls);
  const routes = opts.routes ?? [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const host = hostOf(req);
    const route = routes.find((r) => r.matches(host));
    (route ? route.listener : tc3)(req, res);
  });
  acceptConnectTunnel(server);
  const listening = await listenLocal(server, opts.port ?? 0);
  return { ...core, ...listening, proxyUrl: `http://${listening.hostPort}`, services, calls, account, region: base.region, stateDir: opts.stateDir };
}
