// The ffmpeg/ffprobe binaries the local cloud uses outside functions (contact sheets, probing results): the same
// npm-installed static builds the ffmpeg layer ships, resolved from the repository root (not the working directory).
import { join } from "node:path";
import { REPO_ROOT } from "../infra/app";
import { ffmpegPackageBinary } from "../infra/artifacts/ffmpeg-binary";

export interface MediaTools {
  ffmpegPath: string;
  ffprobePath: string;
}

export function mediaTools(): MediaTools {
  return { ffmpegPath: ffmpegPackageBinary(), ffprobePath: join(REPO_ROOT, "node_modules", "@ffprobe-installer", "linux-x64", "ffprobe") };
}
