// Turns a synthesized cdk.tf.json into a LocalDeployment: every resource the local cloud serves, references
// resolved, zip paths made absolute. Resource kinds it does not model but that only matter in a real cloud (VPC,
// CAM, CLS, usage plans) are ignored; a shape it cannot serve faithfully (inline triggers, web functions, other
// backends) throws rather than being served differently from what was synthesized.
import type { LocalDeployment, LocalFunction, LocalFunctionUrl, LocalLayer, LocalRoute, LocalTimer, ApigwAuthType } from "../../emulator/deployment";
import type { ArtifactObjectResolver } from "./artifact-objects";
import { Fields } from "./fields";
import { ReferenceResolver, type LocalAccount } from "./references";
import { isBlock, resourcesOf, StackShapeError, type TfJson } from "./tf-json";

/** SCF's documented policy for failed asynchronous invocations when no event invoke config says otherwise. */
const DEFAULT_ASYNC_RETRIES = 2;

/** Terraform's meta-arguments: instructions to Terraform (ordering, conditions), not what the service is given. */
const META_ARGUMENTS = new Set(["//", "depends_on", "lifecycle", "provider", "count", "for_each"]);

function resolved(json: TfJson, resolver: ReferenceResolver, type: string): Fields[] {
  return resourcesOf(json, type).map(({ address, block }) => {
    const args = Object.fromEntries(Object.entries(block).filter(([k]) => !META_ARGUMENTS.has(k)));
    const value = resolver.resolve(args, address);
    if (!isBlock(value)) throw new StackShapeError(address, "(block)", "an object", value);
    return new Fields(address, value);
  });
}

/** The zip a function or layer takes from the artifact bucket (COS code is all our stacks use). */
function codeFromCos(f: Fields, artifacts: ArtifactObjectResolver): string {
  const bucket = f.optionalString("cos_bucket_name");
  const key = f.optionalString("cos_object_name");
  if (!bucket || !key || !f.optionalString("cos_bucket_region")) {
    throw new StackShapeError(f.address, "cos_bucket_name", "code from the artifact bucket (cos_bucket_name, cos_object_name, cos_bucket_region)", f.block.zip_file ?? f.block.cos_bucket_name);
  }
  return artifacts(bucket, key);
}

function readLayers(json: TfJson, resolver: ReferenceResolver, artifacts: ArtifactObjectResolver): LocalLayer[] {
  return resolved(json, resolver, "tencentcloud_scf_layer").map((f) => {
    const content = f.blocks("content")[0];
    if (!content) throw new StackShapeError(f.address, "content", "a content block", undefined);
    const version = resolver.resolve(`\${${f.address}.layer_version}`, f.address);
    return { address: f.address, name: f.string("layer_name"), version: Number(version), zipPath: codeFromCos(content, artifacts) };
  });
}

function readFunctions(json: TfJson, resolver: ReferenceResolver, artifacts: ArtifactObjectResolver, layers: LocalLayer[]): LocalFunction[] {
  const versions = resolved(json, resolver, "tencentcloud_scf_function_version");
  const aliases = resolved(json, resolver, "tencentcloud_scf_function_alias");
  const invokeConfigs = resolved(json, resolver, "tencentcloud_scf_function_event_invoke_config");
  return resolved(json, resolver, "tencentcloud_scf_function").map((f) => {
    if (f.block.triggers !== undefined) {
      throw new StackShapeError(f.address, "triggers", "no inline triggers (the local cloud serves tencentcloud_scf_trigger resources)", f.block.triggers);
    }
    const name = f.string("name");
    const namespace = f.string("namespace", "default");
    const codeZipPath = codeFromCos(f, artifacts);
    const ours = (g: Fields) => g.string("function_name") === name && g.string("namespace", "default") === namespace;
    const qualifiers = ["$LATEST", "$DEFAULT"];
    for (const v of versions.filter(ours)) qualifiers.push(String(resolver.resolve(`\${${v.address}.function_version}`, v.address)));
    for (const a of aliases.filter(ours)) qualifiers.push(a.string("name"));
    const config = invokeConfigs.find(ours);
    const retryNum = config?.blocks("async_trigger_config")[0]?.blocks("retry_config")[0]?.number("retry_num");
    return {
      address: f.address,
      name,
      namespace,
      handler: f.string("handler"),
      runtime: f.string("runtime", "Python2.7"),
      memoryMb: f.number("mem_size", 128),
      timeoutSeconds: f.number("timeout", 3),
      asyncRun: f.string("async_run_enable", "FALSE") === "TRUE",
      environment: f.stringMap("environment"),
      codeZipPath,
      layers: f.blocks("layers").map((l) => {
        const layerName = l.string("layer_name");
        const layerVersion = l.number("layer_version");
        const layer = layers.find((x) => x.name === layerName && x.version === layerVersion);
        if (!layer) throw new StackShapeError(l.address, "layer_name", `a layer of this stack (have: ${layers.map((x) => `${x.name}@${x.version}`).join(", ") || "none"})`, `${layerName}@${layerVersion}`);
        return layer;
      }),
      mounts: f.blocks("cfs_config").map((c) => ({
        fsId: c.string("cfs_id"),
        localMountDir: c.string("local_mount_dir"),
        remoteMountDir: c.string("remote_mount_dir"),
        userId: c.string("user_id"),
        userGroupId: c.string("user_group_id"),
      })),
      qualifiers,
      asyncRetries: retryNum ?? DEFAULT_ASYNC_RETRIES,
      asyncRetriesSource: retryNum === undefined ? "platform-default" : "event-invoke-config",
    };
  });
}

