// CAM account state ("cam.json"): roles, policies (preset QCS ones and the account's own) and role attachments.
export interface RoleRecord {
  roleId: string;
  name: string;
  document: string;
  description: string;
  consoleLogin: number;
  sessionDuration: number;
  addTime: string;
  updateTime: string;
}

export interface PolicyRecord {
  policyId: number;
  name: string;
  document: string;
  description: string;
  /** 1 = the account's own policy, 2 = preset (QCS) policy. */
  type: 1 | 2;
  /** 1 = created from business permissions, 2 = from policy syntax (what the API and Terraform create). */
  createMode: number;
  serviceType: string;
  addTime: string;
  updateTime: string;
}

export interface AttachmentRecord {
  roleId: string;
  policyId: number;
  addTime: string;
}

export interface CamState {
  roles: RoleRecord[];
  policies: PolicyRecord[];
  attachments: AttachmentRecord[];
  nextPolicyId: number;
  nextRoleSeq: number;
}
