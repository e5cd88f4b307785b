// Messages the recorder sends itself through SCF Invoke (InvocationType "Event"). They carry an `action`, which
// the seed's request body never has, so they cannot be confused with a direct start.

export type InternalMessage =
  /** Function-URL ingress: recorder-api validated the request and chose the recording id; recorder starts it. */
  | { action: "start"; recordingId: string; request: unknown; client?: string }
  /** Run (or continue) delivery of a recording whose task ended. `lease` hands over the delivery lease. */
  | { action: "deliver"; recordingId: string; lease?: string; reason?: string }
  /** Run the watchdog now (operators; same as a timer tick). */
  | { action: "watchdog" };

export function parseInternalMessage(event: unknown): InternalMessage | undefined {
  if (typeof event !== "object" || event === null) return undefined;
  const e = event as Record<string, unknown>;
  const id = typeof e.recordingId === "string" ? e.recordingId : undefined;
  switch (e.action) {
    case "start": {
      if (id === undefined) return undefined;
      // `client`: the fingerprint of the client credential recorder-api authenticated (ownership of the recording).
      return typeof e.client === "string" ? { action: "start", recordingId: id, request: e.request, client: e.client } : { action: "start", recordingId: id, request: e.request };
    }
    case "deliver": {
      if (id === undefined) return undefined;
      const msg: InternalMessage = { action: "deliver", recordingId: id };
      if (typeof e.lease === "string") msg.lease = e.lease;
      if (typeof e.reason === "string") msg.reason = e.reason;
      return msg;
    }
    case "watchdog":
      return { action: "watchdog" };
    default:
      return undefined;
  }
}
