// Monitor alarm policies with the real monitor.v20180724 client: the provider's create/read/update/delete calls, the
// read-back it compares (filter string byte for byte, condition rules, an EventCondition object it dereferences), and
// the documented filter shape: Type "DIMENSION" with a two-dimensional array of {Key, Operator, Value[]}.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { monitor } from "tencentcloud-sdk-nodejs/tencentcloud/services/monitor";
import { monitorControlService } from "../../../emulator/control-plane/monitor";
import { clientOptions, codeOf, harness, type Harness } from "./services-fixture";

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

async function start() {
  const server = await h.start([monitorControlService({ stateDir: h.stateDir })]);
  return { c: new monitor.v20180724.Client(clientOptions(server, "monitor")), close: () => server.close() };
}

const RULES = ["Error", "Timeout"].map((MetricName) => ({ MetricName, Period: 60, Operator: "gt", Value: "0", ContinuePeriod: 1, NoticeFrequency: 3600, IsPowerNotice: 0 }));
const GOOD_DIMENSIONS = JSON.stringify([
  [
    { Key: "functionName", Operator: "in", Value: ["recorder", "recorder-api"] },
    { Key: "namespace", Operator: "eq", Value: ["default"] },
  ],
]);

function policy(filter: { Type: string; Dimensions: string }) {
  return { Module: "monitor", PolicyName: "recorder-prod-recorder-errors", MonitorType: "MT_QCE", Namespace: "scf_v2", Remark: "TRTC_recorder-errors", Enable: 1, Condition: { IsUnionRule: 0, Rules: RULES }, Filter: filter };
}

