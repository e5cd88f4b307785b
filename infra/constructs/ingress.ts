import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { apiGatewayApi, apiGatewayService, apiGatewayServiceRelease, apiGatewayUsagePlan, apiGatewayUsagePlanAttachment, scfTrigger } from "../provider/generated";
import type { DeployedFunction } from "./recorder-function";
import { PropChecker } from "./prop-errors";
import { resolvedReferences } from "./resolved-references";

export type IngressKind = "apigw" | "function-url";

export interface IngressProps {
  /** Prefix for names. */
  readonly name: string;
  /** API Gateway (the seed's choice), or an SCF function URL (API Gateway's end of service was announced for 2025-06-30). @default "apigw" */
  readonly kind?: IngressKind;
  /** The async recorder (POST /record). */
  readonly recorder: DeployedFunction;
  /** The sync recorder-api (status, stop, TRTC events). */
  readonly api: DeployedFunction;
  /**
   * Require authentication on the client routes (/record, /recordings/{id}). API Gateway: key-pair auth (SECRET) with a
   * usage plan; function URL: a bearer API key the recorder-api checks against its runtime secret. /trtc-events is
   * always authenticated by TRTC's Sign header instead. @default true
   */
  readonly auth?: boolean;
  /** Why auth may be off; required when auth is false (and the synth warns). @default none */
  readonly authOptOutReason?: string;
  /** API Gateway environment the service is released to. @default "release" */
  readonly stage?: "release" | "prepub" | "test";
  /** Seconds API Gateway waits for recorder-api. @default 10 */
  readonly backendTimeoutSeconds?: number;
}

export interface RouteSpec {
  method: "POST" | "GET" | "DELETE";
  path: string;
  target: "recorder" | "api";
  integratedResponse: boolean;
  auth: boolean;
}

/** The routes, shared by both ingress kinds and by the local cloud. */
export function recorderRoutes(auth: boolean): RouteSpec[] {
  return [
    // Exactly the seed: async function, integration response off → "Async run task submitted" + x-scf-reqid.
    { method: "POST", path: "/record", target: "recorder", integratedResponse: false, auth },
    { method: "GET", path: "/recordings/{id}", target: "api", integratedResponse: true, auth },
    { method: "DELETE", path: "/recordings/{id}", target: "api", integratedResponse: true, auth },
    { method: "POST", path: "/trtc-events", target: "api", integratedResponse: true, auth: false },
  ];
}

/** JSON with sorted keys and no spaces: how the provider's Read re-marshals an http trigger's trigger_desc. */
export function canonicalJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sorted(value));
}

/** The public entry: API Gateway in front of both functions, or a function URL on recorder-api. */
export class Ingress extends Construct {
  /** Base URL expression of the client routes. */
  readonly baseUrl: string;
  /** URL to paste in the TRTC console as the event callback. */
  readonly trtcEventsUrl: string;
  readonly kind: IngressKind;
  readonly auth: boolean;
  /** Function URL only: the trigger's attributes as SCF returns them (JSON text). */
  readonly triggerAttribute?: string;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const c = new PropChecker("Ingress");
    const kind = props.kind ?? "apigw";
    c.check(kind === "apigw" || kind === "function-url", "kind", '"apigw" or "function-url"', kind);
    const auth = props.auth ?? true;
    if (!auth) {
      c.check((props.authOptOutReason ?? "").trim().length > 0, "authOptOutReason", "a reason when auth is false (anyone could start recordings)", props.authOptOutReason);
      Annotations.of(this).addWarning(`Ingress: client routes are unauthenticated (${props.authOptOutReason}); anyone who finds the URL can start and stop recordings`);
    }
    if (auth && kind === "apigw") {
      // Said plainly at every synth: the gateway's key-pair signature does not cover what an attacker would change.
      Annotations.of(this).addWarning(
        "Ingress: API Gateway key-pair auth signs only the x-date and source headers, not the method, path or body: a captured set of signed headers can be replayed for 15 minutes on any route with any body. Prefer the function-URL ingress with bearer API keys over TLS (docs/security.md)",
      );
    }
    const stage = props.stage ?? "release";
    c.check(["release", "prepub", "test"].includes(stage), "stage", '"release", "prepub" or "test"', stage);
    const backendTimeout = props.backendTimeoutSeconds ?? 10;
    c.intRange(backendTimeout, "backendTimeoutSeconds", 1, 60);
    this.kind = kind;
    this.auth = auth;

