// VPC account state ("vpc.json"): VPCs, their subnets and route tables (each VPC gets a default one, Main = true).
export interface VpcRecord {
  id: string;
  name: string;
  cidr: string;
  enableMulticast: boolean;
  dnsServers: string[];
  enableRouteVpcPublish: boolean;
  enableRouteVpcPublishIpv6: boolean;
  createdTime: string;
}

export interface SubnetRecord {
  id: string;
  vpcId: string;
  name: string;
  cidr: string;
  zone: string;
  routeTableId: string;
  enableBroadcast: boolean;
  cdcId: string;
  createdTime: string;
}

export interface RouteTableRecord {
  id: string;
  vpcId: string;
  name: string;
  main: boolean;
  createdTime: string;
}

export interface VpcState {
  vpcs: VpcRecord[];
  subnets: SubnetRecord[];
  routeTables: RouteTableRecord[];
}
