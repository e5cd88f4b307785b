import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFunction } from "../../infra/artifacts/function-bundle";
import { REPO_ROOT } from "../../infra/app";
import { startCosDouble, type CosDouble } from "../../emulator/cos";
import { tempDir } from "./synth";

const KEY = { secretId: "AKIDshim000000000000000000000000000", secretKey: "shim-secret-key-000000000000000" };
let cos: CosDouble;
let dir: string;
beforeAll(async () => {
  cos = await startCosDouble({ credentials: [KEY], buckets: [{ name: "shim-1250000000", region: "ap-guangzhou" }] });
  dir = tempDir("bundle-shims-");
});
afterAll(async () => {
  await cos.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the bundle's dependency shims", () => {
  it("keep cos-nodejs-sdk-v5 working: put, get, copy, multipart, head, 404 (signatures verified by the COS double)", async () => {
    const code = await bundleFunction({ root: REPO_ROOT, entry: join(__dirname, "fixtures", "cos-roundtrip-entry.ts") });
    expect(code.toString("utf8")).not.toContain("publicsuffix"); // the public suffix list really is gone
    const file = join(dir, "bundle.js");
    writeFileSync(file, code);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { roundTrip: (o: unknown) => Promise<{ small: string; bigEtag: string; missing: string }> };
    const big = Buffer.alloc(2.5 * 1024 * 1024, 7);
    const result = await mod.roundTrip({ hostPort: cos.hostPort, ...KEY, bucket: "shim-1250000000", region: "ap-guangzhou", big });
    expect(result.small).toBe("hello");
    expect(cos.getObjectDirect("shim-1250000000", "shim/copy.txt")?.toString()).toBe("hello");
    expect(cos.getObjectDirect("shim-1250000000", "shim/big.bin")?.equals(big)).toBe(true);
    expect(result.bigEtag).toMatch(/-2"$/);
    expect(result.missing).toBe("404");
  });
});
