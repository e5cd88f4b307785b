// Projects what API Gateway has *released* into the routes the local ingress serves (emulator/ingress/apigw-server.ts),
// the same LocalRoute shape local/stack/read-deployment.ts derives from a synthesized stack. Drafts that were never
// released are invisible, as on the real gateway; APIs the local ingress cannot play are reported, not served.
import type { ApigwAuthType, LocalRoute } from "../../deployment";
import type { ApigwState, ApiRecord } from "./model";
import { ENVIRONMENTS } from "./model";

export interface ReleasedRoutes {
  routes: LocalRoute[];
  /** APIs left out, with the reason. */
  warnings: string[];
}

function unplayable(f: Record<string, unknown>): string | undefined {
  if (f.ServiceType !== "SCF") return `backend ${String(f.ServiceType)} (only SCF is modelled locally)`;
  if (f.ServiceScfFunctionType && f.ServiceScfFunctionType !== "EVENT") return `SCF function type ${String(f.ServiceScfFunctionType)} (only EVENT is modelled locally)`;
  if (f.AuthType !== "NONE" && f.AuthType !== "SECRET") return `auth type ${String(f.AuthType)} (only NONE and SECRET are modelled locally)`;
  if (f.Protocol !== "HTTP") return `protocol ${String(f.Protocol)} (only HTTP is modelled locally)`;
  return undefined;
}

function toRoute(serviceId: string, stage: string, api: ApiRecord): LocalRoute {
  const f = api.fields;
  const rc = f.RequestConfig as { Path: string; Method: string };
  const parameters = (f.RequestParameters as Array<{ Name: string; Position: string; Required?: boolean }>).flatMap((p) => {
    const position = String(p.Position).toUpperCase();
    return position === "PATH" || position === "QUERY" || position === "HEADER" ? [{ name: p.Name, position: position as "PATH" | "QUERY" | "HEADER", required: p.Required === true }] : [];
  });
  return {
    address: `apigw:${serviceId}/${api.apiId}`,
    apiName: String(f.ApiName),
    serviceId,
    stage,
    method: rc.Method,
    path: rc.Path,
    authType: f.AuthType as ApigwAuthType,
    functionName: String(f.ServiceScfFunctionName),
    namespace: String(f.ServiceScfFunctionNamespace || "default"),
    qualifier: String(f.ServiceScfFunctionQualifier || "$LATEST"),
    integratedResponse: f.ServiceScfIsIntegratedResponse === true,
    timeoutSeconds: Number(f.ServiceTimeout),
    parameters,
  };
}

export function releasedRoutes(state: ApigwState): ReleasedRoutes {
  const routes: LocalRoute[] = [];
  const warnings: string[] = [];
  for (const s of Object.values(state.services)) {
    for (const stage of ENVIRONMENTS) {
      const version = s.online[stage];
      const release = version ? s.history[stage]?.find((r) => r.versionName === version) : undefined;
      for (const api of release?.apis ?? []) {
        const why = unplayable(api.fields);
        if (why) warnings.push(`API ${api.apiId} (${String(api.fields.ApiName)}) of ${s.serviceId}/${stage} is not served locally: ${why}`);
        else routes.push(toRoute(s.serviceId, stage, api));
      }
    }
  }
  return { routes, warnings };
}