describe("Monitor alarm policies with the real SDK", () => {
  it("creates a policy with a DIMENSION filter and reads back what the provider compares", async () => {
    const { c } = await start();
    const created = await c.CreateAlarmPolicy(policy({ Type: "DIMENSION", Dimensions: GOOD_DIMENSIONS }));
    expect(created.PolicyId).toMatch(/^policy-[a-z0-9]{8}$/);
    const read = (await c.DescribeAlarmPolicy({ Module: "monitor", PolicyId: created.PolicyId ?? "" })).Policy;
    expect(read).toMatchObject({ PolicyName: "recorder-prod-recorder-errors", MonitorType: "MT_QCE", Namespace: "scf_v2", Remark: "TRTC_recorder-errors", Enable: 1, ProjectId: -1, EventCondition: { Rules: [] } });
    expect(read?.Filter).toEqual({ Type: "DIMENSION", Dimensions: GOOD_DIMENSIONS });
    expect(read?.Condition?.IsUnionRule).toBe(0);
    expect(read?.Condition?.Rules.map((r) => [r.MetricName, r.Period, r.Operator, r.Value, r.ContinuePeriod, r.NoticeFrequency])).toEqual([
      ["Error", 60, "gt", "0", 1, 3600],
      ["Timeout", 60, "gt", "0", 1, 3600],
    ]);

    await c.ModifyAlarmPolicyStatus({ Module: "monitor", PolicyId: created.PolicyId ?? "", Enable: 0 });
    await c.ModifyAlarmPolicyInfo({ Module: "monitor", PolicyId: created.PolicyId ?? "", Key: "REMARK", Value: "changed" });
    expect((await c.DescribeAlarmPolicy({ Module: "monitor", PolicyId: created.PolicyId ?? "" })).Policy).toMatchObject({ Enable: 0, Remark: "changed" });

    await c.DeleteAlarmPolicy({ Module: "monitor", PolicyIds: [created.PolicyId ?? ""] });
    expect((await c.DescribeAlarmPolicy({ Module: "monitor", PolicyId: created.PolicyId ?? "" })).Policy).toBeNull();
  });

  it("refuses a filter that is not Type DIMENSION with [[{Key, Operator, Value[]}]] (what the stack's observability construct sends)", async () => {
    const { c } = await start();
    const stackFilter = { Type: "dimensions", Dimensions: JSON.stringify([{ functionName: "recorder", namespace: "default" }]) };
    expect(await codeOf(c.CreateAlarmPolicy(policy(stackFilter)))).toBe("InvalidParameter");
    expect(await codeOf(c.CreateAlarmPolicy(policy({ Type: "DIMENSION", Dimensions: JSON.stringify([{ functionName: "recorder", namespace: "default" }]) })))).toBe("InvalidParameter");
    expect(await codeOf(c.CreateAlarmPolicy(policy({ Type: "DIMENSION", Dimensions: JSON.stringify([[{ Key: "functionName", Operator: "eq", Value: "recorder" }]]) })))).toBe("InvalidParameter");
    expect(await codeOf(c.CreateAlarmPolicy({ ...policy({ Type: "DIMENSION", Dimensions: GOOD_DIMENSIONS }), Module: "cvm" }))).toBe("InvalidParameterValue");
  });

  it("holds PolicyName to 60 characters and Remark to letters, digits, _ and - as documented", async () => {
    const { c } = await start();
    const good = policy({ Type: "DIMENSION", Dimensions: GOOD_DIMENSIONS });
    expect(await codeOf(c.CreateAlarmPolicy({ ...good, Remark: "TRTC recorder: function errors or timeouts" }))).toBe("InvalidParameterValue");
    expect(await codeOf(c.CreateAlarmPolicy({ ...good, PolicyName: "p".repeat(61) }))).toBe("InvalidParameterValue");
    const id = (await c.CreateAlarmPolicy({ ...good, Remark: "录制_recorder-告警" })).PolicyId ?? "";
    expect(await codeOf(c.ModifyAlarmPolicyInfo({ Module: "monitor", PolicyId: id, Key: "REMARK", Value: "has space" }))).toBe("InvalidParameterValue");
    expect(await codeOf(c.ModifyAlarmPolicyStatus({ Module: "monitor", PolicyId: "policy-missing0", Enable: 1 }))).toBe("ResourceNotFound");
  });

  it("manages alarm notices as tencentcloud_monitor_alarm_notice does and reports the policies that use them", async () => {
    const { c } = await start();
    const noticeId = (await c.CreateAlarmNotice({ Module: "monitor", Name: "recorder-prod-recorder", NoticeType: "ALL", NoticeLanguage: "en-US", URLNotices: [{ URL: "https://hooks.example.com/alarm", IsValid: 1 }] })).NoticeId ?? "";
    expect(noticeId).toMatch(/^notice-[a-z0-9]{8}$/);
    const policyId = (await c.CreateAlarmPolicy({ ...policy({ Type: "DIMENSION", Dimensions: GOOD_DIMENSIONS }), NoticeIds: [noticeId] })).PolicyId ?? "";
    const read = await c.DescribeAlarmNotices({ Module: "monitor", PageNumber: 1, PageSize: 200, Order: "ASC", NoticeIds: [noticeId] });
    expect(read.Notices).toEqual([
      expect.objectContaining({ Id: noticeId, Name: "recorder-prod-recorder", NoticeType: "ALL", NoticeLanguage: "en-US", PolicyIds: [policyId], URLNotices: [expect.objectContaining({ URL: "https://hooks.example.com/alarm", IsValid: 1 })] }),
    ]);
    expect(await codeOf(c.CreateAlarmNotice({ Module: "monitor", Name: "n", NoticeType: "SOMETIMES", NoticeLanguage: "en-US" }))).toBe("InvalidParameterValue");
    expect(await codeOf(c.CreateAlarmNotice({ Module: "monitor", Name: "n", NoticeType: "ALL", NoticeLanguage: "en-US", URLNotices: [{ URL: "ftp://x" }] }))).toBe("InvalidParameterValue");
    await c.DeleteAlarmPolicy({ Module: "monitor", PolicyIds: [policyId] });
    await c.DeleteAlarmNotices({ Module: "monitor", NoticeIds: [noticeId] });
    expect((await c.DescribeAlarmNotices({ Module: "monitor", PageNumber: 1, PageSize: 200, Order: "ASC", NoticeIds: [noticeId] })).Notices).toEqual([]);
  });

  it("keeps policies across a restart", async () => {
    const first = await start();
    const id = (await first.c.CreateAlarmPolicy(policy({ Type: "DIMENSION", Dimensions: GOOD_DIMENSIONS }))).PolicyId ?? "";
    await first.close();
    const second = await start();
    expect((await second.c.DescribeAlarmPolicy({ Module: "monitor", PolicyId: id })).Policy?.Filter?.Dimensions).toBe(GOOD_DIMENSIONS);
  });
});
