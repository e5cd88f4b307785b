import { Construct } from "constructs";
import { Token } from "cdktf";
import { camPolicy, camRole, camRolePolicyAttachment, dataTencentcloudCamPolicies, dataTencentcloudCamRoles } from "../provider/generated";
import { PropChecker } from "./prop-errors";

/** The TRTC actions the recorder calls (cloud recording lifecycle). */
export const RECORDER_TRTC_ACTIONS = [
  "trtc:CreateCloudRecording",
  "trtc:DescribeCloudRecording",
  "trtc:ModifyCloudRecording",
  "trtc:DeleteCloudRecording",
] as const;

export interface ExecutionRoleProps {
  /**
   * CAM role name the functions run as. Deployment-specific by default: the console usually created SCF_ExecuteRole
   * already, and CreateRole then fails with RoleNameInUse. Two stacks in one account need distinct names.
   * @default "trtc-recorder-exec"
   */
  readonly roleName?: string;
  /**
   * false: use the existing role `roleName` (e.g. the console's SCF_ExecuteRole) without creating it; the recorder's
   * policies are still attached to it. To manage an existing role instead, keep true and `terraform import` it
   * (docs/operations.md). @default true
   */
  readonly createRole?: boolean;
  /**
   * Replace the seed's preset QcloudCOSFullAccess + QcloudCFSFullAccess with one custom policy limited to the named
   * buckets, the stack's KMS key, the TRTC actions and invoking the recorder. @default false (the seed's policies)
   */
  readonly leastPrivilege?: boolean;
  /** Buckets the recorder may read and write under least privilege (caller buckets + the stack's own). @default [] */
  readonly buckets?: string[];
  /** Region of the buckets, the key and the functions. */
  readonly region: string;
  /** Account APPID (a token is fine): scopes COS resources. */
  readonly appId: string;
  /** Account UIN (a token is fine): scopes KMS and SCF resources. */
  readonly uin: string;
  /** KMS key id for envelope encryption of callers' COS keys and runtime secrets. */
  readonly kmsKeyId: string;
  /** SCF namespace and the names of the functions the recorder invokes asynchronously. */
  readonly namespace: string;
  readonly functionNames: string[];
  /** Tags. @default {} */
  readonly tags?: Record<string, string>;
}

/** A CAM role trusted by SCF, with the seed's preset policies (or a least-privilege one) plus the recorder's own needs. */
export class ExecutionRole extends Construct {
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: ExecutionRoleProps) {
    super(scope, id);
    const c = new PropChecker("ExecutionRole");
    const roleName = props.roleName ?? "trtc-recorder-exec";
    const createRole = props.createRole ?? true;
    c.matches(roleName, "roleName", /^[\w+=,.@-]{1,128}$/, "a CAM role name of 1-128 letters, digits or +=,.@_-");
    const leastPrivilege = props.leastPrivilege ?? false;
    const buckets = props.buckets ?? [];
    // Names built from the account lookup are tokens until apply; only literal names can be checked here.
    for (const b of buckets) if (!Token.isUnresolved(b)) c.matches(b, "buckets", /^[a-z0-9-]+-\d+$/, "a list of buckets like records-1250000000");
    if (leastPrivilege) c.check(buckets.length > 0, "buckets", "non-empty when leastPrivilege is true (which buckets may the recorder write?)", buckets);
    c.check(props.functionNames.length > 0, "functionNames", "non-empty (the recorder invokes itself for delivery)", props.functionNames);

    const created = createRole
      ? new camRole.CamRole(this, "role", {
          name: roleName,
          description: "Execution role of the TRTC mix recorder functions",
          document: JSON.stringify({
            version: "2.0",
            statement: [{ action: "name/sts:AssumeRole", effect: "allow", principal: { service: ["scf.qcloud.com"] } }],
          }),
          tags: props.tags,
        })
      : undefined;
    // An existing role is looked up by name; a missing one fails the plan with the data source's error.
    const roleId = created?.id ?? new dataTencentcloudCamRoles.DataTencentcloudCamRoles(this, "existing-role", { name: roleName }).roleList.get(0).roleId;

    const statements: Array<Record<string, unknown>> = [
      { effect: "allow", action: RECORDER_TRTC_ACTIONS.map((a) => `name/${a}`), resource: ["*"] },
      {
        effect: "allow",
        action: ["name/kms:Encrypt", "name/kms:Decrypt", "name/kms:GenerateDataKey"],
        resource: [`qcs::kms:${props.region}:uin/${props.uin}:key/creatorUin/${props.uin}/${props.kmsKeyId}`],
      },
      {
        effect: "allow",
        action: ["name/scf:InvokeFunction"],
        resource: props.functionNames.map((f) => `qcs::scf:${props.region}:uin/${props.uin}:namespace/${props.namespace}/function/${f}`),
      },
    ];
    if (leastPrivilege) {
      statements.push(
        {
          effect: "allow",
          action: ["name/cos:*"],
          resource: buckets.flatMap((b) => [`qcs::cos:${props.region}:uid/${props.appId}:${b}/*`, `qcs::cos:${props.region}:uid/${props.appId}:${b}`]),
        },
        { effect: "allow", action: ["name/cfs:DescribeCfsFileSystems", "name/cfs:DescribeMountTargets"], resource: ["*"] },
        { effect: "allow", action: ["name/cls:pushLog"], resource: ["*"] },
      );
    }
    const own = new camPolicy.CamPolicy(this, "recorder-policy", {
      name: `${roleName}-recorder`,
      description: leastPrivilege ? "TRTC recorder: least privilege" : "TRTC recorder: TRTC, KMS and SCF invoke",
      document: JSON.stringify({ version: "2.0", statement: statements }),
    });
    new camRolePolicyAttachment.CamRolePolicyAttachment(this, "recorder-policy-attachment", { roleId, policyId: own.id });

    if (!leastPrivilege) {
      // The seed's instructions: QcloudCOSFullAccess and QcloudCFSFullAccess (preset policies, looked up by name).
      for (const preset of ["QcloudCOSFullAccess", "QcloudCFSFullAccess"]) {
        const found = new dataTencentcloudCamPolicies.DataTencentcloudCamPolicies(this, `${preset}-lookup`, { name: preset, type: 2 });
        new camRolePolicyAttachment.CamRolePolicyAttachment(this, `${preset}-attachment`, {
          roleId,
          policyId: found.policyList.get(0).policyId,
        });
      }
    }
    // The token (when created) makes the functions wait for the role.
    this.roleName = created?.name ?? roleName;
  }
}
