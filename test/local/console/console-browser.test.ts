// The console end to end in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; CI
// installs it with .ci/install-chromium.sh): open the page, see the deployed stack, add three anchors with the
// form, see the API's exact errors, start a recording with the form, dismiss the room, see FINISHED, then check
// the player's duration against the delivered file and the tile colours in screenshots. Every wait is for a
// state or an event on the page; screenshots are kept in .tmp/artifacts/console/.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRecordRequest } from "../../../function/contract/request";
import { REPO_ROOT } from "../../../infra/app";
import { startLocalCloud, type LocalCloud } from "../../../local/cloud";
import { startConsole, type LocalConsole } from "../../../local/console/server";
import { mediaTools } from "../../../local/media-tools";
import { durationSeconds } from "../../../emulator/trtc/media-probe";
import { cloudSecrets } from "./support";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(REPO_ROOT, ".tmp", "artifacts", "console");
// Flags for a quiet, reproducible headless browser: no GPU, no QUIC, no first-run UI, no background traffic.
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ANCHORS = [
  { userId: "anchor_1", color: "red", tone: 300, rgb: [255, 0, 0] },
  { userId: "anchor_2", color: "lime", tone: 500, rgb: [0, 255, 0] },
  { userId: "anchor_3", color: "blue", tone: 700, rgb: [0, 0, 255] },
] as const;

let cloud: LocalCloud;
let web: LocalConsole;
let context: BrowserContext;
let page: Page;
let profile: string;
let work: string;
let recordingId = "";

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium with \`bash .ci/install-chromium.sh\``);
  mkdirSync(ARTIFACTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), "console-browser-test-"));
  profile = join(work, "profile");
  cloud = await startLocalCloud({ retryDelaysMs: [300, 600] });
  web = await startConsole(cloud);
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1300, height: 1000 } });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await web?.close();
  await cloud?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

/** Matches exactly `text` (a function name may be the prefix of another's). */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}

/** Pixel at (x, y) of a PNG. */
function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * png.width + Math.round(x)) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

/** Within `tolerance` of the expected colour on every channel (video coding shifts colours slightly). */
function near(got: [number, number, number], want: readonly number[], tolerance: number): boolean {
  return got.every((c, i) => Math.abs(c - want[i]) <= tolerance);
}

async function elementPng(locator: Locator, name: string): Promise<{ png: PNG; width: number; height: number }> {
  const buffer = await locator.screenshot({ path: join(ARTIFACTS, name) });
  const png = PNG.sync.read(buffer);
  return { png, width: png.width, height: png.height };
}

