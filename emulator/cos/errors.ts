// A COS error as the service reports it: HTTP status plus the <Code> the SDK surfaces as err.code.
export class CosError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "CosError";
  }
}
