import { describe, expect, it } from "vitest";
import { checkCallbackUrl, decodeJsonBody, echoRequest, normalizeCosPath, parseRecordRequest } from "../../../function/contract/request";

const USER_SIG = "eJwtzEELgjAYxvHvsnOIvpuWLw-sig-secret";
const SECRET_KEY = "caller-secret-key-0123456789abcdef";

function valid(over: Record<string, unknown> = {}, cos: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SdkAppId: 1400000001,
    RoomId: 1234,
    UserId: "recorder_1",
    UserSig: USER_SIG,
    CosConfig: { Region: "ap-guangzhou", Bucket: "rec-1250000000", Path: "/test", ...cos },
    ...over,
  };
}

function errorsOf(input: unknown) {
  const r = parseRecordRequest(input);
  if (r.ok) throw new Error("expected the request to be refused");
  return r.errors;
}

describe("parseRecordRequest: the seed's POST /record contract", () => {
  it("accepts the seed's minimal request with its defaults (Mode 10, IsReserve true, no callback)", () => {
    const r = parseRecordRequest(valid());
    expect(r).toEqual({
      ok: true,
      request: {
        sdkAppId: 1400000001,
        room: { kind: "int", roomId: 1234 },
        userId: "recorder_1",
        userSig: USER_SIG,
        cos: { region: "ap-guangzhou", bucket: "rec-1250000000", path: "test" },
        mode: "10",
        isReserve: true,
      },
    });
  });

  it("lets RoomId win when both RoomId and StrRoomId are given", () => {
    const r = parseRecordRequest(valid({ RoomId: 77, StrRoomId: "class-a" }));
    expect(r.ok && r.request.room).toEqual({ kind: "int", roomId: 77 });
  });

  it("uses StrRoomId when RoomId is absent, or 0 next to a StrRoomId", () => {
    for (const over of [{ RoomId: undefined, StrRoomId: "class a#1" }, { RoomId: 0, StrRoomId: "class a#1" }]) {
      const r = parseRecordRequest(valid(over));
      expect(r.ok && r.request.room).toEqual({ kind: "str", strRoomId: "class a#1" });
    }
  });

  it("accepts Mode as a string or a number and IsReserve false", () => {
    const r = parseRecordRequest(valid({ Mode: 12, IsReserve: false }));
    expect(r.ok && [r.request.mode, r.request.isReserve]).toEqual(["12", false]);
    const s = parseRecordRequest(valid({ Mode: "11" }));
    expect(s.ok && s.request.mode).toBe("11");
  });

  it("keeps the caller's COS keys and a valid Callback", () => {
    const r = parseRecordRequest(valid({ Callback: "https://example.com/hook?x=1" }, { SecretId: "AKIDcaller", SecretKey: SECRET_KEY }));
    expect(r.ok && r.request.cos).toMatchObject({ secretId: "AKIDcaller", secretKey: SECRET_KEY });
    expect(r.ok && r.request.callback).toBe("https://example.com/hook?x=1");
  });

  it("names the field, what was expected and what was given", () => {
    expect(errorsOf(valid({}, { Region: "" }))).toEqual([{ field: "CosConfig.Region", expected: "a COS region like ap-guangzhou", got: '""' }]);
  });

  it("refuses every kind of invalid field, each with its own error", () => {
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, string]> = [
      [{ SdkAppId: "abc" }, {}, "SdkAppId"],
      [{ SdkAppId: undefined }, {}, "SdkAppId"],
      [{ RoomId: -5 }, {}, "RoomId"],
      [{ RoomId: 1.5 }, {}, "RoomId"],
      [{ RoomId: 4294967295 }, {}, "RoomId"],
      [{ RoomId: undefined, StrRoomId: "bad/room" }, {}, "StrRoomId"],
      [{ RoomId: undefined, StrRoomId: "x".repeat(65) }, {}, "StrRoomId"],
      [{ UserId: "has space" }, {}, "UserId"],
      [{ UserId: "u".repeat(33) }, {}, "UserId"],
      [{ UserId: "" }, {}, "UserId"],
      [{ UserSig: "" }, {}, "UserSig"],
      [{ CosConfig: "nope" }, {}, "CosConfig"],
      [{}, { Region: "Guangzhou" }, "CosConfig.Region"],
      [{}, { Bucket: "rec" }, "CosConfig.Bucket"],
      [{}, { Bucket: "Rec-1250000000" }, "CosConfig.Bucket"],
      [{}, { Path: "/a/../b" }, "CosConfig.Path"],
      [{}, { Path: undefined }, "CosConfig.Path"],
      [{}, { Path: "a\\b" }, "CosConfig.Path"],
      [{}, { SecretId: "AKIDonly" }, "CosConfig.SecretKey"],
      [{}, { SecretKey: SECRET_KEY }, "CosConfig.SecretId"],
      [{ Callback: "ftp://example.com/x" }, {}, "Callback"],
      [{ Callback: "not a url" }, {}, "Callback"],
      [{ Mode: "13" }, {}, "Mode"],
      [{ Mode: 0 }, {}, "Mode"],
      [{ IsReserve: "yes" }, {}, "IsReserve"],
    ];
    for (const [over, cos, field] of cases) {
      const errors = errorsOf(valid(over, cos));
      expect(errors.map((e) => e.field), JSON.stringify({ over, cos })).toEqual([field]);
    }
  });

  it("reports a missing room as RoomId-or-StrRoomId", () => {
    expect(errorsOf(valid({ RoomId: undefined }))).toEqual([{ field: "RoomId", expected: "RoomId (integer) or StrRoomId (string)", got: "neither RoomId nor StrRoomId" }]);
  });

  it("reports all errors of a request at once", () => {
    const errors = errorsOf({ SdkAppId: "x", UserId: "a b", CosConfig: { Region: "", Bucket: "", Path: "" } });
    expect(errors.map((e) => e.field)).toEqual(["SdkAppId", "RoomId", "UserId", "UserSig", "CosConfig.Region", "CosConfig.Bucket", "CosConfig.Path"]);
  });

  it("never echoes a secret in `got`", () => {
    const errors = errorsOf(valid({ UserSig: 42 }, { SecretId: "", SecretKey: SECRET_KEY.slice(0, 5) + " " }));
    const text = JSON.stringify(errors);
    expect(errors.find((e) => e.field === "UserSig")?.got).toBe("a number (masked)");
    expect(text).not.toContain(SECRET_KEY.slice(0, 5));
  });

  it("refuses a body that is not an object", () => {
    expect(errorsOf([1, 2]).map((e) => e.field)).toEqual(["(body)"]);
    // A string body is usually the request JSON-encoded twice, secrets included: only its length is shown.
    expect(errorsOf("text")[0].got).toBe("a string of 4 characters (masked)");
  });
});