describe("the local console in headless Chromium", () => {
  it("opens live and shows the deployed stack: functions with versions/aliases, routes with auth and integration response, triggers, CFS", { timeout: 300_000 }, async () => {
    await page.goto(web.url);
    await page.locator('[data-testid="connection"].on').waitFor();
    const functions = page.getByTestId("stack-functions");
    for (const f of cloud.deployment.functions) {
      const row = functions.locator("tbody tr").filter({ has: page.locator("code", { hasText: exactly(`${f.namespace}/${f.name}`) }) });
      for (const q of f.qualifiers) await expect(row.textContent()).resolves.toContain(q);
    }
    const routes = page.getByTestId("stack-routes").locator("tbody tr");
    expect(await routes.count()).toBe(cloud.deployment.routes.length);
    const record = cloud.deployment.routes.find((r) => r.path === "/record");
    if (record) await expect(routes.filter({ has: page.locator("code", { hasText: /\/record$/ }) }).textContent()).resolves.toContain(`${record.authType}OFF`);
    for (const t of cloud.deployment.timers) await expect(page.getByTestId("stack-triggers").textContent()).resolves.toContain(t.cron);
    for (const m of cloud.deployment.functions.flatMap((f) => f.mounts)) await expect(page.getByTestId("stack-mounts").textContent()).resolves.toContain(m.fsId);
    await expect(page.getByTestId("recordings").textContent()).resolves.toContain("No recordings yet");
    await shot("01-stack.png");
  });

  it("adds three anchors with their colours and tones through the room form", { timeout: 300_000 }, async () => {
    for (const a of ANCHORS) {
      await page.getByTestId("join-user").fill(a.userId);
      await page.getByTestId("join-color").fill(a.color);
      await page.getByTestId("join-tone").fill(String(a.tone));
      await page.getByTestId("join-submit").click();
      await page.locator(`[data-testid="member"][data-user="${a.userId}"]`).waitFor();
    }
    for (const a of ANCHORS) {
      const face = page.locator(`[data-testid="member"][data-user="${a.userId}"] [data-testid="member-face"]`);
      expect(await face.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(`rgb(${a.rgb.join(", ")})`);
      await expect(page.locator(`[data-testid="member"][data-user="${a.userId}"]`).textContent()).resolves.toContain(`${a.color} · ${a.tone} Hz`);
    }
    expect(cloud.trtc.room(cloud.trtcApp.sdkAppId, 1234).anchorIds()).toEqual(ANCHORS.map((a) => a.userId));
    await page.getByTestId("join-user").fill("anchor_9");
    await page.getByTestId("join-color").fill("sky");
    await page.getByTestId("join-submit").click();
    await page.locator('[data-testid="room-error"]', { hasText: "color: expected" }).waitFor();
    await shot("02-anchors.png");
  });

  it("validates the recording form as the API does and shows the API's exact errors", { timeout: 300_000 }, async () => {
    const region = page.locator('#record-form input[name="CosConfig.Region"]');
    const original = await region.inputValue();
    await region.fill("");
    const verdict = parseRecordRequest({ CosConfig: { Region: "" } });
    const wanted = verdict.ok ? undefined : verdict.errors.find((e) => e.field === "CosConfig.Region");
    expect(wanted).toBeDefined();
    const item = page.locator('[data-testid="form-errors"] li[data-field="CosConfig.Region"]');
    await item.waitFor();
    expect(await item.textContent()).toBe(`CosConfig.Region: expected ${wanted?.expected}, got ${wanted?.got}`);
    await shot("03-form-errors.png");
    await region.fill(original);
    await item.waitFor({ state: "detached" });
  });

  it("starts a recording with the form; the card shows it RUNNING with the roster as TRTC applies it", { timeout: 300_000 }, async () => {
    await page.getByTestId("form-submit").click();
    const result = page.getByTestId("form-result");
    await result.locator("xpath=self::*[@data-recording-id]").waitFor();
    recordingId = (await result.getAttribute("data-recording-id")) ?? "";
    expect(recordingId).toMatch(/^[0-9a-f-]{36}$/);
    const card = page.locator(`[data-testid="recording"][data-id="${recordingId}"]`);
    await card.locator('[data-testid="roster-tile"]').nth(2).waitFor({ timeout: 90_000 });
    await page.locator(`[data-testid="recording"][data-id="${recordingId}"][data-state="RUNNING"]`).waitFor({ timeout: 90_000 });
    // Let the class last a few seconds of media: wait for the page's own counter, not for a fixed time.
    await page.waitForFunction((id) => Number(document.querySelector(`[data-id="${id}"] [data-testid="recorded-seconds"]`)?.getAttribute("data-seconds") ?? 0) >= 3, recordingId, { timeout: 60_000, polling: 250 });
    const roster = card.getByTestId("roster");
    // Tile boxes relative to the roster, read in one go; then one screenshot of the roster.
    const boxes = await roster.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return Object.fromEntries(
        Array.from(el.querySelectorAll<HTMLElement>('[data-testid="roster-tile"]')).map((t) => {
          const b = t.getBoundingClientRect();
          return [t.dataset.user ?? "", { x: b.x - r.x, y: b.y - r.y, width: b.width, height: b.height, rosterWidth: r.width }];
        }),
      );
    });
    const { png } = await elementPng(roster, "roster-running.png");
    for (const a of ANCHORS) {
      const t = boxes[a.userId];
      expect(t).toBeDefined();
      const scale = png.width / t.rosterWidth;
      // Sample above the name label at the tile's bottom-left.
      const got = pixel(png, (t.x + t.width * 0.6) * scale, (t.y + t.height * 0.35) * scale);
      expect({ user: a.userId, near: near(got, a.rgb, 8), got }).toMatchObject({ user: a.userId, near: true });
    }
    await shot("04-running.png");
  });

  it("dismisses the room and sees the recording go to FINISHED, live", { timeout: 300_000 }, async () => {
    await page.getByTestId("dismiss").click();
    await page.getByTestId("room-empty").waitFor();
    const finished = page.locator(`[data-testid="recording"][data-id="${recordingId}"][data-state="FINISHED"]`);
    await finished.waitFor({ timeout: 180_000 });
    await expect(finished.locator(".steps").textContent()).resolves.toBe("STARTING→RUNNING→DELIVERING→FINISHED");
  });

  it("plays the delivered file for its full duration, with the three anchors' colours in their tiles", { timeout: 300_000 }, async () => {
    const card = page.locator(`[data-testid="recording"][data-id="${recordingId}"]`);
    const player = card.getByTestId("player");
    await player.waitFor();
    const duration = await player.evaluate(async (el) => {
      const v = el as HTMLVideoElement;
      if (v.readyState < 1) await new Promise((r) => v.addEventListener("loadedmetadata", r, { once: true }));
      return v.duration;
    });
    const status = (await (await fetch(`${web.adminUrl}/recordings/${recordingId}`)).json()) as { files: Array<{ bucket: string; key: string }> };
    const file = join(work, "delivered.mp4");
    writeFileSync(file, cloud.cos.getObjectDirect(status.files[0].bucket, status.files[0].key) as Buffer);
    const probed = await durationSeconds(file, mediaTools());
    expect(duration).toBeGreaterThanOrEqual(3);
    expect(Math.abs(duration - probed)).toBeLessThan(0.1);

    // Show the middle frame without the controls overlay, then read the tiles' colours from a screenshot.
    await player.evaluate(async (el) => {
      const v = el as HTMLVideoElement;
      v.controls = false;
      const presented = new Promise<void>((resolve) => v.requestVideoFrameCallback(() => resolve()));
      v.currentTime = v.duration / 2;
      await new Promise((r) => v.addEventListener("seeked", r, { once: true }));
      await presented;
    });
    const { png, width, height } = await elementPng(player, "player-frame.png");
    const quadrant = (fx: number, fy: number) => pixel(png, width * fx, height * fy);
    expect(near(quadrant(0.25, 0.25), ANCHORS[0].rgb, 48)).toBe(true);
    expect(near(quadrant(0.75, 0.25), ANCHORS[1].rgb, 48)).toBe(true);
    expect(near(quadrant(0.25, 0.75), ANCHORS[2].rgb, 48)).toBe(true);
    expect(near(quadrant(0.75, 0.75), [0, 0, 0], 24)).toBe(true);
    await player.evaluate((el) => ((el as HTMLVideoElement).controls = true));

    const sheet = card.getByTestId("contact-sheet");
    await page.waitForFunction((id) => ((document.querySelector(`[data-id="${id}"] [data-testid="contact-sheet"]`) as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, recordingId, { timeout: 60_000 });
    expect(await sheet.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const shown = JSON.parse((await card.getByTestId("callback-body").textContent()) ?? "{}") as unknown;
    const received = cloud.callbackSink.received.find((c) => c.status === 200 && JSON.stringify(c.json) === JSON.stringify(shown));
    expect(received).toBeDefined();
    await shot("05-finished.png");
  });

  it("filters the functions' logs by recording id, with every secret masked", { timeout: 300_000 }, async () => {
    await page.getByTestId("log-recording").selectOption(recordingId);
    await page.locator(`[data-testid="logs"] div[data-request="${recordingId}"]`).first().waitFor();
    const shown = await page.locator('[data-testid="logs"] div').allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    const html = await page.content();
    for (const secret of cloudSecrets(cloud)) expect(html.includes(secret)).toBe(false);
    await shot("06-logs.png");
  });
});
