// What a real account already has before Terraform runs: the preset (QCS) policies the stacks attach by name, and
// the service roles the SCF console creates on first use (SCF_QcsRole, SCF_ExecuteRole). Policy ids and documents are
// stand-ins (assumed): only names, types and the presence of the roles matter to the stacks.
import type { CamState, PolicyRecord, RoleRecord } from "./model";
import { roleIdFor } from "./roles";

const PRESET_POLICIES: Array<[number, string, string, string]> = [
  [1, "AdministratorAccess", "", "Full access to all cloud resources"],
  [2, "QcloudCOSFullAccess", "cos", "Full read-write access to Cloud Object Storage (COS)"],
  [3, "QcloudCOSReadOnlyAccess", "cos", "Read-only access to COS"],
  [4, "QcloudCFSFullAccess", "cfs", "Full read-write access to Cloud File Storage (CFS)"],
  [5, "QcloudCFSReadOnlyAccess", "cfs", "Read-only access to CFS"],
  [6, "QcloudSCFFullAccess", "scf", "Full read-write access to Serverless Cloud Function (SCF)"],
  [7, "QcloudAccessForScfRole", "scf", "Permissions the SCF service role needs (COS code, CLS logs, triggers)"],
  [8, "QcloudKMSFullAccess", "kms", "Full read-write access to Key Management Service (KMS)"],
  [9, "QcloudCLSFullAccess", "cls", "Full read-write access to Cloud Log Service (CLS)"],
  [10, "QcloudTRTCFullAccess", "trtc", "Full read-write access to Tencent Real-Time Communication (TRTC)"],
  [11, "QcloudVPCFullAccess", "vpc", "Full read-write access to Virtual Private Cloud (VPC)"],
  [12, "QcloudMonitorFullAccess", "monitor", "Full read-write access to Cloud Monitor"],
];

const presetDocument = (service: string) =>
  JSON.stringify({ version: "2.0", statement: [{ action: [service === "" ? "*" : `name/${service}:*`], effect: "allow", resource: ["*"] }] });

const scfTrust = JSON.stringify({ version: "2.0", statement: [{ action: "name/sts:AssumeRole", effect: "allow", principal: { service: ["scf.qcloud.com"] } }] });

export function seedAccount(time: string): CamState {
  const policies: PolicyRecord[] = PRESET_POLICIES.map(([policyId, name, serviceType, description]) => ({
    policyId,
    name,
    document: presetDocument(serviceType),
    description,
    type: 2,
    createMode: 2,
    serviceType,
    addTime: time,
    updateTime: time,
  }));
  const roles: RoleRecord[] = [
    { roleId: roleIdFor(1), name: "SCF_QcsRole", document: scfTrust, description: "SCF service role", consoleLogin: 0, sessionDuration: 7200, addTime: time, updateTime: time },
    { roleId: roleIdFor(2), name: "SCF_ExecuteRole", document: scfTrust, description: "SCF execution role", consoleLogin: 0, sessionDuration: 7200, addTime: time, updateTime: time },
  ];
  return {
    roles,
    policies,
    attachments: [
      { roleId: roleIdFor(1), policyId: 7, addTime: time },
    ],
    nextPolicyId: 200_000_001,
    nextRoleSeq: 100,
  };
}
