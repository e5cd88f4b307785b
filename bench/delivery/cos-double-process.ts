// The COS double in its own process for the benchmark, so the bench process's RSS is delivery's alone and not the
// double's in-memory objects. Seeds objects from files named on the command line, prints "READY <hostPort>", and
// runs until its stdin closes.
// usage: tsx cos-double-process.ts <secretId> <secretKey> <bucket:region>,... [<bucket>/<key>=<file>] ...
import { readFileSync } from "node:fs";
import { startCosDouble } from "../../emulator/cos";

async function main(): Promise<void> {
  const [secretId, secretKey, buckets, ...seeds] = process.argv.slice(2);
  const double = await startCosDouble({
    credentials: [{ secretId, secretKey }],
    buckets: buckets.split(",").map((b) => {
      const [name, region] = b.split(":");
      return { name, region };
    }),
  });
  for (const seed of seeds) {
    const [where, file] = seed.split("=");
    const slash = where.indexOf("/");
    double.putObjectDirect(where.slice(0, slash), where.slice(slash + 1), readFileSync(file));
  }
  process.stdout.write(`READY ${double.hostPort}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void double.close().then(() => process.exit(0));
  });
}

void main();
