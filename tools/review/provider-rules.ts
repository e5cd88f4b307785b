/**
 * What the tencentcloud provider (v1.83.25) does with a changed argument, as data. Taken from the Go source via
 * ../shared/reference/tencentcloud-provider.md ("ForceNew" table and the "fail at apply" list): neither is visible in
 * the provider's JSON schema, so `terraform plan` is the only other place they show up, and we have no plan here.
 */

export interface ProviderRules {
  /** resource type → arguments whose change replaces the resource (destroy + create). */
  forceNew: Record<string, readonly string[] | "all">;
  /** resource type → arguments whose change the update code rejects: the plan shows an update, the apply errors. */
  failsAtApply: Record<string, readonly string[]>;
  /** resource type → arguments whose change the update code silently ignores: the plan shows an update, the apply "succeeds", nothing changes. */
  ignoredAtApply: Record<string, { args: readonly string[] | "all"; why: string }>;
  /** resource type → argument → what else a reviewer should know when it changes ("*" = any change). */
  notes: Record<string, Record<string, string>>;
  /** Said once per replaced resource of that type. */
  replaceNotes: Record<string, string>;
}

export const PROVIDER_RULES: ProviderRules = {
  forceNew: {
    tencentcloud_scf_function: ["name", "namespace", "async_run_enable"],
    tencentcloud_scf_namespace: ["namespace"],
    tencentcloud_scf_function_version: ["function_name", "namespace", "description"],
    tencentcloud_scf_provisioned_concurrency_config: "all",
    tencentcloud_scf_reserved_concurrency_config: ["function_name", "namespace", "reserved_concurrency_mem"],
    tencentcloud_scf_trigger_config: ["function_name", "trigger_name", "namespace"],
    tencentcloud_scf_trigger: ["function_name", "type", "namespace"],
    tencentcloud_api_gateway_service: ["ip_version", "instance_id", "exclusive_set_name"],
    tencentcloud_api_gateway_api: ["service_id", "protocol"],
    tencentcloud_api_gateway_service_release: ["service_id", "environment_name", "release_desc"],
    tencentcloud_api_gateway_api_key: ["secret_name"],
    tencentcloud_api_gateway_api_key_attachment: ["api_key_id", "usage_plan_id"],
    tencentcloud_api_gateway_usage_plan_attachment: ["usage_plan_id", "service_id", "environment", "bind_type", "api_id", "access_key_ids"],
    tencentcloud_api_gateway_custom_domain: ["service_id"],
    tencentcloud_api_gateway_strategy_attachment: ["service_id", "strategy_id", "environment_name", "bind_api_id"],
    tencentcloud_api_gateway_ip_strategy: ["service_id", "strategy_name", "strategy_type"],
    tencentcloud_vpc: ["cidr_block"],
    tencentcloud_subnet: ["vpc_id", "availability_zone", "cidr_block", "cdc_id"],
    tencentcloud_security_group: ["project_id"],
    tencentcloud_security_group_rule_set: ["security_group_id"],
    tencentcloud_cfs_file_system: ["availability_zone", "protocol", "storage_type", "vpc_id", "subnet_id", "mount_ip"],
    tencentcloud_cfs_access_rule: ["access_group_id"],
    tencentcloud_cam_role: ["name"],
    tencentcloud_cam_policy: ["name"],
    tencentcloud_cam_role_policy_attachment: ["role_id", "policy_id"],
    tencentcloud_cos_bucket: ["bucket", "multi_az", "chdfs_ofs", "cdc_id"],
    tencentcloud_cos_bucket_object: ["bucket", "key"],
    tencentcloud_cos_bucket_policy: ["bucket"],
    tencentcloud_kms_key: ["key_usage"],
    // "conditon_template_id" is the provider's spelling.
    tencentcloud_monitor_alarm_policy: ["monitor_type", "namespace", "project_id", "conditon_template_id", "policy_tag"],
    // No ForceNew arguments: scf_layer, scf_function_alias, scf_function_event_invoke_config, api_gateway_usage_plan,
    // cfs_access_group, cls_logset, cls_topic, monitor_alarm_notice.
  },
  failsAtApply: {
    tencentcloud_scf_function: ["func_type"],
    tencentcloud_api_gateway_api: ["target_services"],
    tencentcloud_api_gateway_api_key: ["access_key_id", "access_key_type"],
    tencentcloud_cfs_file_system: ["ccn_id", "cidr_block", "net_interface"],
    tencentcloud_cls_topic: ["partition_count", "storage_type", "biz_type"],
    tencentcloud_kms_key: ["hsm_cluster_id"],
    tencentcloud_cos_bucket: ["enable_intelligent_tiering", "intelligent_tiering_days", "intelligent_tiering_request_frequent", "intelligent_tiering_archiving_rule_list"],
  },
  // Found in the provider source beyond the reference list: resource_tc_scf_layer.go's Update is `return nil`.
  ignoredAtApply: {
    // resource_tc_scf_function.go sends an update through ModifyFunctionConfig, which carries no CfsConfig.
    tencentcloud_scf_function: {
      args: ["cfs_config"],
      why: "the provider drops cfs_config on update (ModifyFunctionConfig has no CfsConfig): the function keeps its old mount; replace it on purpose (docs/operations.md, \"Change the CFS mount\")",
    },
    tencentcloud_scf_layer: {
      args: "all",
      why: "the provider's update does nothing (no new layer version is published; the functions keep the old one)",
    },
  },
  notes: {
    tencentcloud_scf_function: {
      triggers: "any change to the inline trigger set deletes every old trigger and recreates every new one (a brief outage)",
      cos_object_name: "content-addressed (`<kind>/<sha256>.zip`, shown as kind@hash): a new name deploys exactly the bytes published under it",
      enable_eip_config: "needs enable_public_net = true, or the apply fails",
    },
    tencentcloud_scf_function_alias: {
      routing_config: "canary routing: the additional version keeps its weight of the traffic; the version must still exist",
    },
  },
  replaceNotes: {
    tencentcloud_scf_function_version: "publishes a new version (create_before_destroy: created, the alias moved to it, then the old version deleted)",
    tencentcloud_api_gateway_service_release: "re-publishes the API Gateway environment (a release only happens on create)",
    tencentcloud_scf_function: "the function is deleted and created again: its versions, aliases, triggers and logs go with it",
    tencentcloud_cos_bucket: "a bucket replacement deletes the bucket: it must be empty, and its objects are gone",
    tencentcloud_cfs_file_system: "a file system replacement loses everything stored on it",
    tencentcloud_kms_key: "a new key cannot decrypt what the old one encrypted",
  },
};
