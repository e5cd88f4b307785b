// A function's log file that rotates: when it passes `maxBytes`, it becomes `<file>.1` (the previous `.1` is dropped)
// and a new file starts. A burst of chatty invocations then costs at most twice `maxBytes` of disk.
import { appendFileSync, existsSync, renameSync, statSync } from "node:fs";

export class RotatingLog {
  private size: number;

  constructor(
    private readonly file: string,
    private readonly maxBytes = 16 * 1024 * 1024,
  ) {
    this.size = existsSync(file) ? statSync(file).size : 0;
  }

  append(text: string): void {
    if (this.size >= this.maxBytes) {
      renameSync(this.file, `${this.file}.1`);
      this.size = 0;
    }
    appendFileSync(this.file, text);
    this.size += Buffer.byteLength(text);
  }
}
