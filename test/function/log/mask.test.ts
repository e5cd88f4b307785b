import { describe, expect, it } from "vitest";
import { createLogger } from "../../../function/log/logger";
import { createMasker } from "../../../function/log/mask";

const USER_SIG = "eJw1jF0LgjAYhf-LrmW8m05d0F0QhBdpRXS5bNNXnZMp2If99xS7-s5zDpwP";
const SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";
const SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const TOKEN = "kTRtHpOSOCYoLr8ue6C4XGmM0J9l1EXAMPLETOKENvalue";

function capture() {
  const lines: string[] = [];
  const masker = createMasker();
  const log = createLogger({ sink: (l) => lines.push(l), masker, now: () => Date.UTC(2026, 0, 1) });
  return { lines, masker, log };
}

describe("log masking", () => {
  it("masks secret fields by key name, SecretId only partially", () => {
    const { lines, log } = capture();
    log.info("request", { UserSig: USER_SIG, CosConfig: { SecretId: SECRET_ID, SecretKey: SECRET_KEY }, headers: { "x-signature": "abc123", authorization: "TC3 x" }, sessionToken: TOKEN });
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "info", msg: "request", UserSig: "***", CosConfig: { SecretId: "AKID…MPLE", SecretKey: "***" }, headers: { "x-signature": "***", authorization: "***" }, sessionToken: "***" });
  });

  it("scrubs registered values wherever they appear, even inside messages and errors", () => {
    const { lines, masker, log } = capture();
    masker.register(SECRET_KEY);
    masker.register(TOKEN);
    masker.register(SECRET_ID, "id");
    log.error(`SDK said: bad key ${SECRET_KEY}`, { error: new Error(`token ${TOKEN} expired for ${SECRET_ID}`), url: `https://x/?k=${SECRET_KEY}` });
    const text = lines.join("\n");
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(SECRET_ID);
    expect(text).toContain("AKID…MPLE");
  });

  it("scrubs credential patterns from TC3 and COS Authorization texts", () => {
    const { lines, log } = capture();
    log.warn("request failed", { detail: "Authorization: TC3-HMAC-SHA256 Credential=AKIDabc/2026-01-01/trtc/tc3_request, SignedHeaders=content-type;host, Signature=0123abcd" });
    log.warn("cos", { detail: "q-sign-algorithm=sha1&q-ak=AKID&q-signature=deadbeef&x" });
    expect(lines.join("\n")).not.toMatch(/0123abcd|deadbeef|AKIDabc/);
  });

  it("child loggers add fields to every line and share registrations", () => {
    const { lines, masker, log } = capture();
    const child = log.child({ recordingId: "rec-1" });
    masker.register(USER_SIG);
    child.info(`sig ${USER_SIG}`);
    expect(JSON.parse(lines[0])).toMatchObject({ recordingId: "rec-1", msg: "sig ***" });
  });

  it("ignores values too short to scrub safely", () => {
    const { lines, masker, log } = capture();
    masker.register("abc");
    log.info("abcdef");
    expect(JSON.parse(lines[0]).msg).toBe("abcdef");
  });

  it("survives values JSON cannot render", () => {
    const { lines, log } = capture();
    log.info("big", { n: 10n });
    expect(JSON.parse(lines[0])).toMatchObject({ msg: "big", note: "fields not serialisable" });
  });
});
