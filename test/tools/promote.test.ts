import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readPin, resolvePins } from "../../infra/environments/pins";
import { promoteCli } from "../../tools/promote/cli";
import { applyPromotion, planPromotion, PromoteError, type PromoteRequest } from "../../tools/promote/promote";
import { addStandIn, BUNDLE_1, BUNDLE_2, COMMIT_1, COMMIT_2, LAYER_1, workspace, writePinFile, type Workspace } from "./fixtures/workspace";

let ws: Workspace;
afterEach(() => ws?.cleanup());

const NOW = new Date("2026-11-24T12:00:00.000Z");
const ctx = () => ({ environmentsDir: ws.environmentsDir, store: ws.store, who: "Ada <ada@example.com>", now: NOW });
const promote = (req: PromoteRequest) => applyPromotion(planPromotion(req, ctx()), ws.environmentsDir);
const pinsDir = () => join(ws.environmentsDir, "pins");
const pinFiles = () => (existsSync(pinsDir()) ? readdirSync(pinsDir()).sort() : []);

function refusal(req: PromoteRequest): PromoteError {
  try {
    planPromotion(req, ctx());
  } catch (err) {
    if (err instanceof PromoteError) return err;
    throw err;
  }
  throw new Error("expected the promotion to be refused");
}

describe("promote", () => {
  it("pins staging to what dev runs (the latest build) and records who, when, from where and the source commits", () => {
    ws = workspace();
    promote({ from: "dev", to: "staging" });
    expect(readPin("staging", ws.environmentsDir)).toEqual({
      bundle: BUNDLE_2,
      layer: LAYER_1,
      built: { bundle: COMMIT_2, layer: COMMIT_1 },
      published: { bundle: { sha256: BUNDLE_2.padEnd(64, "0"), size: expect.any(Number) }, layer: { sha256: LAYER_1.padEnd(64, "0"), size: expect.any(Number) } },
      promotion: { kind: "promote", from: "dev", by: "Ada <ada@example.com>", at: NOW.toISOString() },
    });
    expect(pinFiles()).toEqual(["staging.json"]);
  });

  it("moves prod to exactly staging's pin (no rebuild) and keeps what prod ran before as previous", () => {
    ws = workspace();
    writePinFile(ws, "staging", { bundle: BUNDLE_2, layer: LAYER_1, built: { bundle: COMMIT_2, layer: COMMIT_1 } });
    writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1, built: { bundle: COMMIT_1, layer: COMMIT_1 } });
    const manifestBefore = readFileSync(join(ws.artifactsDir, "manifest.json"), "utf8");
    promote({ from: "staging", to: "prod" });
    const prod = readPin("prod", ws.environmentsDir)!;
    expect([prod.bundle, prod.layer]).toEqual([BUNDLE_2, LAYER_1]);
    expect(prod.previous).toEqual({ bundle: BUNDLE_1, layer: LAYER_1, built: { bundle: COMMIT_1, layer: COMMIT_1 } });
    expect(readFileSync(join(ws.artifactsDir, "manifest.json"), "utf8")).toBe(manifestBefore);
  });

  it("enforces dev → staging → prod: prod only from staging", () => {
    ws = workspace();
    const err = refusal({ from: "dev", to: "prod" });
    expect(err.field).toBe("--from");
    expect(err.message).toBe('promote: --from: expected "staging" (the order is dev → staging → prod; to skip it pass --force --reason "…"), got "dev"');
    expect(refusal({ from: "prod", to: "staging" }).message).toMatch(/expected "dev"/);
    expect(pinFiles()).toEqual([]);
  });

  it("allows skipping the order with --force only together with a reason, and records both", () => {
    ws = workspace();
    expect(refusal({ from: "dev", to: "prod", force: true }).field).toBe("--reason");
    expect(refusal({ from: "dev", to: "prod", force: true, reason: "   " }).field).toBe("--reason");
    promote({ from: "dev", to: "prod", force: true, reason: "hotfix for a stuck recording (#42)" });
    expect(readPin("prod", ws.environmentsDir)!.promotion).toEqual({
      kind: "promote",
      from: "dev",
      by: "Ada <ada@example.com>",
      at: NOW.toISOString(),
      reason: "hotfix for a stuck recording (#42)",
      forced: true,
    });
  });

  it("checks the source artifact exists before writing anything", () => {
    ws = workspace();
    writePinFile(ws, "staging", { bundle: "0000000000000000", layer: LAYER_1 });
    const prodBefore = writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1 });
    const text = readFileSync(prodBefore, "utf8");
    expect(() => planPromotion({ from: "staging", to: "prod" }, ctx())).toThrowError(/bundle: expected recorder-bundle 0000000000000000/);
    expect(readFileSync(prodBefore, "utf8")).toBe(text);
    expect(pinFiles()).toEqual(["prod.json", "staging.json"]);
  });

  it("refuses to pin staging or prod to an artifact built from uncommitted code unless forced with a reason", () => {
    ws = workspace([
      { kind: "recorder-bundle", hash: BUNDLE_1, sourceCommit: `${COMMIT_1}+dirty` },
      { kind: "ffmpeg-layer", hash: LAYER_1, sourceCommit: COMMIT_1 },
    ]);
    const err = refusal({ from: "dev", to: "staging" });
    expect(err.field).toBe("dev bundle source");
    expect(err.got).toBe(JSON.stringify(`${COMMIT_1}+dirty`));
    promote({ from: "dev", to: "staging", force: true, reason: "first pin before the commit" });
    expect(readPin("staging", ws.environmentsDir)!.built).toEqual({ bundle: `${COMMIT_1}+dirty`, layer: COMMIT_1 });
  });

  it("leaves nothing behind when the new pin is invalid: the old pin byte for byte, no temporary file", () => {
    ws = workspace();
    const file = writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1 });
    writePinFile(ws, "staging", { bundle: BUNDLE_2, layer: LAYER_1 });
    const text = readFileSync(file, "utf8");
    expect(() => promote({ from: "staging", to: "prod", canary: { weight: 2 } })).toThrowError(/canary\.weight/);
    expect(refusal({ from: "dev", to: "staging", canary: { weight: 0.1 } }).field).toBe("--canary");
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(pinFiles()).toEqual(["prod.json", "staging.json"]);
  });

  it("rolls back to the previous pin with a reason, keeping the rolled-back pin as previous (a second rollback rolls forward)", () => {
    ws = workspace();
    writePinFile(ws, "staging", { bundle: BUNDLE_2, layer: LAYER_1 });
    writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1 });
    promote({ from: "staging", to: "prod" });
    expect(refusal({ to: "prod", rollback: true }).field).toBe("--reason");
    promote({ to: "prod", rollback: true, reason: "error rate doubled" });
    const prod = readPin("prod", ws.environmentsDir)!;
    expect(prod.bundle).toBe(BUNDLE_1);
    expect(prod.previous?.bundle).toBe(BUNDLE_2);
    expect(prod.promotion).toMatchObject({ kind: "rollback", reason: "error rate doubled" });
    expect(refusal({ to: "staging", rollback: true, reason: "x" }).field).toMatch(/previous/);
  });

  it("prints the review of the target environment from the CLI: the bundle moves, a new version is published, the alias follows", () => {
    ws = workspace();
    writePinFile(ws, "staging", { bundle: BUNDLE_2, layer: LAYER_1, built: { bundle: COMMIT_2, layer: COMMIT_1 } });
    writePinFile(ws, "prod", { bundle: BUNDLE_1, layer: LAYER_1, built: { bundle: COMMIT_1, layer: COMMIT_1 } });
    const out = promoteCli(["--from", "staging", "--to", "prod", "--canary", "0.1", "--environments-dir", ws.environmentsDir, "--artifacts-dir", ws.artifactsDir]);
    expect(out).toContain(`# Promotion review: staging → prod: recorder-bundle@${BUNDLE_2}, ffmpeg-layer@${LAYER_1}, canary 0.1 (the version live now keeps the rest)`);
    expect(out).toContain(`| \`cos_object_name\` | \`recorder-bundle@${BUNDLE_1}\` | \`recorder-bundle@${BUNDLE_2}\` |`);
    expect(out).toContain("| `routing_config.additional_version_weights[0].weight` | — | `0.9` |");
    expect(out).not.toContain("`recorder-staging`");
    expect(out).toMatch(/wrote .*prod\.json/);
    expect(readPin("prod", ws.environmentsDir)!.canary).toEqual({ weight: 0.1 });
  });

  it("records what was published (sha256, size), so the next environment deploys and promotes without the local zip", () => {
    ws = workspace();
    promote({ from: "dev", to: "staging" });
    const staging = readPin("staging", ws.environmentsDir)!;
    expect(staging.published).toEqual({
      bundle: { sha256: BUNDLE_2.padEnd(64, "0"), size: expect.any(Number) },
      layer: { sha256: LAYER_1.padEnd(64, "0"), size: expect.any(Number) },
    });
    // A fresh clone has no artifact store at all: synth and promotion still resolve the pin (no rebuild, no git).
    rmSync(ws.artifactsDir, { recursive: true, force: true });
    const bundle = resolvePins("staging", ws.store, ws.environmentsDir).bundle;
    expect(bundle).toMatchObject({ hash: BUNDLE_2, sha256: BUNDLE_2.padEnd(64, "0") });
    expect(bundle.path).toBeUndefined();
    promote({ from: "staging", to: "prod" });
    expect(readPin("prod", ws.environmentsDir)!.published).toEqual(staging.published);
    expect(() => promoteCli(["--from", "staging", "--to", "prod", "--canary", "0.1", "--previous-version", "12", "--environments-dir", ws.environmentsDir, "--artifacts-dir", ws.artifactsDir])).toThrowError(/--previous-version/);
  });

  it("writes nothing on --dry-run", () => {
    ws = workspace();
    const out = promoteCli(["--from", "dev", "--to", "staging", "--dry-run", "--environments-dir", ws.environmentsDir, "--artifacts-dir", ws.artifactsDir]);
    expect(out).toContain("everything shows as new");
    expect(out).toContain("dry run");
    expect(pinFiles()).toEqual([]);
  });

  it("promotes whatever dev runs now: a newer build moves staging on the next promotion", () => {
    ws = workspace();
    promote({ from: "dev", to: "staging" });
    addStandIn(ws.store, { kind: "recorder-bundle", hash: "b3b3b3b3b3b3b3b3", sourceCommit: COMMIT_2 });
    promote({ from: "dev", to: "staging" });
    expect(readPin("staging", ws.environmentsDir)!.bundle).toBe("b3b3b3b3b3b3b3b3");
  });
});
