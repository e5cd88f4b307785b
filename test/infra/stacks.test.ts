import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEnvironments } from "../../infra/environments/load";
import { checkTfSchema } from "./schema-check";
import { only, resourcesOf, synthEnvironments, type Synthesized } from "./synth";

let synth: Synthesized;
beforeAll(async () => {
  synth = await synthEnvironments();
});
afterAll(() => synth.cleanup());

describe("every environment", () => {
  it("synthesizes one stack per environment file, named recorder-<env>", () => {
    expect(Object.keys(synth.stacks).sort()).toEqual(listEnvironments().map((e) => `recorder-${e}`).sort());
    expect(listEnvironments()).toEqual(expect.arrayContaining(["local", "dev", "staging", "prod"]));
  });

  it("passes the provider schema, value rules and apply-time facts check with zero errors and zero warnings", () => {
    const result = checkTfSchema(synth.outdir);
    expect(result.output).toContain("0 invalid");
    expect(result.warnings).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("pins the tencentcloud provider to 1.83.25 and configures no credentials", () => {
    for (const stack of Object.values(synth.stacks)) {
      const required = (stack.terraform!.required_providers as unknown as Record<string, { source: string; version: string }>).tencentcloud!;
      expect(required).toEqual({ source: "registry.terraform.io/tencentcloudstack/tencentcloud", version: "1.83.25" });
      const providers = (stack.provider!.tencentcloud as Array<Record<string, unknown>>)!;
      for (const p of providers) {
        expect(Object.keys(p)).not.toEqual(expect.arrayContaining(["secret_id"]));
        expect(p).not.toHaveProperty("secret_key");
        expect(p).not.toHaveProperty("security_token");
      }
    }
  });

  it("keeps remote state per environment in COS, and local state for local", () => {
    for (const [name, stack] of Object.entries(synth.stacks)) {
      const backend = stack.terraform!.backend as unknown as Record<string, Record<string, unknown>>;
      if (name === "recorder-local") {
        expect(Object.keys(backend)).toEqual(["local"]);
      } else {
        expect(Object.keys(backend)).toEqual(["cos"]);
        expect(backend.cos!.prefix).toBe(`trtc-recorder/${name.replace("recorder-", "")}`);
        expect(backend.cos).not.toHaveProperty("secret_key");
        expect(backend.cos).not.toHaveProperty("secret_id");
      }
    }
  });

  it("runs both functions from one content-addressed object of the artifact bucket (no inline zip: the API body is capped at 10 MB)", () => {
    for (const stack of Object.values(synth.stacks)) {
      const fns = resourcesOf(stack, "tencentcloud_scf_function");
      expect(fns).toHaveLength(2);
      const objects = new Set(fns.map((f) => `${f.cos_bucket_name}|${f.cos_object_name}|${f.cos_bucket_region}`));
      expect(objects.size).toBe(1);
      expect([...objects][0]).toMatch(/^trtc-rec-artifacts-1250000000\|recorder-bundle\/[0-9a-f]{64}\.zip\|ap-guangzhou$/);
      for (const f of fns) expect(f.zip_file).toBeUndefined();
    }
  });

  it("has the seed's async recorder and a synchronous recorder-api, timeouts within the provider's 900 s", () => {
    for (const stack of Object.values(synth.stacks)) {
      const fns = resourcesOf(stack, "tencentcloud_scf_function");
      const recorder = only(fns.filter((f) => f.handler === "index.recorder"), "recorder");
      const api = only(fns.filter((f) => f.handler === "index.recorderApi"), "recorder-api");
      expect(recorder.async_run_enable).toBe("TRUE");
      expect(api.async_run_enable).toBe("FALSE");
      expect(recorder.timeout).toBeLessThanOrEqual(900);
      expect(recorder.runtime).toBe("Nodejs18.15");
    }
  });

  it("attaches the ffmpeg layer to both functions and points FFMPEG_PATH at it", () => {
    for (const stack of Object.values(synth.stacks)) {
      const layer = only(resourcesOf(stack, "tencentcloud_scf_layer"), "layer");
      const content = layer.content as Record<string, string>;
      // PublishLayerVersion takes the bucket without -APPID, and the layer resource passes the name as is.
      expect(content).toEqual({ cos_bucket_name: "trtc-rec-artifacts", cos_object_name: expect.stringMatching(/^ffmpeg-layer\/[0-9a-f]{64}\.zip$/), cos_bucket_region: "ap-guangzhou" });
      expect(layer.lifecycle).toEqual({ create_before_destroy: true });
      for (const fn of resourcesOf(stack, "tencentcloud_scf_function")) {
        expect(fn.layers).toEqual([{ layer_name: layer.layer_name, layer_version: `\${tencentcloud_scf_layer.${layer.__name}.layer_version}` }]);
        expect((fn.environment as Record<string, string>).FFMPEG_PATH).toBe("/opt/ffmpeg");
      }
    }
  });

  it("runs the watchdog every minute through a timer trigger on the recorder's alias", () => {
    for (const stack of Object.values(synth.stacks)) {
      const timer = only(resourcesOf(stack, "tencentcloud_scf_trigger").filter((t) => t.type === "timer"), "timer trigger");
      const recorder = only(resourcesOf(stack, "tencentcloud_scf_function").filter((f) => f.handler === "index.recorder"), "recorder");
      expect(timer.function_name).toBe(`\${tencentcloud_scf_function.${recorder.__name}.name}`);
      expect(timer.trigger_desc).toBe("0 */1 * * * * *");
      expect(timer.qualifier).toBe("live");
    }
  });

  it("configures async retries of the recorder through the event invoke config", () => {
    for (const stack of Object.values(synth.stacks)) {
      const cfg = only(resourcesOf(stack, "tencentcloud_scf_function_event_invoke_config"), "event invoke config");
      expect(cfg.async_trigger_config).toEqual({ msg_ttl: 21600, retry_config: [{ retry_num: 2 }] });
    }
  });

  it("creates a KMS key and hands its id to the functions", () => {
    for (const stack of Object.values(synth.stacks)) {
      const key = only(resourcesOf(stack, "tencentcloud_kms_key"), "kms key");
      for (const fn of resourcesOf(stack, "tencentcloud_scf_function")) {
        expect((fn.environment as Record<string, string>).RECORDER_KMS_KEY_ID).toBe(`\${tencentcloud_kms_key.${key.__name}.id}`);
      }
    }
  });
});

describe("storage on (staging, prod, local)", () => {
  for (const env of ["staging", "prod", "local"]) {
    it(`${env}: mounts CFS at the mount dir, CFS_PATH is exactly that dir, and the functions sit in the CFS's VPC/subnet`, () => {
      const stack = synth.stacks[`recorder-${env}`]!;
      const fs = only(resourcesOf(stack, "tencentcloud_cfs_file_system"), "file system");
      for (const fn of resourcesOf(stack, "tencentcloud_scf_function")) {
        const mounts = fn.cfs_config as Array<Record<string, string>>;
        expect(mounts).toHaveLength(1);
        expect(mounts[0]!.local_mount_dir).toBe("/mnt/recordings");
        expect((fn.environment as Record<string, string>).CFS_PATH).toBe(mounts[0]!.local_mount_dir);
        expect(mounts[0]!.user_id).toBe("10000");
        expect(mounts[0]!.user_group_id).toBe("10000");
        // The file system id (cfs-…, the resource id) and its mount target id; never fs_id (the NFS root FSID).
        expect(mounts[0]!.cfs_id).toBe(`\${tencentcloud_cfs_file_system.${fs.__name}.id}`);
        expect(mounts[0]!.mount_ins_id).toBe(`\${tencentcloud_cfs_file_system.${fs.__name}.id}`);
        expect(fn.vpc_id).toBe(fs.vpc_id);
        expect(fn.subnet_id).toBe(fs.subnet_id);
      }
      const rule = only(resourcesOf(stack, "tencentcloud_cfs_access_rule"), "access rule");
      const subnet = only(resourcesOf(stack, "tencentcloud_subnet"), "subnet");
      expect(rule.auth_client_ip).toBe(subnet.cidr_block);
      expect(rule.rw_permission).toBe("RW");
    });
  }

  it("dev (storage off): no CFS, no VPC, no CFS_PATH: the recorder works in /tmp", () => {
    const stack = synth.stacks["recorder-dev"]!;
    expect(resourcesOf(stack, "tencentcloud_cfs_file_system")).toHaveLength(0);
    expect(resourcesOf(stack, "tencentcloud_vpc")).toHaveLength(0);
    for (const fn of resourcesOf(stack, "tencentcloud_scf_function")) {
      expect(fn).not.toHaveProperty("cfs_config");
      expect(fn).not.toHaveProperty("vpc_id");
      expect(fn.environment).not.toHaveProperty("CFS_PATH");
    }
  });
});

describe("execution role", () => {
  it("is trusted by SCF, and the functions run as it", () => {
    for (const stack of Object.values(synth.stacks)) {
      const role = only(resourcesOf(stack, "tencentcloud_cam_role"), "role");
      const doc = JSON.parse(role.document as string) as { statement: Array<{ action: string; principal: { service: string[] } }> };
      expect(doc.statement[0]!.action).toBe("name/sts:AssumeRole");
      expect(doc.statement[0]!.principal.service).toEqual(["scf.qcloud.com"]);
      for (const fn of resourcesOf(stack, "tencentcloud_scf_function")) expect(fn.role).toBe(`\${tencentcloud_cam_role.${role.__name}.name}`);
    }
  });

  it("attaches the seed's QcloudCOSFullAccess and QcloudCFSFullAccess plus the TRTC actions by default", () => {
    const stack = synth.stacks["recorder-staging"]!;
    const lookups = resourcesOf({ resource: stack.data ?? {} } as never, "tencentcloud_cam_policies").map((d) => d.name);
    expect(lookups.sort()).toEqual(["QcloudCFSFullAccess", "QcloudCOSFullAccess"]);
    expect(resourcesOf(stack, "tencentcloud_cam_role_policy_attachment")).toHaveLength(3);
    const policy = only(resourcesOf(stack, "tencentcloud_cam_policy"), "policy");
    const actions = (JSON.parse(policy.document as string) as { statement: Array<{ action: string[] }> }).statement.flatMap((s) => s.action);
    expect(actions).toEqual(expect.arrayContaining(["name/trtc:CreateCloudRecording", "name/trtc:DescribeCloudRecording", "name/trtc:ModifyCloudRecording", "name/trtc:DeleteCloudRecording", "name/kms:GenerateDataKey", "name/scf:InvokeFunction"]));
  });

  it("creates a deployment-specific role (never the console's SCF_ExecuteRole: RoleNameInUse), and with leastPrivilege limits COS to named buckets", () => {
    for (const s of Object.values(synth.stacks)) for (const r of resourcesOf(s, "tencentcloud_cam_role")) expect(r.name).not.toBe("SCF_ExecuteRole");
    const stack = synth.stacks["recorder-prod"]!;
    const role = only(resourcesOf(stack, "tencentcloud_cam_role"), "role");
    expect(role.name).toBe("trtc-rec-prod-exec");
    expect(resourcesOf({ resource: stack.data ?? {} } as never, "tencentcloud_cam_policies")).toHaveLength(0);
    const policy = only(resourcesOf(stack, "tencentcloud_cam_policy"), "policy");
    const statements = (JSON.parse(policy.document as string) as { statement: Array<{ action: string[]; resource: string[] }> }).statement;
    const cos = only(statements.filter((s) => s.action.includes("name/cos:*")), "COS statement");
    expect(cos.resource.some((r) => r.endsWith(":class-recordings-1250000000/*"))).toBe(true);
    expect(cos.resource.every((r) => !r.endsWith(":*"))).toBe(true);
  });
});

describe("ingress", () => {
  const apisOf = (env: string) => resourcesOf(synth.stacks[`recorder-${env}`]!, "tencentcloud_api_gateway_api");

  it("apigw: POST /record goes to the async recorder with integration response OFF (the seed)", () => {
    const record = only(apisOf("prod").filter((a) => a.request_config_path === "/record"), "/record API");
    expect(record.request_config_method).toBe("POST");
    expect(record.service_config_type).toBe("SCF");
    expect(record.service_config_scf_is_integrated_response).toBe(false);
    expect(record.service_config_scf_function_type).toBe("EVENT");
    expect(record.service_config_scf_function_qualifier).toBe("live");
    expect(String(record.service_config_scf_function_name)).toMatch(/^\$\{tencentcloud_scf_function\.functions_recorder_[0-9A-F]+\.name\}$/);
  });

  it("apigw: status, stop and TRTC events go to recorder-api with integration response on", () => {
    const routes = apisOf("prod")
      .filter((a) => a.request_config_path !== "/record")
      .map((a) => `${a.request_config_method} ${a.request_config_path} ${a.service_config_scf_is_integrated_response} ${String(a.service_config_scf_function_name).includes("recorder-api")}`)
      .sort();
    expect(routes).toEqual(["DELETE /recordings/{id} true true", "GET /recordings/{id} true true", "POST /trtc-events true true"]);
  });

  it("apigw with auth: client routes use key-pair auth with a usage plan; /trtc-events relies on TRTC's Sign", () => {
    const auth = Object.fromEntries(apisOf("prod").map((a) => [`${a.request_config_method} ${a.request_config_path}`, a.auth_type]));
    expect(auth).toEqual({ "POST /record": "SECRET", "GET /recordings/{id}": "SECRET", "DELETE /recordings/{id}": "SECRET", "POST /trtc-events": "NONE" });
    expect(resourcesOf(synth.stacks["recorder-prod"]!, "tencentcloud_api_gateway_usage_plan_attachment")).toHaveLength(1);
    expect(resourcesOf(synth.stacks["recorder-prod"]!, "tencentcloud_api_gateway_api_key")).toHaveLength(0);
  });

  it("apigw without auth (local): every route is open and no usage plan is made", () => {
    expect(apisOf("local").every((a) => a.auth_type === "NONE")).toBe(true);
    expect(resourcesOf(synth.stacks["recorder-local"]!, "tencentcloud_api_gateway_usage_plan")).toHaveLength(0);
  });

  it("apigw: the release republishes whenever the API definitions change (hash in the ForceNew release_desc)", () => {
    const release = only(resourcesOf(synth.stacks["recorder-prod"]!, "tencentcloud_api_gateway_service_release"), "release");
    const local = only(resourcesOf(synth.stacks["recorder-local"]!, "tencentcloud_api_gateway_service_release"), "release");
    expect(release.environment_name).toBe("release");
    expect(release.release_desc).toMatch(/^recorder routes [0-9a-f]{12}$/);
    expect(release.release_desc).not.toBe(local.release_desc); // auth differs → definitions differ
    expect((release.depends_on as string[]).length).toBe(4);
  });

  it("function-url (staging): an http trigger on recorder-api and no API Gateway", () => {
    const stack = synth.stacks["recorder-staging"]!;
    expect(resourcesOf(stack, "tencentcloud_api_gateway_service")).toHaveLength(0);
    const url = only(resourcesOf(stack, "tencentcloud_scf_trigger").filter((t) => t.type === "http"), "function URL trigger");
    expect(String(url.function_name)).toContain("recorder-api");
    const api = only(resourcesOf(stack, "tencentcloud_scf_function").filter((f) => f.handler === "index.recorderApi"), "api");
    expect((api.environment as Record<string, string>).RECORDER_INGRESS).toBe("function-url");
    expect((api.environment as Record<string, string>).RECORDER_CLIENT_AUTH).toBe("api-key");
    // No trigger_name for type http (the provider refuses it), and the desc as Read gives it back (sorted, compact).
    expect(url.trigger_name).toBeUndefined();
    expect(url.trigger_desc).toBe('{"AuthType":"NONE","NetConfig":{"EnableExtranet":true,"EnableIntranet":false}}');
    expect(String(stack.output!.function_url_trigger!.value)).toContain(".trigger_attribute}");
    expect(stack.output!.ingress_url).toBeUndefined();
  });

  it("outputs the TRTC event callback URL for the console", () => {
    expect(synth.stacks["recorder-prod"]!.output!.trtc_events_url!.value).toMatch(/^https:\/\/\$\{tencentcloud_api_gateway_service\.[^}]+\.outer_sub_domain\}\/release\/trtc-events$/);
  });
});

describe("observability", () => {
  it("logs both functions to a CLS topic, and alarms on errors/timeouts in prod only", () => {
    for (const [name, stack] of Object.entries(synth.stacks)) {
      const topic = only(resourcesOf(stack, "tencentcloud_cls_topic"), "topic");
      for (const fn of resourcesOf(stack, "tencentcloud_scf_function")) expect(fn.cls_topic_id).toBe(`\${tencentcloud_cls_topic.${topic.__name}.id}`);
      const alarms = resourcesOf(stack, "tencentcloud_monitor_alarm_policy");
      expect(alarms).toHaveLength(name === "recorder-prod" ? 1 : 0);
    }
    const policy = only(resourcesOf(synth.stacks["recorder-prod"]!, "tencentcloud_monitor_alarm_policy"), "alarm");
    const metrics = (policy.conditions as { rules: Array<{ metric_name: string }> }).rules.map((r) => r.metric_name);
    expect(metrics).toEqual(["Error", "Timeout"]);
  });
});
