// The production DeliveryClock: real timers against a given `now` (the recorder's clock, which also set the
// deadline), so the soft stop and the hard stop measure the same time.
import type { DeliveryClock } from "./types";

export function realClock(now: () => number = Date.now): DeliveryClock {
  return {
    now,
    setTimer(atMs, fn) {
      const t = setTimeout(fn, Math.max(0, atMs - now()));
      return () => clearTimeout(t);
    },
  };
}
