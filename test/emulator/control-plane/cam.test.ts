// CAM through the real cam.v20190116 client: the account starts like a real one (SCF_ExecuteRole exists, preset
// policies are listed), roles and policies are created, read, updated, attached and deleted with CAM's error codes.
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, codeOf, startHarness } from "./fixture";

afterEach(closeAll);

const TRUST = JSON.stringify({ version: "2.0", statement: [{ action: "name/sts:AssumeRole", effect: "allow", principal: { service: ["scf.qcloud.com"] } }] });
const POLICY = JSON.stringify({ version: "2.0", statement: [{ action: ["name/kms:Decrypt"], effect: "allow", resource: ["*"] }] });

describe("CAM (cam.v20190116)", () => {
  it("already has SCF_ExecuteRole and SCF_QcsRole, so creating SCF_ExecuteRole answers InvalidParameter.RoleNameInUse", async () => {
    const h = await startHarness();
    const roles = await h.cam.DescribeRoleList({ Page: 1, Rp: 200 });
    expect(roles.List?.map((r) => r.RoleName)).toEqual(expect.arrayContaining(["SCF_ExecuteRole", "SCF_QcsRole"]));
    expect(await codeOf(h.cam.CreateRole({ RoleName: "SCF_ExecuteRole", PolicyDocument: TRUST }))).toBe("InvalidParameter.RoleNameInUse");
  });

  it("lists preset policies with the fields data.tencentcloud_cam_policies dereferences", async () => {
    const h = await startHarness();
    const list = await h.cam.ListPolicies({ Page: 1, Rp: 200 });
    const cfsRead = list.List?.find((p) => p.PolicyName === "QcloudCFSReadOnlyAccess");
    expect(cfsRead).toMatchObject({ Type: 2, CreateMode: expect.any(Number), Attachments: expect.any(Number), ServiceType: "cfs" });
    expect(cfsRead?.AddTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(list.List?.some((p) => p.PolicyName === "QcloudCOSFullAccess")).toBe(true);
    const qcs = await h.cam.ListPolicies({ Scope: "Local" });
    expect(qcs.TotalNum).toBe(0);
  });

  it("creates a role, reads it back by id through DescribeRoleList and GetRole, updates its trust policy and deletes it", async () => {
    const h = await startHarness();
    const { RoleId } = await h.cam.CreateRole({ RoleName: "recorder-dev", PolicyDocument: TRUST, Description: "exec" });
    expect(RoleId).toMatch(/^\d{19}$/);
    const got = await h.cam.GetRole({ RoleId });
    expect(got.RoleInfo).toMatchObject({ RoleName: "recorder-dev", PolicyDocument: TRUST, Description: "exec", RoleArn: "qcs::cam::uin/100000000001:roleName/recorder-dev" });
    const list = await h.cam.DescribeRoleList({ Page: 1, Rp: 200 });
    expect(list.List?.some((r) => r.RoleId === RoleId)).toBe(true);
    const doc2 = JSON.stringify({ version: "2.0", statement: [{ action: "name/sts:AssumeRole", effect: "allow", principal: { service: ["scf.qcloud.com", "cls.cloud.tencent.com"] } }] });
    await h.cam.UpdateAssumeRolePolicy({ RoleId: RoleId ?? "", PolicyDocument: doc2 });
    expect((await h.cam.GetRole({ RoleName: "recorder-dev" })).RoleInfo?.PolicyDocument).toBe(doc2);
    await h.cam.DeleteRole({ RoleId });
    expect(await codeOf(h.cam.GetRole({ RoleId }))).toBe("InvalidParameter.RoleNotExist");
  });

  it("refuses a trust document without principal and a policy without statement", async () => {
    const h = await startHarness();
    expect(await codeOf(h.cam.CreateRole({ RoleName: "r", PolicyDocument: POLICY }))).toBe("InvalidParameter.PolicyDocumentError");
    expect(await codeOf(h.cam.CreatePolicy({ PolicyName: "p", PolicyDocument: JSON.stringify({ version: "2.0" }) }))).toBe("InvalidParameter.PolicyDocumentError");
  });

  it("creates, reads, updates and deletes a policy; a taken name answers FailedOperation.PolicyNameInUse", async () => {
    const h = await startHarness();
    const { PolicyId } = await h.cam.CreatePolicy({ PolicyName: "recorder-kms", PolicyDocument: POLICY, Description: "kms", Tags: [{ Key: "app", Value: "rec" }] });
    expect(await codeOf(h.cam.CreatePolicy({ PolicyName: "recorder-kms", PolicyDocument: POLICY }))).toBe("FailedOperation.PolicyNameInUse");
    const got = await h.cam.GetPolicy({ PolicyId: PolicyId ?? 0 });
    expect(got).toMatchObject({ PolicyName: "recorder-kms", PolicyDocument: POLICY, Type: 1, Description: "kms", Tags: [{ Key: "app", Value: "rec" }] });
    await h.cam.UpdatePolicy({ PolicyId, Description: "kms2" });
    expect((await h.cam.GetPolicy({ PolicyId: PolicyId ?? 0 })).Description).toBe("kms2");
    await h.cam.DeletePolicy({ PolicyId: [PolicyId ?? 0] });
    expect(await codeOf(h.cam.GetPolicy({ PolicyId: PolicyId ?? 0 }))).toBe("ResourceNotFound.PolicyIdNotFound");
  });

  it("attaches preset and own policies to a role by id, lists them with PolicyType, and detaches them", async () => {
    const h = await startHarness();
    const { RoleId } = await h.cam.CreateRole({ RoleName: "recorder-dev", PolicyDocument: TRUST });
    const { PolicyId } = await h.cam.CreatePolicy({ PolicyName: "recorder-kms", PolicyDocument: POLICY });
    const cos = (await h.cam.ListPolicies({ Keyword: "QcloudCOSFullAccess" })).List?.[0]?.PolicyId ?? 0;
    await h.cam.AttachRolePolicy({ AttachRoleId: RoleId, PolicyId });
    await h.cam.AttachRolePolicy({ AttachRoleId: RoleId, PolicyId: cos });
    const attached = await h.cam.ListAttachedRolePolicies({ Page: 1, Rp: 200, RoleId });
    expect(attached.List?.map((a) => [a.PolicyName, a.PolicyType])).toEqual([
      ["recorder-kms", "User"],
      ["QcloudCOSFullAccess", "QCS"],
    ]);
    expect(attached.List?.[0]?.AddTime).toBeTruthy();
    await h.cam.DetachRolePolicy({ DetachRoleId: RoleId, PolicyId });
    expect((await h.cam.ListAttachedRolePolicies({ Page: 1, Rp: 200, RoleId })).TotalNum).toBe(1);
    expect(await codeOf(h.cam.AttachRolePolicy({ AttachRoleName: "nobody", PolicyId }))).toBe("InvalidParameter.RoleNotExist");
    expect(await codeOf(h.cam.AttachRolePolicy({ AttachRoleId: RoleId, PolicyId: 999 }))).toBe("InvalidParameter.PolicyIdNotExist");
  });

  it("answers GetUserAppId and DescribeSubAccounts (root account: no sub-account) as data.tencentcloud_user_info calls them", async () => {
    const h = await startHarness();
    const me = await h.cam.GetUserAppId();
    expect(me).toMatchObject({ AppId: 1250000000, Uin: "100000000001", OwnerUin: "100000000001" });
    expect((await h.cam.DescribeSubAccounts({ FilterSubAccountUin: [100000000001] })).SubAccounts).toEqual([]);
  });
});