function readRoutes(json: TfJson, resolver: ReferenceResolver): LocalRoute[] {
  const releases = resolved(json, resolver, "tencentcloud_api_gateway_service_release");
  const routes: LocalRoute[] = [];
  for (const f of resolved(json, resolver, "tencentcloud_api_gateway_api")) {
    const backend = f.string("service_config_type");
    if (backend !== "SCF") throw new StackShapeError(f.address, "service_config_type", '"SCF" (other backends are not modelled locally)', backend);
    const fnType = f.string("service_config_scf_function_type", "EVENT");
    if (fnType !== "EVENT") throw new StackShapeError(f.address, "service_config_scf_function_type", '"EVENT" (web functions are not modelled locally)', fnType);
    const auth = f.string("auth_type", "NONE");
    if (auth !== "NONE" && auth !== "SECRET") throw new StackShapeError(f.address, "auth_type", '"NONE" or "SECRET" (OAUTH/APP are not modelled locally)', auth);
    const protocol = f.string("protocol", "HTTP");
    if (protocol !== "HTTP") throw new StackShapeError(f.address, "protocol", '"HTTP"', protocol);
    const serviceId = f.string("service_id");
    // An API is reachable only in the environments its service was released to (unreleased changes are invisible).
    for (const release of releases.filter((r) => r.string("service_id") === serviceId)) {
      routes.push({
        address: f.address,
        apiName: f.string("api_name"),
        serviceId,
        stage: release.string("environment_name"),
        method: f.string("request_config_method", "GET").toUpperCase(),
        path: f.string("request_config_path"),
        authType: auth as ApigwAuthType,
        functionName: f.string("service_config_scf_function_name"),
        namespace: f.string("service_config_scf_function_namespace", "default"),
        qualifier: f.string("service_config_scf_function_qualifier", "$LATEST"),
        integratedResponse: f.boolean("service_config_scf_is_integrated_response", false),
        timeoutSeconds: f.number("service_config_timeout", 5),
        parameters: f.blocks("request_parameters").map((p) => {
          const position = p.string("position");
          if (position !== "PATH" && position !== "QUERY" && position !== "HEADER") throw new StackShapeError(p.address, "position", "PATH, QUERY or HEADER", position);
          return { name: p.string("name"), position, required: p.boolean("required", false) };
        }),
      });
    }
  }
  return routes;
}

function readTriggers(json: TfJson, resolver: ReferenceResolver): { timers: LocalTimer[]; functionUrls: LocalFunctionUrl[] } {
  const timers: LocalTimer[] = [];
  const functionUrls: LocalFunctionUrl[] = [];
  for (const f of resolved(json, resolver, "tencentcloud_scf_trigger")) {
    const type = f.string("type");
    const common = {
      address: f.address,
      // An http trigger (function URL) is configured without a name (the provider refuses one); SCF names it itself.
      triggerName: type === "http" ? f.optionalString("trigger_name") ?? "function-url" : f.string("trigger_name"),
      functionName: f.string("function_name"),
      namespace: f.string("namespace", "default"),
      qualifier: f.string("qualifier", "$LATEST"),
    };
    if (type === "timer") {
      timers.push({ ...common, cron: f.string("trigger_desc"), customArgument: f.string("custom_argument", ""), enabled: f.string("enable", "OPEN") === "OPEN" });
    } else if (type === "http") {
      let desc: { AuthType?: unknown };
      try {
        desc = JSON.parse(f.string("trigger_desc", "{}")) as { AuthType?: unknown };
      } catch {
        throw new StackShapeError(f.address, "trigger_desc", "JSON", f.block.trigger_desc);
      }
      functionUrls.push({ ...common, authType: typeof desc.AuthType === "string" ? desc.AuthType : "NONE" });
    } else {
      throw new StackShapeError(f.address, "type", '"timer" or "http" (other triggers are not modelled locally)', type);
    }
  }
  return { timers, functionUrls };
}

export function readDeployment(json: TfJson, stackName: string, stackDir: string, account: LocalAccount, artifacts: ArtifactObjectResolver): LocalDeployment {
  const resolver = new ReferenceResolver(json, account);
  const provider = json.provider?.tencentcloud?.[0];
  const region = provider && typeof provider.region === "string" ? provider.region : undefined;
  if (!region) throw new StackShapeError(`${stackName} provider.tencentcloud`, "region", "a region", provider?.region);
  const layers = readLayers(json, resolver, artifacts);
  return {
    stackName,
    stackDir,
    region,
    account: { appId: account.appId, uin: account.uin },
    functions: readFunctions(json, resolver, artifacts, layers),
    routes: readRoutes(json, resolver),
    ...readTriggers(json, resolver),
    buckets: resolved(json, resolver, "tencentcloud_cos_bucket").map((f) => ({ name: f.string("bucket"), region })),
    kmsKeys: resolved(json, resolver, "tencentcloud_kms_key").map((f) => ({
      keyId: String(resolver.resolve(`\${${f.address}.id}`, f.address)),
      alias: f.optionalString("alias"),
    })),
  };
}
