import { describe, expect, it } from "vitest";
import { checkClientAuth, parseClientAuthMode, parseClientKeys, type ClientAuth } from "../../../function/entries/client-auth";
import type { HttpRequest } from "../../../function/events/apigw";

const KEY = "client-key-0123456789abcdef";
const req = (headers: Record<string, string>): HttpRequest => ({ method: "GET", path: "/recordings/x", headers, query: {}, rawBody: Buffer.alloc(0), via: "function-url" });
const auth = (keys: string[] | undefined, mode: ClientAuth["mode"] = "api-key"): ClientAuth => ({ mode, keys: async () => keys });

describe("client API keys on the function-URL ingress", () => {
  it("lets a request with a provisioned bearer key (or x-api-key) through", async () => {
    expect(await checkClientAuth(auth([KEY]), req({ authorization: `Bearer ${KEY}` }))).toBeUndefined();
    expect(await checkClientAuth(auth(["other-key-0000000000", KEY]), req({ "x-api-key": KEY }))).toBeUndefined();
  });

  it("refuses a missing or wrong key with 401 and says how to send one", async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: "Bearer nope" }, { authorization: `Basic ${KEY}` }];
    for (const headers of attempts) {
      const r = await checkClientAuth(auth([KEY]), req(headers));
      expect(r?.statusCode).toBe(401);
      expect(r?.body).toContain("Authorization: Bearer <key>");
    }
  });

  it("fails closed with 503 when the keys are not provisioned", async () => {
    const r = await checkClientAuth(auth(undefined), req({ authorization: `Bearer ${KEY}` }));
    expect(r?.statusCode).toBe(503);
    expect(r?.body).toContain("client-api-keys");
  });

  it("checks nothing when the gateway authenticates or auth is off", async () => {
    expect(await checkClientAuth(auth(undefined, "gateway"), req({}))).toBeUndefined();
    expect(await checkClientAuth(auth(undefined, "off"), req({}))).toBeUndefined();
  });

  it("parses the mode and the secret strictly", () => {
    expect(parseClientAuthMode("api-key")).toBe("api-key");
    expect(parseClientAuthMode(undefined)).toBe("gateway");
    expect(parseClientKeys(JSON.stringify([KEY]))).toEqual([KEY]);
    expect(parseClientKeys(JSON.stringify(["short"]))).toBeUndefined();
    expect(parseClientKeys("not json")).toBeUndefined();
  });
});
