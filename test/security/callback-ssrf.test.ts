// Attack: use the recorder's signed callback as an HTTP client into the deployment's network (loopback, metadata
// service, private ranges, the gateway's own /record), directly, through DNS, or through redirects.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkCallbackTarget } from "../../function/callback/callback-target";
import { guardedFetch } from "../../function/callback/guarded-fetch";
import { checkCallbackUrl } from "../../function/contract/request";
import { scriptedDeliver } from "../function/copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../function/harness";

const REFUSED = [
  "http://localhost/x",
  "http://LOCALHOST./x",
  "http://app.localhost/x",
  "http://127.0.0.1/x",
  "http://127.1/x",
  "http://0x7f000001/x",
  "http://2130706433/x",
  "http://017700000001/x",
  "http://0.0.0.0/x",
  "http://0/x",
  "http://[::1]/x",
  "http://[::]/x",
  "http://169.254.169.254/latest/meta-data",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:a9fe:a9fe]/",
  "http://0251.0376.0251.0376/",
  "http://0xa9.0xfe.0xa9.0xfe/",
  "http://2852039166/",
  "http://metadata.tencentyun.com/latest/meta-data/",
  "http://metadata.google.internal/",
  "http://10.0.0.1/x",
  "http://172.16.5.4/x",
  "http://192.168.1.1/x",
  "http://100.64.0.1/x",
  "http://[fd00::1]/x",
  "http://[fe80::1]/x",
  "http://[64:ff9b::7f00:1]/x",
  "http://224.0.0.1/x",
  "http:////evil.example/",
  "http:/evil.example/",
  "https:evil.example/",
  "http://user:pass@example.com/",
  "http://example.com@127.0.0.1/",
  "http://example.com\\@127.0.0.1/",
  "http://exa mple.com/",
  "http://intranet/x",
  "ftp://example.com/x",
];

describe("callback targets", () => {
  it.each(REFUSED)("refuses %s", (url) => {
    expect(checkCallbackTarget(url).ok).toBe(false);
    expect(checkCallbackUrl(url)?.field).toBe("Callback");
  });

  it.each(["https://example.com/hook", "http://example.com:8080/cb?token=abc", "https://8.8.8.8/x", "https://[2606:4700::1111]/x"])("accepts the public %s", (url) => {
    expect(checkCallbackTarget(url)).toMatchObject({ ok: true, allowListed: false });
  });

  it("with an allow-list, accepts only those hosts (and lets them be private): the local cloud's own sink", () => {
    expect(checkCallbackTarget("http://127.0.0.1:4555/cb", ["127.0.0.1:4555"])).toMatchObject({ ok: true, allowListed: true });
    expect(checkCallbackTarget("http://127.0.0.1:4556/cb", ["127.0.0.1:4555"]).ok).toBe(false);
    expect(checkCallbackTarget("https://example.com/cb", ["127.0.0.1:4555"]).ok).toBe(false);
    expect(checkCallbackTarget("https://hooks.example.com/cb", ["hooks.example.com"]).ok).toBe(true);
  });
});

describe("the callback's HTTP client", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });
  async function serve(handler: (path: string, method: string) => { status: number; headers?: Record<string, string> }): Promise<{ port: number; hits: string[] }> {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      req.resume();
      const out = handler(req.url ?? "/", req.method ?? "GET");
      res.writeHead(out.status, out.headers ?? {});
      res.end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { port: (server.address() as AddressInfo).port, hits };
  }
  const init = { method: "POST" as const, headers: { "content-type": "application/json" }, body: "{}" };

  it("refuses a public name that resolves to loopback at connect time (DNS rebinding)", async () => {
    const target = await serve(() => ({ status: 200 }));
    const fetch = guardedFetch({ allowHosts: [], resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    await expect(fetch(`http://rebind.example.com:${target.port}/cb`, init)).rejects.toThrow(/resolves to a non-public address/);
    expect(target.hits).toEqual([]);
  });

  it("refuses when any of the addresses a name resolves to is private", async () => {
    const fetch = guardedFetch({ allowHosts: [], resolve: async () => [{ address: "93.184.216.34", family: 4 }, { address: "10.1.2.3", family: 4 }] });
    await expect(fetch("http://mixed.example.com/cb", init)).rejects.toThrow(/non-public/);
  });

  it("never follows a redirect (302 or 307), across ports or not", async () => {
    const inside = await serve(() => ({ status: 200 }));
    const outside = await serve(() => ({ status: 307, headers: { location: `http://127.0.0.1:${inside.port}/release/record` } }));
    const fetch = guardedFetch({ allowHosts: [`127.0.0.1:${outside.port}`] });
    expect(await fetch(`http://127.0.0.1:${outside.port}/cb`, init)).toEqual({ status: 307 });
    expect(outside.hits).toEqual(["POST /cb"]);
    expect(inside.hits).toEqual([]);
  });

  it("refuses an URL the policy refuses before connecting", async () => {
    const fetch = guardedFetch({ allowHosts: [] });
    await expect(fetch("http://169.254.169.254/latest/meta-data", init)).rejects.toThrow(/callback URL refused/);
  });
});

describe("end to end through the recorder", () => {
  let h: RecorderHarness;
  afterEach(async () => h?.close());

  it("refuses a request whose Callback is the gateway's own /record or a double's port, and posts nothing there", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    const own = `http://127.0.0.1:${h.cos.hostPort.split(":")[1]}/release/record`;
    await h.recorder(h.apigwPost("/record", h.recordRequest({ Callback: own })), { requestId: "ssrf-1" });
    const record = await h.record("ssrf-1");
    expect(record).toMatchObject({ status: "FAILED", errors: [expect.objectContaining({ field: "Callback" })] });
    expect(record?.callback).toBeUndefined();
    expect(h.trtc.calls.filter((c) => c.action === "CreateCloudRecording")).toEqual([]);
  });

  it("a deployment without an allow-list refuses the loopback sink at send time even if the start accepted it", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    await h.recorder(h.apigwPost("/record", h.recordRequest()), { requestId: "cb-later" });
    // The operator removes the allow-list (a new deployment): the next invocation re-checks before posting.
    h.env.RECORDER_CALLBACK_HOSTS = "";
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/cb-later"));
    await h.settleTrtc();
    await h.runQueued();
    const record = await h.record("cb-later");
    expect(record?.callback).toMatchObject({ delivered: false, attempts: 0, lastError: expect.stringContaining("not sent") });
    expect(h.sink.received).toEqual([]);
  });
});
