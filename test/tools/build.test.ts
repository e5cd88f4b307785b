import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import * as yauzl from "yauzl";
import { ArtifactStore } from "../../infra/artifacts/artifact-store";
import { buildArtifacts, buildBundleArtifact, type BuiltArtifacts } from "../../infra/artifacts/build";
import { bundleFunction } from "../../infra/artifacts/function-bundle";
import { writeDeterministicZip } from "../../infra/artifacts/deterministic-zip";
import { REPO_ROOT } from "../../infra/app";
import { tempDir } from "./fixtures/workspace";

// A tiny repository of our own (function/index.ts importing a real package through the shared node_modules), so
// these tests prove the build's properties without depending on the recorder's code compiling at this moment.
const dirs: string[] = [];
function fixtureRoot(source = 'import * as v from "valibot";\nexport const recorder = (e: unknown) => v.parse(v.string(), e);\n'): string {
  const root = tempDir("build-root-");
  dirs.push(root);
  mkdirSync(join(root, "function"));
  writeFileSync(join(root, "function", "index.ts"), source);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"), "dir");
  return root;
}
function storeDir(): string {
  const d = tempDir("build-store-");
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

function zipEntries(file: string): Promise<Array<{ name: string; date: Date; extra: number; mode: number }>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: Array<{ name: string; date: Date; extra: number; mode: number }> = [];
      zip.on("entry", (e: yauzl.Entry) => {
        out.push({ name: e.fileName, date: e.getLastModDate(), extra: e.extraFields.length, mode: (e.externalFileAttributes >>> 16) & 0o777 });
        zip.readEntry();
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

// One full build (the ffmpeg layer takes seconds to zip) shared by the tests that only read it.
let first: { dir: string; built: Promise<BuiltArtifacts> } | undefined;
function firstBuild(): { dir: string; built: Promise<BuiltArtifacts> } {
  if (!first) {
    const dir = storeDir();
    first = { dir, built: buildArtifacts(fixtureRoot(), dir, { restorePins: false }) };
  }
  return first;
}

describe("npm run build: content-addressed artifacts", () => {
  it("builds the same bundle and ffmpeg layer, byte for byte, twice from the same source, in another checkout and another time zone", async () => {
    const a = await firstBuild().built;
    process.env.TZ = "Asia/Shanghai"; // zip stores local time: a UTC-derived timestamp would move by 8 hours here
    const b = await buildArtifacts(fixtureRoot(), storeDir(), { restorePins: false });
    for (const kind of ["bundle", "layer"] as const) {
      expect(b[kind].hash).toBe(a[kind].hash);
      expect(readFileSync(b[kind].path!).equals(readFileSync(a[kind].path!))).toBe(true);
    }
  });

  it("names each zip by its content hash and records hash, sha256, size and source commit in the manifest", async () => {
    const { dir } = firstBuild();
    const built = await firstBuild().built;
    const manifest = new ArtifactStore(dir).readManifest();
    for (const ref of [built.bundle, built.layer]) {
      expect(ref.path).toBe(join(dir, `${ref.kind}-${ref.hash}.zip`));
      const rec = manifest.artifacts[ref.hash]!;
      expect(rec.sha256.slice(0, 16)).toBe(ref.hash);
      expect(rec.size).toBe(readFileSync(ref.path!).length);
      expect(rec.sourceCommit).toBe("unknown"); // the fixture is not a git checkout
      expect(manifest.latest[ref.kind]).toBe(ref.hash);
    }
  });

  it("writes zips without timestamps that vary: a fixed 2000-01-01 local date, no extended-timestamp field, sorted entries", async () => {
    const file = join(storeDir(), "t.zip");
    await writeDeterministicZip(file, [
      { name: "z.txt", data: Buffer.from("z") },
      { name: "a.sh", data: Buffer.from("#!/bin/sh\n"), mode: 0o755 },
    ]);
    const entries = await zipEntries(file);
    expect(entries.map((e) => e.name)).toEqual(["a.sh", "z.txt"]);
    for (const e of entries) {
      expect([e.date.getFullYear(), e.date.getMonth(), e.date.getDate(), e.date.getHours(), e.date.getMinutes()]).toEqual([2000, 0, 1, 0, 0]);
      expect(e.extra).toBe(0);
    }
    expect(entries.map((e) => e.mode)).toEqual([0o755, 0o644]);
  });

  it("changes the hash when the source changes", async () => {
    const dir = storeDir();
    const a = await buildBundleArtifact(fixtureRoot(), new ArtifactStore(dir));
    const b = await buildBundleArtifact(fixtureRoot('export const recorder = () => "other";\n'), new ArtifactStore(dir));
    expect(b.hash).not.toBe(a.hash);
  });

  it("reuses an artifact for an unchanged input, but never bytes an older zip format produced for that input", async () => {
    const root = fixtureRoot();
    const store = new ArtifactStore(storeDir());
    const first = await buildBundleArtifact(root, store);
    const again = await buildBundleArtifact(root, store);
    expect(again.hash).toBe(first.hash);
    // A record as the previous build code wrote it: keyed on the content alone, bytes from another packer.
    const code = readFileSync(first.path!);
    const stale = "00000000000000aa";
    writeFileSync(join(store.dir, `recorder-bundle-${stale}.zip`), "bytes from an older packer");
    const manifest = store.readManifest();
    const contentOnly = createHash("sha256").update(await bundleFunction({ root })).digest("hex");
    store.record({ ...manifest.artifacts[first.hash]!, hash: stale, file: `recorder-bundle-${stale}.zip`, inputHash: contentOnly });
    rmSync(first.path!);
    const rebuilt = await buildBundleArtifact(root, store);
    expect(rebuilt.hash).toBe(first.hash);
    expect(readFileSync(rebuilt.path!).equals(code)).toBe(true);
  });

  it("records the commit once the same bytes are built from a committed tree (a '+dirty' source cannot be rebuilt elsewhere)", async () => {
    const root = fixtureRoot();
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: root, stdio: "pipe" }).toString().trim();
    writeFileSync(join(root, ".gitignore"), "node_modules\n");
    git("init", "-q");
    git("add", ".gitignore", "function/index.ts");
    git("commit", "-q", "-m", "fixture");
    const head = git("rev-parse", "HEAD");
    const store = new ArtifactStore(storeDir());
    writeFileSync(join(root, "function", "notes.md"), "uncommitted");
    const dirty = await buildBundleArtifact(root, store);
    expect(dirty.sourceCommit).toBe(`${head}+dirty`);
    unlinkSync(join(root, "function", "notes.md"));
    const clean = await buildBundleArtifact(root, store);
    expect(clean.hash).toBe(dirty.hash);
    expect(clean.sourceCommit).toBe(head);
  });
});
