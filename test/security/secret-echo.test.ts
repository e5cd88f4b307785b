// Attack/accident: a secret arrives in an unexpected shape (the body JSON-encoded as a string, CosConfig as a string,
// a UserSig inside an array or an object, a huge value, NUL/CRLF) and is echoed in `errors[].got`, `failure.detail`,
// the callback, the status record or the log. Unique markers go in every shape; every byte the system writes is
// searched for them.
import { afterEach, describe, expect, it } from "vitest";
import { scriptedDeliver } from "../function/copy-deliver";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../function/harness";

let h: RecorderHarness;
afterEach(async () => h?.close());

// Each marker is unique; a fragment of 10 characters from its middle is what the search looks for.
const M = {
  bodyString: "MkBodyStringUserSig0001abcdef",
  cosString: "MkCosConfigStringKey0002abcdef",
  sigArray: "MkUserSigInArray0003abcdef",
  sigObject: "MkUserSigInObject0004abcdef",
  sigHuge: `MkHugeUserSig0005${"h".repeat(200_000)}`,
  sigCrlf: "MkCrlfUserSig0006\u0000\r\nX-Injected: yes",
  secretIdMiddle: "AKIDMkSecretIdMiddle0007wxyz",
  keyNested: "MkNestedSecretKey0008abcdef",
  validKey: "MkValidCallerSecretKey0009abcdef",
  wrongTypeKey: "MkSecretKeyAsList0010abcdef",
  directString: "MkDirectInvokeString0011abcdef",
};
const fragment = (v: string) => v.slice(2, 14);

function everythingWritten(h: RecorderHarness, extra: string[]): string {
  const parts: string[] = [...h.logs, ...h.sink.received.map((r) => `${JSON.stringify(r.headers)}\n${r.path}\n${r.body}`), ...extra];
  for (const bucket of Object.values(HARNESS.buckets)) {
    for (const key of h.cos.listKeys(bucket)) {
      parts.push(key);
      for (const version of h.cos.versionsDirect(bucket, key)) parts.push(version.toString("latin1"));
      parts.push(h.cos.getObjectDirect(bucket, key)?.toString("latin1") ?? "");
    }
  }
  return parts.join("\n");
}

describe("no secret is echoed in any shape", () => {
  it("keeps every marker out of records, results, callbacks, responses and logs", async () => {
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("teacher");
    const out: string[] = [];
    const viaGateway = async (id: string, body: string) => {
      out.push(JSON.stringify(await h.recorder({ ...h.apigwPost("/record", ""), body }, { requestId: id })));
      out.push((await h.recorderApi(h.apigwRequest("GET", `/recordings/${id}`))).body);
    };
    const base = h.recordRequest();
    // The whole body JSON-encoded twice: a string body.
    await viaGateway("s-body", JSON.stringify(JSON.stringify({ ...base, UserSig: M.bodyString })));
    // CosConfig as a string, SecretKey inside.
    await viaGateway("s-cos", JSON.stringify({ ...base, CosConfig: JSON.stringify({ Region: "ap-guangzhou", Bucket: HARNESS.buckets.caller, Path: "/x", SecretId: "AKIDx", SecretKey: M.cosString }) }));
    // UserSig in the wrong shapes.
    await viaGateway("s-array", JSON.stringify({ ...base, UserSig: [M.sigArray] }));
    await viaGateway("s-object", JSON.stringify({ ...base, UserSig: { nested: [{ deeper: M.sigObject }] } }));
    await viaGateway("s-huge", JSON.stringify({ ...base, UserSig: M.sigHuge }));
    await viaGateway("s-crlf", JSON.stringify({ ...base, UserSig: M.sigCrlf }));
    // Keys of the wrong shape or with a bad partner, next to an otherwise wrong request.
    await viaGateway("s-id", JSON.stringify({ ...base, RoomId: "nope", CosConfig: { ...(base.CosConfig as object), SecretId: M.secretIdMiddle, SecretKey: "" } }));
    await viaGateway("s-keylist", JSON.stringify({ ...base, CosConfig: { ...(base.CosConfig as object), SecretId: "AKIDy", SecretKey: [M.wrongTypeKey] } }));
    await viaGateway("s-nested", JSON.stringify({ ...base, Extra: { CosConfig: { SecretKey: M.keyNested } }, Mode: "99" }));
    // A valid start with the caller's keys: its UserSig and key must not appear either.
    await viaGateway("s-valid", JSON.stringify({ ...base, CosConfig: { ...(base.CosConfig as object), SecretId: HARNESS.callerKeys.secretId, SecretKey: HARNESS.callerKeys.secretKey } }));
    // A direct invoke whose event is a string.
    out.push(JSON.stringify(await h.recorder(JSON.stringify(JSON.stringify({ ...base, UserSig: M.directString })), { requestId: "s-direct" })));
    // Function-URL style 400 answers carry errors too.
    h.env.RECORDER_INGRESS = "function-url";
    for (const body of [JSON.stringify(JSON.stringify({ ...base, UserSig: M.bodyString })), JSON.stringify({ ...base, UserSig: [M.sigArray] })]) {
      out.push((await h.recorderApi({ ...h.apigwPost("/record", ""), body })).body);
    }

    expect((await h.record("s-valid"))?.status).toBe("RUNNING");
    const written = everythingWritten(h, out);
    for (const [name, marker] of Object.entries(M)) expect(written.includes(fragment(marker)), `${name} leaked`).toBe(false);
    expect(written).not.toContain(String(base.UserSig).slice(20, 60));
    expect(written).not.toContain(HARNESS.callerKeys.secretKey);
    expect(written).not.toContain("X-Injected");
    // What the caller does see: the shape and length, enough to debug.
    expect((await h.record("s-body"))?.errors?.[0]).toMatchObject({ field: "(body)", got: expect.stringMatching(/^a string of \d+ characters \(masked\)$/) });
    expect((await h.record("s-cos"))?.errors?.[0]).toMatchObject({ field: "CosConfig", got: expect.stringMatching(/masked/) });
  });
});
