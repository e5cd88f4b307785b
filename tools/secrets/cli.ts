/**
 * `npm run secret -- put <name> --bucket <state_bucket> --region <region> --kms-key-id <kms_key_id>` with the value
 * on stdin (never an argument: shell history and `ps` would keep it). Bucket and key id are the stack's outputs
 * (`terraform output` in cdktf.out/stacks/recorder-<env>). Credentials: TENCENTCLOUD_SECRET_ID/KEY[/SECURITY_TOKEN].
 */
import { parseArgs } from "node:util";
import { putSecret, SECRET_NAMES } from "./put-secret";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { bucket: { type: "string" }, region: { type: "string" }, "kms-key-id": { type: "string" }, prefix: { type: "string" } },
  });
  const [verb, name] = positionals;
  const missing = ["bucket", "region", "kms-key-id"].filter((k) => !values[k as keyof typeof values]);
  if (verb !== "put" || !name || missing.length) {
    console.error(`usage: npm run secret -- put <${[...SECRET_NAMES, "trtc-sdk-secret-key-<SdkAppId>"].join("|")}> --bucket <state_bucket> --region <region> --kms-key-id <id>  < value`);
    if (missing.length) console.error(`missing: ${missing.map((m) => `--${m}`).join(", ")}`);
    process.exit(2);
  }
  const secretId = process.env.TENCENTCLOUD_SECRET_ID;
  const secretKey = process.env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey) {
    console.error("put-secret: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (as for terraform)");
    process.exit(2);
  }
  await putSecret({
    name,
    value: await readStdin(),
    bucket: values.bucket!,
    region: values.region!,
    kmsKeyId: values["kms-key-id"]!,
    prefix: values.prefix,
    credential: { secretId, secretKey, token: process.env.TENCENTCLOUD_SECURITY_TOKEN },
  });
  console.log(`stored ${name} (KMS-envelope-encrypted) in ${values.bucket}/${values.prefix ?? "secrets/"}${name}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
