import { Construct } from "constructs";
import { subnet, vpc } from "../provider/generated";
import { PropChecker } from "./prop-errors";

export interface NetworkProps {
  /** Prefix for resource names. */
  readonly name: string;
  /** Zone the subnet is created in (also the CFS zone). */
  readonly availabilityZone: string;
  /** CIDR of a new VPC. @default none: give either vpcCidr+subnetCidr or vpcId+subnetId */
  readonly vpcCidr?: string;
  /** CIDR of the subnet: required for a new VPC; for an existing subnet it scopes the CFS access rule. @default none */
  readonly subnetCidr?: string;
  /** An existing VPC to use instead of creating one. @default none */
  readonly vpcId?: string;
  /** An existing subnet in `vpcId`. @default none */
  readonly subnetId?: string;
  /** Tags for created resources. @default {} */
  readonly tags?: Record<string, string>;
}

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;

/** The VPC and subnet the functions (and CFS) live in: created from CIDRs, or adopted by id. */
export class Network extends Construct {
  readonly vpcId: string;
  readonly subnetId: string;
  /** The subnet's CIDR when known (always for a created subnet). */
  readonly subnetCidr?: string;
  /** True when this construct creates the VPC and subnet; false when it adopts existing ones by id. */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const c = new PropChecker("Network");
    const creating = props.vpcCidr !== undefined || props.vpcId === undefined;
    if (creating) {
      c.check(props.vpcId === undefined && props.subnetId === undefined, "vpcId", "unset when vpcCidr is given (create or adopt, not both)", props.vpcId);
      c.matches(props.vpcCidr ?? "", "vpcCidr", CIDR, "an IPv4 CIDR like 10.0.0.0/16");
      c.matches(props.subnetCidr ?? "", "subnetCidr", CIDR, "an IPv4 CIDR like 10.0.1.0/24");
      c.check(cidrContains(props.vpcCidr!, props.subnetCidr!), "subnetCidr", `inside vpcCidr ${props.vpcCidr}`, props.subnetCidr);
      const net = new vpc.Vpc(this, "vpc", { name: `${props.name}-vpc`, cidrBlock: props.vpcCidr!, tags: props.tags });
      const sub = new subnet.Subnet(this, "subnet", {
        name: `${props.name}-subnet`,
        vpcId: net.id,
        cidrBlock: props.subnetCidr!,
        availabilityZone: props.availabilityZone,
        tags: props.tags,
      });
      this.vpcId = net.id;
      this.subnetId = sub.id;
      this.subnetCidr = props.subnetCidr;
      this.created = true;
    } else {
      c.matches(props.vpcId ?? "", "vpcId", /^vpc-[a-z0-9]+$/, "an existing VPC id like vpc-abc123");
      c.matches(props.subnetId ?? "", "subnetId", /^subnet-[a-z0-9]+$/, "an existing subnet id like subnet-abc123 (required with vpcId)");
      if (props.subnetCidr !== undefined) c.matches(props.subnetCidr, "subnetCidr", CIDR, "an IPv4 CIDR like 10.0.1.0/24");
      this.vpcId = props.vpcId!;
      this.subnetId = props.subnetId!;
      this.subnetCidr = props.subnetCidr;
      this.created = false;
    }
  }
}

function toInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function cidrContains(outer: string, inner: string): boolean {
  const [oIp, oBits] = outer.split("/");
  const [iIp, iBits] = inner.split("/");
  if (Number(iBits) < Number(oBits)) return false;
  const mask = Number(oBits) === 0 ? 0 : (~0 << (32 - Number(oBits))) >>> 0;
  return ((toInt(oIp!) & mask) >>> 0) === ((toInt(iIp!) & mask) >>> 0);
}
