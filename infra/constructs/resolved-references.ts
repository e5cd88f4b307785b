import type { IConstruct } from "constructs";
import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";

/**
 * `value` with every cdktf token resolved to the string Terraform will see (`${tencentcloud_vpc.network_vpc_….id}`).
 * Those strings depend only on construct paths, so a hash of the result changes exactly when the configuration does
 * (version keys, the API Gateway release's description).
 */
export function resolvedReferences(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) }) as unknown;
}
