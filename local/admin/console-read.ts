// The console's own status reads (GET /recordings/{id}?via=local-console) are invocations of recorder-api like any
// other; this marker lets live views, the log view and the scenario's terminal printer leave them out.
import type { InvocationRecord } from "../../emulator/scf/invocation-log";

export const CONSOLE_READ_QUERY = "via=local-console";

/** A status read the console made itself. */
export function isConsoleRead(r: InvocationRecord): boolean {
  return r.event.includes(CONSOLE_READ_QUERY) || r.event.includes('"via":"local-console"');
}