describe("checkCallbackUrl", () => {
  it("explains that '//' is missing in the seed's own sample URL", () => {
    const e = checkCallbackUrl("https:xxxxxxxx.com/post/xxx");
    expect(e?.field).toBe("Callback");
    expect(e?.expected).toContain('"//" is missing after "https:"');
    expect(e?.got).toBe('"https:xxxxxxxx.com/post/xxx"');
  });

  it("accepts public http and https URLs, and a private host only when the environment allow-lists it", () => {
    expect(checkCallbackUrl("http://example.com:8080/cb")).toBeUndefined();
    expect(checkCallbackUrl("https://example.com")).toBeUndefined();
    expect(checkCallbackUrl("http://127.0.0.1:8080/cb")?.field).toBe("Callback");
    expect(checkCallbackUrl("http://127.0.0.1:8080/cb", ["127.0.0.1:8080"])).toBeUndefined();
  });
});

describe("normalizeCosPath", () => {
  it("turns the seed's paths into key prefixes", () => {
    expect(normalizeCosPath("/")).toBe("");
    expect(normalizeCosPath("/test")).toBe("test");
    expect(normalizeCosPath("a//b/./c/")).toBe("a/b/c");
  });

  it("refuses paths that climb or carry control characters", () => {
    expect(normalizeCosPath("../x")).toBeUndefined();
    expect(normalizeCosPath("a/\u0000")).toBeUndefined();
  });
});

describe("decodeJsonBody and echoRequest", () => {
  it("describes a non-JSON body without showing it", () => {
    const r = decodeJsonBody(Buffer.from(`{"UserSig":"${USER_SIG}"`));
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(USER_SIG);
  });

  it("echoes identity fields and a usable callback, never secrets", () => {
    const echo = echoRequest(valid({ Callback: "https://example.com/cb" }, { SecretKey: SECRET_KEY }));
    expect(echo).toEqual({ SdkAppId: "1400000001", RoomId: "1234", StrRoomId: "", UserId: "recorder_1", callback: "https://example.com/cb" });
    expect(echoRequest(valid({ Callback: "https:xxxxxxxx.com/post/xxx" })).callback).toBeUndefined();
  });
});
