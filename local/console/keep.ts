// `--keep` for both ways of running the local cloud (`npm start`, `npm run deploy:local`): the console next to the
// kept cloud, found by `npm run room` through the discovery file, and the wait for Ctrl-C.
import { DEFAULT_DISCOVERY_FILE } from "../admin/discovery";
import type { LocalCloud } from "../cloud";
import type { ScenarioOptions } from "../scenario/options";
import { startConsole, type LocalConsole } from "./server";

/** The console's usual port; the next free one is used when it is taken. */
export const CONSOLE_PORT = 4780;

/** Starts the console on the scenario's room and prints its URL with `print`. */
export async function startKeptConsole(cloud: LocalCloud, scenario: ScenarioOptions, print: (line: string) => void): Promise<LocalConsole> {
  const room = scenario.strRoomId ? `str:${scenario.strRoomId}` : String(scenario.roomId);
  const web = await startConsole(cloud, { port: CONSOLE_PORT, discoveryFile: DEFAULT_DISCOVERY_FILE, defaultRoom: room });
  print(`  console  ${web.url}  (admin API ${web.adminUrl}; drive rooms with \`npm run room -- join anchor_4 --color cyan --tone 1300\`)`);
  return web;
}

// Ctrl-C reaches both tsx and this process (tsx relays it too): the first signal starts the shutdown, later ones are
// ignored so the local cloud's cleanup (instances, servers, the state folder) always runs to the end.
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    let seen = false;
    const onSignal = () => {
      if (!seen) console.log("\nstopping the local cloud…");
      seen = true;
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
