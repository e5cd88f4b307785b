// `npm run deploy:local`: the LocalStack + tflocal path. Starts the emulated account (control plane + COS, state in
// .local-cloud/account), publishes the artifacts to its artifact bucket, applies the synthesized recorder-local stack
// with the real terraform and provider, then serves *what was applied* (functions, code, versions, aliases,
// triggers, routes, mounts, read back from the emulator's state) in the local cloud and records the default room.
// `-- --plan` only plans (exit 0: no changes, 2: changes), `-- --destroy` destroys. `npm start` is the other path: no terraform, the synthesized stack served as is.
import { join } from "node:path";
import COS from "cos-nodejs-sdk-v5";
import { REPO_ROOT } from "../../infra/app";
import { ArtifactStore } from "../../infra/artifacts/artifact-store";
import { loadEnvironment } from "../../infra/environments/load";
import { resolvePins } from "../../infra/environments/pins";
import { stackName } from "../../infra/stacks/recorder-stack";
import { publishArtifact } from "../../tools/publish/publish";
import { startLocalCloud } from "../cloud";
import { startKeptConsole, waitForSignal } from "../console/keep";
import type { LocalConsole } from "../console/server";
import { describeCloud } from "../describe-cloud";
import { mediaTools } from "../media-tools";
import { parseCliArgs } from "../scenario/options";
import { consolePrinter } from "../scenario/printer";
import { runScenario } from "../scenario/run";
import { summaryOfSynthesized, synthesizeStacks } from "../synth/synthesize";
import { startEmulatedAccount } from "./emulated-account";
import { prepareWorkDir, terraform, TerraformExit, terraformVersion, TerraformMissing } from "./terraform";

const STATE = join(REPO_ROOT, ".local-cloud");

async function main(argv: string[]): Promise<number> {
  const destroy = argv.includes("--destroy");
  const planOnly = argv.includes("--plan");
  const parsed = parseCliArgs(argv.filter((a) => a !== "--destroy" && a !== "--plan"));
  if (!parsed.ok) {
    console.error(parsed.errors.join("\n"));
    return 2;
  }
  console.log(`using ${terraformVersion()}`);
  const env = loadEnvironment("local");
  const outdir = join(REPO_ROOT, "cdktf.out");
  await synthesizeStacks(outdir, ["local"]);
  const stackDir = join(outdir, "stacks", stackName("local"));
  const account = await startEmulatedAccount(join(STATE, "account"));
  try {
    console.log(`emulated account on ${account.controlPlane.proxyUrl} (state in ${join(STATE, "account")})`);
    // The artifact bucket is an account prerequisite (docs/operations.md); here the operator is us.
    if (!account.cos.store.named(env.artifacts.bucket)) account.cos.store.createBucket(env.artifacts.bucket, env.artifacts.region);
    const cos = new COS({ SecretId: account.credentials.secretId, SecretKey: account.credentials.secretKey, Ip: account.controlPlane.hostPort, Protocol: "http:" });
    const artifacts = resolvePins("local", new ArtifactStore(join(REPO_ROOT, "dist", "artifacts")));
    for (const ref of [artifacts.bundle, artifacts.layer]) console.log(`publish ${ref.kind}@${ref.hash}: ${await publishArtifact(cos, env.artifacts, ref, { upload: true })}`);

    const run = {
      workDir: prepareWorkDir(stackDir, join(STATE, "terraform", stackName("local"))),
      env: {
        ...process.env,
        HTTP_PROXY: account.controlPlane.proxyUrl,
        HTTPS_PROXY: account.controlPlane.proxyUrl,
        NO_PROXY: "",
        TENCENTCLOUD_SECRET_ID: account.credentials.secretId,
        TENCENTCLOUD_SECRET_KEY: account.credentials.secretKey,
      },
      log: (line: string) => console.log(line),
    };
    await terraform(run, ["init", "-input=false", "-no-color"]);
    if (destroy) {
      await terraform(run, ["destroy", "-auto-approve", "-input=false", "-no-color"]);
      return 0;
    }
    if (planOnly) return await terraform(run, ["plan", "-detailed-exitcode", "-input=false", "-no-color"]).then(
      () => 0,
      (e: unknown) => (e instanceof TerraformExit && e.code === 2 ? 2 : Promise.reject(e)),
    );
    await terraform(run, ["apply", "-auto-approve", "-input=false", "-no-color"]);

    const { deployment, warnings } = account.deployment(stackName("local"), run.workDir);
    for (const w of warnings) console.log(`  not served locally: ${w}`);
    const printer = consolePrinter();
    const cloud = await startLocalCloud({ applied: { deployment, synthesized: false, reason: "applied by terraform", summary: summaryOfSynthesized(stackDir), synthMs: 0 } });
    let web: LocalConsole | undefined;
    try {
      printer.raw(describeCloud(cloud));
      if (parsed.options.keep) web = await startKeptConsole(cloud, parsed.options.scenario, (line) => printer.raw(line));
      const result = await runScenario(cloud, parsed.options.scenario, printer, mediaTools(), parsed.options.verbose);
      printer.raw(JSON.stringify(result.result, null, 2));
      if (web) {
        printer.raw(`\nThe local cloud keeps running (Ctrl-C to stop). Console: ${web.url}`);
        await waitForSignal();
      }
      return 0;
    } finally {
      await web?.close();
      await cloud.stop();
    }
  } finally {
    await account.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof TerraformMissing ? err.message : err instanceof Error ? err.message : String(err));
    process.exit(err instanceof TerraformMissing ? 3 : 1);
  },
);
