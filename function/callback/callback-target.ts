// Where a Callback may point. The recorder POSTs signed results to a caller-chosen URL from inside the deployment's
// network, so by default only public http(s) endpoints are reachable: loopback, link-local (the metadata service at
// 169.254.169.254 in every spelling), private, shared, unique-local, multicast, reserved and IPv4-mapped/translated
// IPv6 addresses are refused, and so are metadata host names, single-label names, userinfo and malformed authorities.
// WHATWG URL parsing turns `127.1`, `0x7f000001`, `2130706433` and `0251.0376.0251.0376` into dotted quads, so one
// range check covers every spelling. The name is checked again at connect time (guarded-fetch.ts): DNS may answer
// differently later. An environment allow-list (RECORDER_CALLBACK_HOSTS) replaces "any public host" with "these hosts".
import { BlockList, isIP } from "node:net";

export type TargetVerdict = { ok: true; url: URL; allowListed: boolean } | { ok: false; reason: string };

// Two lists: Node's BlockList also matches IPv4 addresses against IPv6 rules (as ::ffff:a.b.c.d), and the mapped and
// compatible ranges below would then deny every IPv4 address.
const DENIED_V4 = new BlockList();
const DENIED_V6 = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches the local host
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local: cloud metadata services
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved + broadcast
] as const) DENIED_V4.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["::", 96], // IPv4-compatible (deprecated)
  ["::ffff:0:0", 96], // IPv4-mapped: would reach the embedded IPv4 address
  ["64:ff9b::", 96], // NAT64
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo, …)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds an IPv4 address
  ["fc00::", 7], // unique local (fd00::/8 included)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) DENIED_V6.addSubnet(net, bits, "ipv6");

// Names that reach the host itself or a cloud's metadata service whatever DNS says.
const DENIED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata\.tencentyun\.com$/, /^metadata\.google\.internal$/, /\.internal$/, /\.local$/];

/** True when `ip` (an IPv4 or IPv6 literal without brackets) is a public unicast address. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return family === 4 ? !DENIED_V4.check(ip, "ipv4") : !DENIED_V6.check(ip, "ipv6");
}

/** The URL's host as written in an allow-list entry: `host` and `host:port` (default port filled in). */
function hostForms(url: URL): { host: string; hostPort: string } {
  const host = url.hostname.toLowerCase();
  const port = url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80";
  return { host, hostPort: `${host}:${port}` };
}

/** True when the URL's host (and port, if the entry names one) is on `allowHosts`. */
export function isAllowListed(url: URL, allowHosts: readonly string[]): boolean {
  const { host, hostPort } = hostForms(url);
  return allowHosts.some((entry) => entry === host || entry === hostPort);
}

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
}

/** Checks a Callback URL against the policy; the reason says what was wrong without repeating the URL. */
export function checkCallbackTarget(raw: string, allowHosts: readonly string[] = []): TargetVerdict {
  if (/[\s\\\u0000-\u001f\u007f]/.test(raw)) return { ok: false, reason: "the URL contains whitespace, control characters or backslashes" };
  // Exactly "scheme://" then the authority: `http:////host` and `https:host` are repaired silently by URL parsers.
  const m = /^(https?):\/\/([^/?#]*)/i.exec(raw);
  if (!m || m[2] === "") return { ok: false, reason: 'the URL must start with http:// or https:// followed by a host name' };
  if (m[2].includes("@")) return { ok: false, reason: "the URL must not carry a user name or password (userinfo)" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "the URL cannot be parsed" };
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "" || url.username !== "" || url.password !== "") {
    return { ok: false, reason: "the URL must be http(s) with a host and no userinfo" };
  }
  if (isAllowListed(url, allowHosts)) return { ok: true, url, allowListed: true };
  if (allowHosts.length > 0) return { ok: false, reason: "this deployment sends callbacks only to the hosts on its allow-list (RECORDER_CALLBACK_HOSTS)" };
  const host = bareHost(url);
  if (isIP(host) !== 0) {
    return isPublicAddress(host)
      ? { ok: true, url, allowListed: false }
      : { ok: false, reason: "the host is a loopback, private, link-local or otherwise non-public address" };
  }
  if (!host.includes(".") || DENIED_NAMES.some((re) => re.test(host))) {
    return { ok: false, reason: "the host is a local, internal or metadata name, not a public host name" };
  }
  return { ok: true, url, allowListed: false };
}
