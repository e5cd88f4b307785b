/**
 * `cdk.tf.json` as cdktf writes it: the one type every reader of a synthesized stack shares (the local cloud, the
 * review, the control-plane deploy, the tests). Terraform JSON is untyped, so readers narrow values where they use them.
 */
export type TfValue = string | number | boolean | null | TfValue[] | { [key: string]: TfValue };
export type TfBlock = { [key: string]: TfValue };

export interface TfJson {
  "//"?: TfValue;
  terraform?: TfBlock;
  provider?: Record<string, TfBlock[]>;
  resource?: Record<string, Record<string, TfBlock>>;
  data?: Record<string, Record<string, TfBlock>>;
  output?: Record<string, TfBlock & { value: TfValue }>;
  locals?: TfBlock;
  variable?: Record<string, TfBlock>;
}
