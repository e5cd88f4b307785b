import { Construct } from "constructs";
import { clsLogset, clsTopic, monitorAlarmNotice, monitorAlarmPolicy } from "../provider/generated";
import { PropChecker } from "./prop-errors";

export interface ObservabilityProps {
  /** Prefix for names. */
  readonly name: string;
  /** Days CLS keeps the recorder's logs (1..3600). @default 30 */
  readonly retentionDays?: number;
  /** Alarm on function errors and timeouts. @default false (true in prod's environment file) */
  readonly alarms?: boolean;
  /** Function names the alarms watch. @default [] (required when alarms is true) */
  readonly functionNames?: string[];
  /** SCF namespace of those functions. @default "default" */
  readonly namespace?: string;
  /** Webhook the alarm notice calls. @default none (the policy still shows in the console) */
  readonly noticeWebhookUrl?: string;
}

/** A CLS logset and topic both functions log to (JSON lines, secrets masked), and alarms on errors/timeouts. */
export class Observability extends Construct {
  readonly logsetId: string;
  readonly topicId: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const c = new PropChecker("Observability");
    const retention = props.retentionDays ?? 30;
    c.intRange(retention, "retentionDays", 1, 3600);
    const alarms = props.alarms ?? false;
    const functions = props.functionNames ?? [];
    if (alarms) c.check(functions.length > 0, "functionNames", "non-empty when alarms is true", functions);
    if (props.noticeWebhookUrl !== undefined) c.matches(props.noticeWebhookUrl, "noticeWebhookUrl", /^https:\/\/\S+$/, "an https URL");

    const logset = new clsLogset.ClsLogset(this, "logset", { logsetName: `${props.name}-logs` });
    const topic = new clsTopic.ClsTopic(this, "topic", {
      topicName: `${props.name}-recorder`,
      logsetId: logset.id,
      period: retention,
      autoSplit: true,
      maxSplitPartitions: 10,
      storageType: "hot",
    });
    this.logsetId = logset.id;
    this.topicId = topic.id;

    if (alarms) {
      const notice = props.noticeWebhookUrl
        ? new monitorAlarmNotice.MonitorAlarmNotice(this, "notice", {
            name: `${props.name}-recorder`,
            noticeType: "ALL",
            noticeLanguage: "en-US",
            urlNotices: [{ url: props.noticeWebhookUrl, isValid: 1 }],
          })
        : undefined;
      // SCF metrics (namespace scf_v2): any error or timeout in a minute is worth a look: each is a recording at risk.
      new monitorAlarmPolicy.MonitorAlarmPolicy(this, "errors", {
        policyName: `${props.name}-recorder-errors`,
        monitorType: "MT_QCE",
        namespace: "scf_v2",
        // Remark: at most 100 letters, digits, _ or - (monitor_models.d.ts, CreateAlarmPolicyRequest.Remark).
        remark: "trtc-recorder-function-errors-or-timeouts",
        enable: 1,
        conditions: {
          isUnionRule: 0,
          rules: ["Error", "Timeout"].map((metricName) => ({
            metricName,
            period: 60,
            operator: "gt",
            value: "0",
            continuePeriod: 1,
            noticeFrequency: 3600,
            isPowerNotice: 0,
          })),
        },
        // The Monitor API's filter: Type DIMENSION and a JSON two-dimensional array of {Key, Operator, Value}; the outer
        // array is OR, the inner AND (monitor_models.d.ts, AlarmPolicyFilter), so: (this function AND namespace) OR ….
        // Value is a list, as in the provider's own example (resource_tc_monitor_alarm_policy.md).
        filter: {
          type: "DIMENSION",
          dimensions: JSON.stringify(
            functions.map((functionName) => [
              { Key: "functionName", Operator: "eq", Value: [functionName] },
              { Key: "namespace", Operator: "eq", Value: [props.namespace ?? "default"] },
            ]),
          ),
        },
        ...(notice ? { noticeIds: [notice.id] } : {}),
      });
    }
  }
}
