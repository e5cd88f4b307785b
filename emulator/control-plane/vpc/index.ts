// VPC 2017-03-12 control plane: what tencentcloud_vpc and tencentcloud_subnet call (CreateVpc, DescribeVpcs,
// ModifyVpcAttribute, DeleteVpc, CreateSubnet, DescribeSubnets, ModifySubnetAttribute, DeleteSubnet,
// DescribeRouteTables, ReplaceRouteTableAssociation; vpc/service_tencentcloud_vpc.go), plus a lookup SCF and CFS use
// to check that a subnet belongs to the VPC they are given.
import { Tc3ApiError, type Tc3ServiceDef } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import { newId } from "../ids";
import { persistedState } from "../persisted-state";
import { beijingTime, optBool, optObjectArray, optString, optStringArray, reqString } from "../request-params";
import { checkVpcCidr, contains, overlaps, parseCidr, usableCount } from "./cidr";
import { applyFilters, pageOf } from "./filters";
import type { SubnetRecord, VpcRecord, VpcState } from "./model";

export type { VpcState, VpcRecord, SubnetRecord } from "./model";

export interface VpcControlService extends Tc3ServiceDef {
  state(): VpcState;
  /**
   * Registers who else holds network interfaces in subnets (SCF functions, CFS mount targets): a subnet they use
   * cannot be deleted ("ResourceInUse", 资源被占用), as on the real VPC.
   */
  addSubnetUsers(users: (subnetId: string) => string[]): void;
  vpcExists(vpcId: string): boolean;
  vpcOfSubnet(subnetId: string): string | undefined;
  subnetCidr(subnetId: string): string | undefined;
}

const MAX_VPCS = 20;

function tagList(p: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of optObjectArray(p, "Tags") ?? []) {
    if (typeof t.Key !== "string" || typeof t.Value !== "string") throw new Tc3ApiError("InvalidParameterValue.Malformed", `Tags[] must be {Key: string, Value: string} (got ${JSON.stringify(t)})`);
    out[t.Key] = t.Value;
  }
  return out;
}

/** "true"/"false" strings (CreateVpc.EnableMulticast, ModifySubnetAttribute.EnableBroadcast) or booleans. */
function flag(p: Record<string, unknown>, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (v === "true" || v === true) return true;
  if (v === "false" || v === false) return false;
  throw new Tc3ApiError("InvalidParameterValue.Malformed", `${name} must be "true" or "false" (got ${JSON.stringify(v)})`);
}

