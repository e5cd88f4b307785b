// Messages between the runtime and one function instance (a child process), over Node's IPC channel.

/** The SCF context fields (scf.md §1), minus getRemainingTimeInMillis which the child adds. */
export interface ContextFields {
  request_id: string;
  time_limit_in_ms: number;
  memory_limit_in_mb: number;
  function_name: string;
  function_version: string;
  namespace: string;
  tencentcloud_region: string;
  tencentcloud_appid: string;
  tencentcloud_uin: string;
  /** JSON string of the function's environment variables (credentials left out). */
  environment: string;
  /** The same as `K=V;K=V`. */
  environ: string;
}

export interface InvokeMessage {
  type: "invoke";
  /** Folder the code zip was unpacked into. */
  codeDir: string;
  /** `<file>.<export>`. */
  handler: string;
  /** JSON text of the event. */
  event: string;
  context: ContextFields;
  /** Epoch ms at which the runtime kills the instance; getRemainingTimeInMillis counts down to it. */
  deadlineMs: number;
}

export type ChildMessage =
  /** The handler module is loaded (the end of the cold start). */
  | { type: "loaded" }
  | { type: "result"; json: string }
  | { type: "error"; kind: "handler-not-found" | "load" | "user"; errorType: string; message: string; stack: string }
  | { type: "not-serialisable"; message: string };
