// The invocation results SCF reports for failures (scf.md §1 and §8): status codes and the error object shape
// `{errorCode, errorMessage, stackTrace, requestId, statusCode}`.

export interface ScfErrorResult {
  errorCode: number;
  errorMessage: string;
  stackTrace?: string;
  requestId: string;
  statusCode: number;
}

export const SCF_STATUS = {
  ok: 200,
  userException: 430,
  resourceLimit: 432,
  timeLimit: 433,
  memoryLimit: 434,
  functionNotFound: 435,
  handlerNotFound: 437,
  processExit: 439,
  qualifierNotFound: 442,
} as const;

export function scfError(statusCode: number, requestId: string, errorMessage: string, stackTrace?: string): ScfErrorResult {
  return { errorCode: -1, errorMessage, ...(stackTrace ? { stackTrace } : {}), requestId, statusCode };
}
