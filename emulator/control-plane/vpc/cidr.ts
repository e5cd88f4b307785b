// IPv4 CIDR arithmetic for the VPC rules: a VPC block is a private range (10/8, 172.16/12, 192.168/16) of size /12../28
// (VPC doc "网络规划"), a subnet lies inside its VPC's block and does not overlap a sibling.
import { Tc3ApiError } from "../../tc3/types";

export interface Cidr {
  base: number;
  bits: number;
  text: string;
}

export function parseCidr(text: string, field: string): Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const bits = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || bits > 32) throw new Tc3ApiError("InvalidParameterValue.Malformed", `${field} must be an IPv4 CIDR like 10.0.0.0/16 (got "${text}")`);
  const ip = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  if ((ip & mask) >>> 0 !== ip) throw new Tc3ApiError("InvalidParameterValue.Malformed", `${field} ${text} has host bits set (the network address is required)`);
  return { base: ip, bits, text };
}

const PRIVATE: Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((t) => parseCidr(t, "private range"));

export function contains(outer: Cidr, inner: Cidr): boolean {
  if (inner.bits < outer.bits) return false;
  const mask = outer.bits === 0 ? 0 : (0xffffffff << (32 - outer.bits)) >>> 0;
  return ((inner.base & mask) >>> 0) === outer.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

export function checkVpcCidr(c: Cidr): void {
  if (!PRIVATE.some((p) => contains(p, c)) || c.bits < 12 || c.bits > 28) {
    throw new Tc3ApiError("InvalidParameterValue.Range", `CidrBlock ${c.text} must be inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 with a mask of /12 to /28`);
  }
}

/** The `n`-th usable host address of a block (SCF/CFS need a plausible IP inside a subnet). */
export function hostAddress(c: Cidr, n: number): string {
  const ip = (c.base + 1 + (n % Math.max(1, 2 ** (32 - c.bits) - 3))) >>> 0;
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join(".");
}

/** Usable addresses: SCF/VPC reserve the network, gateway-side and broadcast addresses (3 per subnet). */
export function usableCount(c: Cidr): number {
  return Math.max(0, 2 ** (32 - c.bits) - 3);
}
