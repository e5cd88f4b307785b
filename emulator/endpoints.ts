// How tests point the real SDKs at the doubles without changing what they sign: the API 3.0 SDK keeps its real
// endpoint name (so Host and the signing scope are the real service) and only the socket is rerouted; COS keeps its
// virtual-hosted Host and connects to `Ip`. Production has its own equivalent in function/.
import { Agent } from "node:http";
import { createConnection } from "node:net";

/** A keep-alive agent whose every connection goes to the double at `hostPort` ("127.0.0.1:<port>"). */
export function tc3AgentFor(hostPort: string): Agent {
  const m = /^(.+):(\d+)$/.exec(hostPort);
  if (!m) throw new Error(`tc3AgentFor: hostPort must be "<host>:<port>" (got "${hostPort}")`);
  const [, host, port] = m;
  const agent = new Agent({ keepAlive: true });
  // Returning the socket synchronously is enough: http.Agent uses the returned socket (its callback is a fallback).
  agent.createConnection = () => createConnection({ host, port: Number(port) });
  return agent;
}

/** cos-nodejs-sdk-v5 constructor options that send every request to the double at `hostPort`. */
export function cosOptionsFor(hostPort: string): { Protocol: "http:"; Ip: string } {
  return { Protocol: "http:", Ip: hostPort };
}
