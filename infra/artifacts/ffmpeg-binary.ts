/** Where the static ffmpeg that the layer carries comes from: the npm package `@ffmpeg-installer/linux-x64`. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

export function ffmpegPackageBinary(): string {
  const pkg = require.resolve("@ffmpeg-installer/linux-x64/package.json");
  const binary = join(dirname(pkg), "ffmpeg");
  if (!existsSync(binary)) throw new Error(`ffmpeg binary missing at ${binary}; reinstall @ffmpeg-installer/linux-x64`);
  return binary;
}
