// Proves the matching and counting rules of FaultInjector on a plain node:http server, independent of any service.
import { createServer, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { FaultInjector, faultCode, type FaultRequestInfo } from "../../emulator/faults";
import { listenLocal, type Listening } from "../../emulator/tc3/listen";

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that consults the injector with action = X-Action header, and otherwise answers 200 "ok". */
async function serve(faults: FaultInjector): Promise<Listening> {
  const s = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const action = req.headers["x-action"];
    const info: FaultRequestInfo = { method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), action: typeof action === "string" ? action : undefined };
    void faults.apply(info, req, res, (status, code) => res.writeHead(status).end(`error:${code}`)).then((handled) => {
      if (!handled) res.writeHead(200).end("ok");
    });
  });
  server = await listenLocal(s);
  return server;
}

function call(s: Listening, method: string, path: string, action?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: s.port, method, path, headers: action ? { "x-action": action } : {}, agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve(`${res.statusCode} ${body}`));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve(`network ${e.code ?? e.message}`));
    req.on("timeout", () => reject(new Error("timeout")));
    req.end();
  });
}

describe("FaultInjector", () => {
  it("fails exactly the next N matching requests, then lets them through", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "PUT /rec/", times: 2, fault: { kind: "status", status: 503 } });
    const s = await serve(faults);
    expect(await call(s, "GET", "/rec/a")).toBe("200 ok");
    expect(await call(s, "PUT", "/rec/a")).toBe("503 error:ServiceUnavailable");
    expect(await call(s, "PUT", "/rec/b")).toBe("503 error:ServiceUnavailable");
    expect(await call(s, "PUT", "/rec/c")).toBe("200 ok");
    expect(faults.applied.map((a) => a.info.path)).toEqual(["/rec/a", "/rec/b"]);
  });

  it("matches a string against the action exactly, not as a prefix", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "UploadPart", times: 5, fault: { kind: "status", status: 500, code: "InternalError" } });
    const s = await serve(faults);
    expect(await call(s, "PUT", "/k", "UploadPartCopy")).toBe("200 ok");
    expect(await call(s, "PUT", "/k", "UploadPart")).toBe("500 error:InternalError");
  });

  it("tests a RegExp against the request line and the action, and a function against the info", async () => {
    const faults = new FaultInjector();
    faults.add({ match: /^DELETE /, times: 1, fault: { kind: "status", status: 500 } });
    faults.add({ match: /^Describe/, times: 1, fault: { kind: "status", status: 429 } });
    faults.add({ match: (r) => r.query.partNumber === "3", times: 1, fault: { kind: "status", status: 502, code: "Custom" } });
    const s = await serve(faults);
    expect(await call(s, "DELETE", "/x")).toBe("500 error:InternalError");
    expect(await call(s, "POST", "/", "DescribeCloudRecording")).toBe("429 error:RequestLimitExceeded");
    expect(await call(s, "PUT", "/k?partNumber=2")).toBe("200 ok");
    expect(await call(s, "PUT", "/k?partNumber=3")).toBe("502 error:Custom");
  });

  it("applies the first matching rule only", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "GET /", times: 1, fault: { kind: "status", status: 500 } });
    faults.add({ match: "GET /", times: 1, fault: { kind: "status", status: 503 } });
    const s = await serve(faults);
    expect(await call(s, "GET", "/")).toBe("500 error:InternalError");
    expect(await call(s, "GET", "/")).toBe("503 error:ServiceUnavailable");
    expect(await call(s, "GET", "/")).toBe("200 ok");
  });

  it("resets the connection so the client sees a network error, not a response", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "GET /", times: 1, fault: { kind: "reset" } });
    const s = await serve(faults);
    expect(await call(s, "GET", "/")).toMatch(/^network (ECONNRESET|socket hang up)/);
    expect(await call(s, "GET", "/")).toBe("200 ok");
  });

  it("delays and then lets the request proceed normally", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "GET /", times: 1, fault: { kind: "delay", ms: 20 } });
    const s = await serve(faults);
    expect(await call(s, "GET", "/")).toBe("200 ok");
    expect(faults.applied).toHaveLength(1);
  });

  it("clear() drops pending rules and add() refuses a rule that can never fire", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "GET /", times: Infinity, fault: { kind: "status", status: 500 } });
    faults.clear();
    const s = await serve(faults);
    expect(await call(s, "GET", "/")).toBe("200 ok");
    expect(() => faults.add({ match: "x", times: 0, fault: { kind: "reset" } })).toThrow(/times must be > 0/);
  });

  it("names a default code per status", () => {
    expect(faultCode({ status: 500 })).toBe("InternalError");
    expect(faultCode({ status: 599 })).toBe("InternalError");
    expect(faultCode({ status: 503, code: "SlowDown" })).toBe("SlowDown");
  });
});