export function vpcControlService(ctx: ControlPlaneContext): VpcControlService {
  const persisted = persistedState<VpcState>(ctx.stateDir, "vpc", () => ({ vpcs: [], subnets: [], routeTables: [] }));
  const s = () => persisted.data;
  const now = () => beijingTime(ctx.now());
  const vpcTag = (id: string) => `qcs::vpc:${ctx.region}:uin/:vpc/${id}`;
  const subnetTag = (id: string) => `qcs::vpc:${ctx.region}:uin/:subnet/${id}`;
  const taken = (id: string) => s().vpcs.some((v) => v.id === id) || s().subnets.some((x) => x.id === id) || s().routeTables.some((r) => r.id === id);
  const requireVpc = (id: string): VpcRecord => {
    const v = s().vpcs.find((x) => x.id === id);
    if (!v) throw new Tc3ApiError("ResourceNotFound", `VPC ${id} does not exist`);
    return v;
  };
  const requireSubnet = (id: string): SubnetRecord => {
    const x = s().subnets.find((y) => y.id === id);
    if (!x) throw new Tc3ApiError("ResourceNotFound", `Subnet ${id} does not exist`);
    return x;
  };
  const subnetUsers: Array<(subnetId: string) => string[]> = [];
  const tagSet = (resource: string) => Object.entries(ctx.tags.tagsOf(resource)).map(([Key, Value]) => ({ Key, Value }));

  const vpcView = (v: VpcRecord) => ({
    VpcName: v.name,
    VpcId: v.id,
    CidrBlock: v.cidr,
    IsDefault: false,
    EnableMulticast: v.enableMulticast,
    CreatedTime: v.createdTime,
    DnsServerSet: v.dnsServers,
    DomainName: "",
    DhcpOptionsId: "",
    EnableDhcp: true,
    Ipv6CidrBlock: "",
    TagSet: tagSet(vpcTag(v.id)),
    AssistantCidrSet: [],
    EnableRouteVpcPublish: v.enableRouteVpcPublish,
    EnableRouteVpcPublishIpv6: v.enableRouteVpcPublishIpv6,
  });
  const subnetView = (x: SubnetRecord) => {
    const cidr = parseCidr(x.cidr, "CidrBlock");
    return {
      VpcId: x.vpcId,
      SubnetId: x.id,
      SubnetName: x.name,
      CidrBlock: x.cidr,
      IsDefault: false,
      EnableBroadcast: x.enableBroadcast,
      Zone: x.zone,
      RouteTableId: x.routeTableId,
      CreatedTime: x.createdTime,
      AvailableIpAddressCount: usableCount(cidr),
      TotalIpAddressCount: usableCount(cidr),
      Ipv6CidrBlock: "",
      NetworkAclId: "",
      IsRemoteVpcSnat: false,
      TagSet: tagSet(subnetTag(x.id)),
      // The provider dereferences CdcId unconditionally (DescribeSubnets in service_tencentcloud_vpc.go).
      CdcId: x.cdcId,
      IsCdcSubnet: 0,
    };
  };

  return {
    service: "vpc",
    version: "2017-03-12",
    state: s,
    addSubnetUsers: (users) => {
      subnetUsers.push(users);
    },
    vpcExists: (id) => s().vpcs.some((v) => v.id === id),
    vpcOfSubnet: (id) => s().subnets.find((x) => x.id === id)?.vpcId,
    subnetCidr: (id) => s().subnets.find((x) => x.id === id)?.cidr,
    actions: {
      CreateVpc: (p) => {
        const name = reqString(p, "VpcName");
        if (name.length > 60) throw new Tc3ApiError("InvalidParameterValue.TooLong", `VpcName must be at most 60 characters (got ${name.length})`);
        const cidr = parseCidr(reqString(p, "CidrBlock"), "CidrBlock");
        checkVpcCidr(cidr);
        if (s().vpcs.length >= MAX_VPCS) throw new Tc3ApiError("LimitExceeded", `A region holds at most ${MAX_VPCS} VPCs`);
        const dns = optStringArray(p, "DnsServers") ?? ["183.60.83.19", "183.60.82.98"];
        if (dns.length > 4) throw new Tc3ApiError("InvalidParameterValue.Range", `DnsServers takes at most 4 addresses (got ${dns.length})`);
        const v: VpcRecord = {
          id: newId("vpc", taken),
          name,
          cidr: cidr.text,
          enableMulticast: flag(p, "EnableMulticast") ?? false,
          dnsServers: dns,
          enableRouteVpcPublish: optBool(p, "EnableRouteVpcPublish") ?? false,
          enableRouteVpcPublishIpv6: optBool(p, "EnableRouteVpcPublishIpv6") ?? false,
          createdTime: now(),
        };
        s().vpcs.push(v);
        s().routeTables.push({ id: newId("rtb", taken), vpcId: v.id, name: "default", main: true, createdTime: v.createdTime });
        const tags = tagList(p);
        if (Object.keys(tags).length > 0) ctx.tags.modify(vpcTag(v.id), tags);
        persisted.save();
        return { Vpc: vpcView(v) };
      },
      DescribeVpcs: (p) => {
        const ids = optStringArray(p, "VpcIds");
        let rows = s().vpcs.filter((v) => !ids || ids.includes(v.id));
        rows = applyFilters(rows, p, {
          "vpc-id": (v, vals) => vals.includes(v.id),
          "vpc-name": (v, vals) => vals.includes(v.name),
          "cidr-block": (v, vals) => vals.includes(v.cidr),
          "is-default": (_v, vals) => vals.includes("false"),
          "is-multicast": (v, vals) => vals.includes(String(v.enableMulticast)),
          "tag-key": (v, vals) => vals.some((k) => Object.hasOwn(ctx.tags.tagsOf(vpcTag(v.id)), k)),
          "tag:": (v, [key, ...vals]) => vals.includes(ctx.tags.tagsOf(vpcTag(v.id))[key] ?? "\u0000"),
        });
        return { TotalCount: rows.length, VpcSet: pageOf(rows, p).map(vpcView) };
      },
      ModifyVpcAttribute: (p) => {
        const v = requireVpc(reqString(p, "VpcId"));
        v.name = optString(p, "VpcName") ?? v.name;
        v.enableMulticast = flag(p, "EnableMulticast") ?? v.enableMulticast;
        v.dnsServers = optStringArray(p, "DnsServers") ?? v.dnsServers;
        v.enableRouteVpcPublish = optBool(p, "EnableRouteVpcPublish") ?? v.enableRouteVpcPublish;
        v.enableRouteVpcPublishIpv6 = optBool(p, "EnableRouteVpcPublishIpv6") ?? v.enableRouteVpcPublishIpv6;
        persisted.save();
        return {};
      },
      DeleteVpc: (p) => {
        const v = requireVpc(reqString(p, "VpcId"));
        const subnets = s().subnets.filter((x) => x.vpcId === v.id);
        if (subnets.length > 0) throw new Tc3ApiError("ResourceInUse", `VPC ${v.id} still has subnets (${subnets.map((x) => x.id).join(", ")}); delete them first`);
        s().vpcs = s().vpcs.filter((x) => x !== v);
        s().routeTables = s().routeTables.filter((r) => r.vpcId !== v.id);
        ctx.tags.forget(vpcTag(v.id));
        persisted.save();
        return {};
      },
      CreateSubnet: (p) => {
        const v = requireVpc(reqString(p, "VpcId"));
        const name = reqString(p, "SubnetName");
        const zone = reqString(p, "Zone");
        if (!/^[a-z]+(-[a-z]+)+-\d+$/.test(zone)) throw new Tc3ApiError("InvalidParameterValue.Malformed", `Zone must look like ap-guangzhou-3 (got "${zone}")`);
        const cidr = parseCidr(reqString(p, "CidrBlock"), "CidrBlock");
        if (!contains(parseCidr(v.cidr, "VPC CidrBlock"), cidr) || cidr.bits > 28) {
          throw new Tc3ApiError("InvalidParameterValue.SubnetRange", `Subnet CidrBlock ${cidr.text} must lie inside the VPC's ${v.cidr} with a mask of at most /28`);
        }
        const clash = s().subnets.find((x) => x.vpcId === v.id && overlaps(parseCidr(x.cidr, "CidrBlock"), cidr));
        if (clash) throw new Tc3ApiError("InvalidParameterValue.SubnetConflict", `Subnet CidrBlock ${cidr.text} overlaps ${clash.id} (${clash.cidr}) in ${v.id}`);
        const main = s().routeTables.find((r) => r.vpcId === v.id && r.main);
        const x: SubnetRecord = {
          id: newId("subnet", taken),
          vpcId: v.id,
          name,
          cidr: cidr.text,
          zone,
          routeTableId: main?.id ?? "",
          enableBroadcast: false,
          cdcId: optString(p, "CdcId") ?? "",
          createdTime: now(),
        };
        s().subnets.push(x);
        const tags = tagList(p);
        if (Object.keys(tags).length > 0) ctx.tags.modify(subnetTag(x.id), tags);
        persisted.save();
        return { Subnet: subnetView(x) };
      },
      DescribeSubnets: (p) => {
        const ids = optStringArray(p, "SubnetIds");
        let rows = s().subnets.filter((x) => !ids || ids.includes(x.id));
        rows = applyFilters(rows, p, {
          "subnet-id": (x, vals) => vals.includes(x.id),
          "vpc-id": (x, vals) => vals.includes(x.vpcId),
          "subnet-name": (x, vals) => vals.includes(x.name),
          zone: (x, vals) => vals.includes(x.zone),
          "cidr-block": (x, vals) => vals.includes(x.cidr),
          "is-default": (_x, vals) => vals.includes("false"),
          "is-remote-vpc-snat": (_x, vals) => vals.includes("false"),
          "cdc-id": (x, vals) => vals.includes(x.cdcId),
          "tag-key": (x, vals) => vals.some((k) => Object.hasOwn(ctx.tags.tagsOf(subnetTag(x.id)), k)),
          "tag:": (x, [key, ...vals]) => vals.includes(ctx.tags.tagsOf(subnetTag(x.id))[key] ?? "\u0000"),
        });
        return { TotalCount: rows.length, SubnetSet: pageOf(rows, p).map(subnetView) };
      },
      ModifySubnetAttribute: (p) => {
        const x = requireSubnet(reqString(p, "SubnetId"));
        x.name = optString(p, "SubnetName") ?? x.name;
        x.enableBroadcast = flag(p, "EnableBroadcast") ?? x.enableBroadcast;
        persisted.save();
        return {};
      },
      DeleteSubnet: (p) => {
        const x = requireSubnet(reqString(p, "SubnetId"));
        const users = subnetUsers.flatMap((u) => u(x.id));
        if (users.length > 0) throw new Tc3ApiError("ResourceInUse", `Subnet ${x.id} is in use by ${users.join(", ")}`);
        s().subnets = s().subnets.filter((y) => y !== x);
        ctx.tags.forget(subnetTag(x.id));
        persisted.save();
        return {};
      },
      DescribeRouteTables: (p) => {
        const ids = optStringArray(p, "RouteTableIds");
        let rows = s().routeTables.filter((r) => !ids || ids.includes(r.id));
        rows = applyFilters(rows, p, {
          "route-table-id": (r, vals) => vals.includes(r.id),
          "vpc-id": (r, vals) => vals.includes(r.vpcId),
          "route-table-name": (r, vals) => vals.includes(r.name),
          "association.main": (r, vals) => vals.includes(String(r.main)),
          "tag-key": () => false,
          "tag:": () => false,
        });
        return {
          TotalCount: rows.length,
          RouteTableSet: pageOf(rows, p).map((r) => ({
            VpcId: r.vpcId,
            RouteTableId: r.id,
            RouteTableName: r.name,
            AssociationSet: s().subnets.filter((x) => x.routeTableId === r.id).map((x) => ({ SubnetId: x.id, RouteTableId: r.id })),
            RouteSet: [],
            Main: r.main,
            CreatedTime: r.createdTime,
            TagSet: [],
            LocalCidrForCcn: [],
          })),
        };
      },
      ReplaceRouteTableAssociation: (p) => {
        const x = requireSubnet(reqString(p, "SubnetId"));
        const id = reqString(p, "RouteTableId");
        const r = s().routeTables.find((t) => t.id === id && t.vpcId === x.vpcId);
        if (!r) throw new Tc3ApiError("ResourceNotFound", `Route table ${id} does not exist in ${x.vpcId}`);
        x.routeTableId = r.id;
        persisted.save();
        return {};
      },
    },
  };
}
