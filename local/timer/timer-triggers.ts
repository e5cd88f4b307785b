// Fires the stack's timer triggers as SCF does: an asynchronous invocation with
// `{"Type":"Timer","TriggerName":..,"Time":"<ISO, seconds>","Message":<custom_argument>}`. `speed` runs the schedule
// faster than the wall clock (speed 60: the every-minute watchdog fires every second), with the event's Time in the
// schedule's own (virtual) time. SCF evaluates cron in China Standard Time (UTC+8), so does this.
import type { ScfRuntime } from "../../emulator/scf/runtime";
import type { LocalTimer } from "../../emulator/deployment";
import { nextFire, parseCron, type CronSchedule } from "./cron";

export interface TimerOptions {
  timers: LocalTimer[];
  runtime: ScfRuntime;
  /** Schedule time per wall-clock time. @default 1 */
  speed?: number;
  /** @default Date.now */
  now?: () => number;
  /** Minutes east of UTC the cron is evaluated in. @default 480 (UTC+8) */
  offsetMinutes?: number;
  /** Called for every fire (the CLI prints it). */
  onFire?: (timer: LocalTimer, requestId: string, scheduledMs: number) => void;
}

export interface TimerScheduler {
  /** Fires a trigger now, outside its schedule (tests, `--keep` users). */
  fireNow(triggerName: string): string;
  /** The next scheduled (virtual) time of each enabled trigger. */
  nextFires(): Array<{ triggerName: string; atMs: number | undefined }>;
  stop(): void;
}

export function timerEvent(timer: LocalTimer, scheduledMs: number): Record<string, unknown> {
  return { Type: "Timer", TriggerName: timer.triggerName, Time: new Date(scheduledMs).toISOString().replace(/\.\d{3}Z$/, "Z"), Message: timer.customArgument };
}

export function startTimers(opts: TimerOptions): TimerScheduler {
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new Error(`startTimers: speed must be > 0 (got ${speed})`);
  const now = opts.now ?? Date.now;
  const origin = now();
  const virtualNow = () => origin + (now() - origin) * speed;
  const handles = new Map<string, NodeJS.Timeout>();
  const scheduled = new Map<string, number | undefined>();
  const enabled = opts.timers.filter((t) => t.enabled);
  const schedules = new Map<string, CronSchedule>(enabled.map((t) => [t.triggerName, parseCron(t.cron)]));
  let stopped = false;

  const fire = (timer: LocalTimer, scheduledMs: number): string => {
    const { requestId } = opts.runtime.invokeAsync({
      functionName: timer.functionName,
      namespace: timer.namespace,
      qualifier: timer.qualifier,
      event: timerEvent(timer, scheduledMs),
      trigger: "timer",
    });
    opts.onFire?.(timer, requestId, scheduledMs);
    return requestId;
  };

  const arm = (timer: LocalTimer) => {
    if (stopped) return;
    const at = nextFire(schedules.get(timer.triggerName) as CronSchedule, virtualNow(), opts.offsetMinutes ?? 480);
    scheduled.set(timer.triggerName, at);
    if (at === undefined) return;
    const handle = setTimeout(() => {
      fire(timer, at);
      arm(timer);
    }, Math.max(0, (at - virtualNow()) / speed));
    // A pending watchdog must not keep a finished test process alive.
    handle.unref();
    handles.set(timer.triggerName, handle);
  };
  for (const t of enabled) arm(t);

  return {
    fireNow(triggerName) {
      const timer = opts.timers.find((t) => t.triggerName === triggerName);
      if (!timer) throw new Error(`no timer trigger "${triggerName}" (have: ${opts.timers.map((t) => t.triggerName).join(", ") || "none"})`);
      return fire(timer, virtualNow());
    },
    nextFires: () => enabled.map((t) => ({ triggerName: t.triggerName, atMs: scheduled.get(t.triggerName) })),
    stop() {
      stopped = true;
      for (const h of handles.values()) clearTimeout(h);
    },
  };
}
