// SCF timer trigger events: `{"Type":"Timer","TriggerName":"...","Time":"2019-02-21T11:49:00Z","Message":"..."}`.

export interface TimerEvent {
  triggerName: string;
  /** The scheduled time (ISO text as sent). */
  time: string;
  message: string;
}

export function parseTimerEvent(event: unknown): TimerEvent | undefined {
  if (typeof event !== "object" || event === null) return undefined;
  const e = event as Record<string, unknown>;
  if (e.Type !== "Timer") return undefined;
  return {
    triggerName: typeof e.TriggerName === "string" ? e.TriggerName : "",
    time: typeof e.Time === "string" ? e.Time : "",
    message: typeof e.Message === "string" ? e.Message : "",
  };
}
