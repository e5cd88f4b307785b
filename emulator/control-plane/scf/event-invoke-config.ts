// UpdateFunctionEventInvokeConfig / GetFunctionEventInvokeConfig: the async-invocation retry policy. The update has
// no Qualifier (it writes $LATEST); the read takes one, and a published version keeps the policy $LATEST had when it
// was published (it is part of what PublishVersion freezes).
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { optObject, optObjectArray, optString, reqString } from "../request-params";
import type { ScfDeps } from "./deps";
import type { AsyncTriggerConfig } from "./model";
import { namespaceOf } from "./store";

/** SCF's default: two retries, messages kept 6 hours (assumed from the async-invocation doc). */
export const DEFAULT_ASYNC_TRIGGER_CONFIG: AsyncTriggerConfig = { RetryConfig: [{ RetryNum: 2 }], MsgTTL: 21_600 };

export function eventInvokeConfigActions(deps: ScfDeps): Record<string, Tc3Handler> {
  const { store } = deps;
  return {
    UpdateFunctionEventInvokeConfig: (p) => {
      const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
      const cfg = optObject(p, "AsyncTriggerConfig");
      if (!cfg) throw new Tc3ApiError("MissingParameter", "The request is missing a required parameter `AsyncTriggerConfig`");
      const retry = (optObjectArray(cfg, "RetryConfig") ?? []).map((r, i) => {
        if (typeof r.RetryNum !== "number" || !Number.isInteger(r.RetryNum)) throw new Tc3ApiError("InvalidParameterValue.AsyncTriggerConfig", `AsyncTriggerConfig.RetryConfig[${i}].RetryNum must be an integer`);
        if (r.RetryNum < 0 || r.RetryNum > 2) throw new Tc3ApiError("LimitExceeded.RetryNum", `AsyncTriggerConfig.RetryConfig[${i}].RetryNum must be 0..2 (got ${r.RetryNum})`);
        return { RetryNum: r.RetryNum };
      });
      const ttl = cfg.MsgTTL;
      if (typeof ttl !== "number" || !Number.isInteger(ttl)) throw new Tc3ApiError("InvalidParameterValue.AsyncTriggerConfig", "AsyncTriggerConfig.MsgTTL must be an integer number of seconds");
      if (ttl < 60 || ttl > 21_600) throw new Tc3ApiError("LimitExceeded.MsgTTL", `AsyncTriggerConfig.MsgTTL must be 60..21600 seconds (got ${ttl})`);
      fn.latest.asyncTriggerConfig = { RetryConfig: retry, MsgTTL: ttl };
      store.save();
      return {};
    },
    GetFunctionEventInvokeConfig: (p) => {
      const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
      const version = store.resolveQualifier(fn, optString(p, "Qualifier"));
      const cfg = version === "$LATEST" ? fn.latest : store.requireVersion(fn, version).config;
      return { AsyncTriggerConfig: cfg.asyncTriggerConfig ?? DEFAULT_ASYNC_TRIGGER_CONFIG };
    },
  };
}