    if (kind === "function-url") {
      const trigger = new scfTrigger.ScfTrigger(this, "function-url", {
        functionName: props.api.resource.name,
        namespace: props.api.namespace,
        // No trigger_name: the provider refuses it for type "http" at create (resource_tc_scf_trigger.go).
        type: "http",
        qualifier: props.api.qualifier,
        // Platform auth stays off so TRTC can post events; recorder-api authenticates clients itself (see docs).
        // Written the way Read gives it back (sorted keys, no spaces), so the next plan is empty.
        triggerDesc: canonicalJson({ AuthType: "NONE", NetConfig: { EnableExtranet: true, EnableIntranet: false } }),
        enable: "OPEN",
        dependsOn: [props.api.alias],
      });
      // The documented TriggerDesc of an http trigger carries no URL, and no attribute of the provider exposes it; the
      // trigger's attributes as SCF returns them are the output, and the URL is read in the console or with
      // ListTriggers (docs/operations.md). Empty here means "look it up", never a made-up address.
      this.baseUrl = "";
      this.trtcEventsUrl = "";
      this.triggerAttribute = trigger.triggerAttribute;
      return;
    }

    const service = new apiGatewayService.ApiGatewayService(this, "service", {
      serviceName: props.name.replace(/-/g, "_"),
      serviceDesc: "TRTC mix recorder",
      protocol: "http&https",
      netType: ["OUTER"],
    });
    const apis = recorderRoutes(auth).map((route) => {
      const fn = route.target === "recorder" ? props.recorder : props.api;
      const slug = `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, "").replace(/\//g, "-")}`;
      return new apiGatewayApi.ApiGatewayApi(this, slug, {
        serviceId: service.id,
        apiName: slug.replace(/-/g, "_"),
        apiDesc: `${route.method} ${route.path} → ${fn.name}`,
        protocol: "HTTP",
        requestConfigPath: route.path,
        requestConfigMethod: route.method,
        authType: route.auth ? "SECRET" : "NONE",
        enableCors: false,
        ...(route.path.includes("{id}") ? { requestParameters: [{ name: "id", position: "PATH", type: "string", required: true, desc: "recording id (x-scf-reqid)" }] } : {}),
        serviceConfigType: "SCF",
        serviceConfigScfFunctionName: fn.resource.name,
        serviceConfigScfFunctionNamespace: fn.namespace,
        serviceConfigScfFunctionQualifier: fn.qualifier,
        serviceConfigScfFunctionType: "EVENT",
        serviceConfigScfIsIntegratedResponse: route.integratedResponse,
        serviceConfigTimeout: backendTimeout,
        // The API targets the alias by name; it must exist before the gateway binds it.
        dependsOn: [fn.alias],
      });
    });
    // A release publishes only on create; hashing every API's whole configuration (routes, auth, backends, function
    // names, qualifiers, timeouts, parameters; references resolved to stable addresses) into release_desc (ForceNew)
    // republishes whenever anything a route serves changes. The provider unreleases before it releases again.
    const definition = createHash("sha256")
      .update(JSON.stringify(resolvedReferences(this, apis.map((a) => a.toTerraform()))))
      .digest("hex")
      .slice(0, 12);
    new apiGatewayServiceRelease.ApiGatewayServiceRelease(this, "release", {
      serviceId: service.id,
      environmentName: stage,
      releaseDesc: `recorder routes ${definition}`,
      dependsOn: apis,
    });
    if (auth) {
      // Keys are created and bound by the operator (docs/operations.md): a key secret in Terraform state is a leak.
      const plan = new apiGatewayUsagePlan.ApiGatewayUsagePlan(this, "client-plan", {
        usagePlanName: `${props.name.replace(/-/g, "_")}_clients`,
        usagePlanDesc: "API keys of recording clients",
        maxRequestNumPreSec: 100,
      });
      new apiGatewayUsagePlanAttachment.ApiGatewayUsagePlanAttachment(this, "client-plan-attachment", {
        usagePlanId: plan.id,
        serviceId: service.id,
        environment: stage,
        bindType: "SERVICE",
      });
    }
    this.baseUrl = `https://${service.outerSubDomain}/${stage}`;
    this.trtcEventsUrl = `${this.baseUrl}/trtc-events`;
  }
}
