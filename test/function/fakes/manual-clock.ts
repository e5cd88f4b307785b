// The recorder's Clock for unit tests: time moves only when the code under test sleeps, and every sleep is kept.
import type { Clock } from "../../../function/recording/deps";

export class ManualClock implements Clock {
  constructor(public ms: number) {}
  readonly sleeps: number[] = [];
  now = () => this.ms;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.ms += ms;
  };
}
