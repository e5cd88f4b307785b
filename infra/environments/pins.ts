/**
 * Which artifacts an environment runs. A pin file `infra/environments/pins/<env>.json` holds
 * `{ "bundle": "<hash>", "layer": "<hash>" }`; without one the environment follows the latest build.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ArtifactStore } from "../artifacts/artifact-store";
import type { RecorderStackArtifacts } from "../stacks/recorder-stack";
import { ENVIRONMENTS_DIR } from "./load";

export interface PinFile {
  bundle: string;
  layer: string;
}

export function pinPath(env: string, dir = ENVIRONMENTS_DIR): string {
  return join(dir, "pins", `${env}.json`);
}

export function readPin(env: string, dir = ENVIRONMENTS_DIR): PinFile | undefined {
  const file = pinPath(env, dir);
  if (!existsSync(file)) return undefined;
  const pin = JSON.parse(readFileSync(file, "utf8")) as Partial<PinFile>;
  for (const field of ["bundle", "layer"] as const) {
    if (typeof pin[field] !== "string" || !/^[0-9a-f]{16}$/.test(pin[field] as string)) {
      throw new Error(`environment "${env}" (${file}): ${field}: expected a 16-hex artifact hash, got ${JSON.stringify(pin[field])}`);
    }
  }
  return pin as PinFile;
}

export function resolvePins(env: string, store: ArtifactStore, dir = ENVIRONMENTS_DIR): RecorderStackArtifacts {
  const pin = readPin(env, dir);
  const who = `environment "${env}"`;
  return {
    bundle: store.resolve("recorder-bundle", pin?.bundle ?? "latest", who),
    layer: store.resolve("ffmpeg-layer", pin?.layer ?? "latest", who),
  };
}
