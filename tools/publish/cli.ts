/**
 * `npm run publish-artifacts -- --env dev` puts the environment's bundle and ffmpeg layer into its artifact bucket (run it
 * before `npx cdktf deploy recorder-dev`). For staging and prod it only verifies: their pins name objects that dev
 * published, and promotion must not change bytes. Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
 * (/ TENCENTCLOUD_SECURITY_TOKEN), the provider's. `--cos-ip 127.0.0.1:<port>` points the COS SDK at an emulator.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import COS from "cos-nodejs-sdk-v5";
import { ArtifactStore } from "../../infra/artifacts/artifact-store";
import { REPO_ROOT } from "../../infra/app";
import { loadEnvironment } from "../../infra/environments/load";
import { mustPin, resolvePins } from "../../infra/environments/pins";
import { publishArtifact, PublishError } from "./publish";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { env: { type: "string" }, "cos-ip": { type: "string" }, help: { type: "boolean" } } });
  if (values.help || !values.env) {
    console.log("usage: npm run publish-artifacts -- --env <dev|staging|prod|local> [--cos-ip 127.0.0.1:<port>]");
    process.exit(values.help ? 0 : 2);
  }
  const env = loadEnvironment(values.env);
  const secretId = process.env.TENCENTCLOUD_SECRET_ID;
  const secretKey = process.env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey) throw new PublishError("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY must be set (the keys the provider uses)");
  const cos = new COS({
    SecretId: secretId,
    SecretKey: secretKey,
    ...(process.env.TENCENTCLOUD_SECURITY_TOKEN ? { SecurityToken: process.env.TENCENTCLOUD_SECURITY_TOKEN } : {}),
    ...(values["cos-ip"] ? { Ip: values["cos-ip"], Protocol: "http:" } : {}),
  });
  const artifacts = resolvePins(env.name, new ArtifactStore(join(REPO_ROOT, "dist", "artifacts")));
  // Environments that must pin (staging, prod) take what an earlier environment published: verify, never upload.
  const upload = !mustPin(env.name);
  for (const ref of [artifacts.bundle, artifacts.layer, ...(artifacts.canary ? [artifacts.canary.previous.bundle, artifacts.canary.previous.layer] : [])]) {
    const outcome = await publishArtifact(cos, env.artifacts, ref, { upload });
    console.log(`${ref.kind.padEnd(16)} ${ref.hash}  ${outcome}  ${env.artifacts.bucket}/${ref.kind}/${ref.sha256}.zip`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
