// Shared set-up for the apigw / kms / cls / monitor / tag conformance tests: a TC3 server playing the given service
// defs, real SDK clients pointed at it, a temp state folder, and a helper that reads the error code of a failing call.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tc3AgentFor } from "../../../emulator/endpoints";
import { startTc3Server, type Tc3Server, type Tc3ServiceDef } from "../../../emulator/tc3/service";

export const KEY = { secretId: "AKIDctrl00000000000000000000000000000", secretKey: "ctrl-secret-key-0000000000000000" };
export const REGION = "ap-guangzhou";

export interface ClientOptions {
  credential: { secretId: string; secretKey: string };
  region: string;
  profile: { httpProfile: { endpoint: string; protocol: string; agent: ReturnType<typeof tc3AgentFor> } };
}

/** Constructor options for a real tencentcloud-sdk-nodejs client of `service` sent to the server. */
export function clientOptions(server: Tc3Server, service: string): ClientOptions {
  return {
    credential: KEY,
    region: REGION,
    profile: { httpProfile: { endpoint: `${service}.tencentcloudapi.com`, protocol: "http://", agent: tc3AgentFor(server.hostPort) } },
  };
}

export async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  throw new Error("expected the call to fail, it succeeded");
}

export interface Harness {
  stateDir: string;
  start(services: Tc3ServiceDef[]): Promise<Tc3Server>;
  /** Closes every server started and removes the state folder. */
  close(): Promise<void>;
}

export function harness(): Harness {
  const stateDir = mkdtempSync(join(tmpdir(), "cp-state-"));
  const servers: Tc3Server[] = [];
  return {
    stateDir,
    async start(services) {
      const s = await startTc3Server({ credentials: [KEY], services });
      // A test may close a server itself to simulate a restart; closing it twice must not fail the teardown.
      let closed: Promise<void> | undefined;
      const once = { ...s, close: () => (closed ??= s.close()) };
      servers.push(once);
      return once;
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A manual clock in ms. */
export function manualClock(startMs = Date.UTC(2026, 11, 7, 6, 0, 0)): { now: () => number; advance(ms: number): void } {
  let t = startMs;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}
