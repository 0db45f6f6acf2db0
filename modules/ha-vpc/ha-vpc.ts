import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { NetworkAcl, NetworkAclEgress, NetworkAclIngress } from "@cdktf/provider-aws/lib/network-acl";
import { NetworkAclAssociation } from "@cdktf/provider-aws/lib/network-acl-association";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { HaStack } from "../../lib/ha-stack";
import { serviceRole } from "../../lib/iam";
import { HaVpcProps, NatGatewayMode, SUBNET_TIERS, SubnetTier } from "./props";
import { resolveHaVpcConfig } from "./validation";

/** The subnets and egress of one Availability Zone. */
export interface AzNetwork {
  readonly az: string;
  readonly publicSubnet: Subnet;
  readonly privateSubnet: Subnet;
  readonly isolatedSubnet: Subnet;
  /** The route table of this AZ's private subnet. */
  readonly privateRouteTable: RouteTable;
  /** The NAT gateway placed in this AZ, if any. */
  readonly natGateway?: NatGateway;
  /** The AZ whose NAT gateway this AZ's private subnet sends internet traffic through; undefined without NAT. */
  readonly egressViaAz?: string;
  /** The private subnet's default route to that NAT gateway; undefined without NAT. */
  readonly privateDefaultRoute?: Route;
}

const ANY_IPV4 = "0.0.0.0/0";
const EPHEMERAL_PORTS = { fromPort: 1024, toPort: 65535 };
const ALL_TRAFFIC = { protocol: "-1", fromPort: 0, toPort: 0 };

/**
 * A VPC over 2–6 Availability Zones with public, private (app) and isolated (database) subnets in
 * each, an internet gateway, NAT gateways by a named mode (one per AZ by default, so losing an AZ
 * cuts no other AZ off), a network ACL per tier, flow logs, and a default security group with no
 * rules. Per-AZ resources are keyed by AZ name and take fixed CIDR slots, so adding an AZ to a
 * deployed network replaces nothing.
 */
export class HaVpc extends Construct {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  /**
   * AZ names in name order (us-east-1a, us-east-1b, …) whatever order they were given in; every
   * per-AZ list below follows it, so reordering the `azs` prop changes no attribute.
   */
  public readonly azs: readonly string[];
  public readonly natGatewayMode: NatGatewayMode;
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly isolatedSubnetIds: string[];
  /** NAT gateway ids (one per AZ with PER_AZ, one with SINGLE, none with NONE). */
  public readonly natGatewayIds: string[];
  /**
   * The private subnets' default routes to NAT (empty without NAT). Instances that install
   * packages at boot should depend on them, or the first ones may boot before egress exists.
   */
  public readonly privateEgressRoutes: Route[];
  /** Subnets and egress per AZ, keyed by AZ name. */
  public readonly azNetworks: Readonly<Record<string, AzNetwork>>;
  /** CIDR of every subnet, by tier then AZ. */
  public readonly subnetCidrs: Readonly<Record<SubnetTier, Readonly<Record<string, string>>>>;
  /** The internet gateway; internet-facing load balancers depend on it. */
  public readonly internetGateway: InternetGateway;
  /** CloudWatch Logs group receiving the VPC flow logs. */
  public readonly flowLogGroupName: string;
  public readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: HaVpcProps) {
    super(scope, id);
    const config = resolveHaVpcConfig(props, id, HaStack.find(this)?.region, this);
    const name = config.name;
    this.azs = config.azs;
    this.natGatewayMode = config.natGateways;

    this.vpc = new Vpc(this, "Vpc", {
      cidrBlock: config.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name },
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = config.cidr;

    // No rules: resources must use their own security groups, never the permissive default.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-default-locked` },
    });

    const igw = new InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags: { Name: name } });
    this.internetGateway = igw;
    const publicRouteTable = new RouteTable(this, "PublicRouteTable", {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-public` },
    });
    new Route(this, "PublicDefaultRoute", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: ANY_IPV4,
      gatewayId: igw.id,
    });
    const isolatedRouteTable = new RouteTable(this, "IsolatedRouteTable", {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-isolated` },
    });
    const acls = this.createNetworkAcls(name, config.cidr);

    const cidrOf = (tier: SubnetTier, az: string) => config.subnets.find((s) => s.tier === tier && s.az === az)!.cidr;
    this.subnetCidrs = Object.fromEntries(
      SUBNET_TIERS.map((tier) => [tier, Object.fromEntries(config.azs.map((az) => [az, cidrOf(tier, az)]))]),
    ) as Record<SubnetTier, Record<string, string>>;

    // config.azs is in name order, so SINGLE's NAT sits in the AZ with the lowest letter, not the
    // first listed: reordering the list (a config accident, not an intent) never moves the gateway
    // and its public IP.
    const natAzs =
      config.natGateways === NatGatewayMode.PER_AZ
        ? config.azs
        : config.natGateways === NatGatewayMode.SINGLE
          ? [config.azs[0]]
          : [];

    const networks: Record<string, AzNetwork> = {};
    const nats: Record<string, NatGateway> = {};
    for (const az of config.azs) {
      const azScope = new Construct(this, az);
      const subnet = (tier: SubnetTier) => {
        const s = new Subnet(azScope, `${capitalize(tier)}Subnet`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: cidrOf(tier, az),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-${tier}-${az}`, tier },
        });
        new NetworkAclAssociation(azScope, `${capitalize(tier)}AclAssociation`, {
          networkAclId: acls[tier].id,
          subnetId: s.id,
        });
        return s;
      };
      const publicSubnet = subnet("public");
      const privateSubnet = subnet("private");
      const isolatedSubnet = subnet("isolated");

      new RouteTableAssociation(azScope, "PublicRouteAssociation", {
        subnetId: publicSubnet.id,
        routeTableId: publicRouteTable.id,
      });
      new RouteTableAssociation(azScope, "IsolatedRouteAssociation", {
        subnetId: isolatedSubnet.id,
        routeTableId: isolatedRouteTable.id,
      });

      if (natAzs.includes(az)) {
        const eip = new Eip(azScope, "NatEip", { domain: "vpc", tags: { Name: `${name}-nat-${az}` } });
        nats[az] = new NatGateway(azScope, "NatGateway", {
          allocationId: eip.allocationId,
          subnetId: publicSubnet.id,
          tags: { Name: `${name}-nat-${az}` },
          dependsOn: [igw],
        });
      }

      // Every AZ gets its own private route table in every mode, so moving SINGLE → PER_AZ
      // changes one route per AZ and replaces nothing.
      const privateRouteTable = new RouteTable(azScope, "PrivateRouteTable", {
        vpcId: this.vpc.id,
        tags: { Name: `${name}-private-${az}` },
      });
      new RouteTableAssociation(azScope, "PrivateRouteAssociation", {
        subnetId: privateSubnet.id,
        routeTableId: privateRouteTable.id,
      });

      networks[az] = { az, publicSubnet, privateSubnet, isolatedSubnet, privateRouteTable };
    }

    for (const az of config.azs) {
      const egressViaAz = natAzs.includes(az) ? az : natAzs[0];
      const privateDefaultRoute = egressViaAz
        ? new Route(this.node.findChild(az), "PrivateDefaultRoute", {
            routeTableId: networks[az].privateRouteTable.id,
            destinationCidrBlock: ANY_IPV4,
            natGatewayId: nats[egressViaAz].id,
          })
        : undefined;
      networks[az] = { ...networks[az], natGateway: nats[az], egressViaAz, privateDefaultRoute };
    }

    this.azNetworks = networks;
    this.publicSubnetIds = config.azs.map((az) => networks[az].publicSubnet.id);
    this.privateSubnetIds = config.azs.map((az) => networks[az].privateSubnet.id);
    this.isolatedSubnetIds = config.azs.map((az) => networks[az].isolatedSubnet.id);
    this.natGatewayIds = natAzs.map((az) => nats[az].id);
    this.privateEgressRoutes = config.azs.flatMap((az) => networks[az].privateDefaultRoute ?? []);
    this.flowLogGroupName = this.createFlowLogs(name, config.flowLogRetentionDays);
  }

  /** The subnet ids of one tier, in AZ-name order. */
  public subnetIds(tier: SubnetTier): string[] {
    return { public: this.publicSubnetIds, private: this.privateSubnetIds, isolated: this.isolatedSubnetIds }[tier];
  }

  /**
   * Stateless ACLs per tier, as a second layer under the security groups. Return traffic of
   * NAT'd and ALB connections arrives on ephemeral ports, so those are open from anywhere on the
   * public and private tiers; the isolated (database) tier talks to the VPC only.
   */
  private createNetworkAcls(name: string, vpcCidr: string): Record<SubnetTier, NetworkAcl> {
    const allow = (ruleNo: number, cidrBlock: string, rule: { protocol: string; fromPort: number; toPort: number }) => ({
      ruleNo,
      action: "allow",
      cidrBlock,
      ...rule,
    });
    const fromVpc = allow(100, vpcCidr, ALL_TRAFFIC);
    const returnTraffic = [
      allow(200, ANY_IPV4, { protocol: "tcp", ...EPHEMERAL_PORTS }),
      allow(210, ANY_IPV4, { protocol: "udp", ...EPHEMERAL_PORTS }),
    ];
    const rules: Record<SubnetTier, { ingress: NetworkAclIngress[]; egress: NetworkAclEgress[] }> = {
      public: {
        ingress: [
          fromVpc,
          allow(110, ANY_IPV4, { protocol: "tcp", fromPort: 80, toPort: 80 }),
          allow(120, ANY_IPV4, { protocol: "tcp", fromPort: 443, toPort: 443 }),
          ...returnTraffic,
        ],
        egress: [allow(100, ANY_IPV4, ALL_TRAFFIC)],
      },
      private: {
        ingress: [fromVpc, ...returnTraffic],
        egress: [allow(100, ANY_IPV4, ALL_TRAFFIC)],
      },
      isolated: {
        ingress: [fromVpc],
        egress: [allow(100, vpcCidr, ALL_TRAFFIC)],
      },
    };
    return Object.fromEntries(
      SUBNET_TIERS.map((tier) => [
        tier,
        new NetworkAcl(this, `${capitalize(tier)}Acl`, {
          vpcId: this.vpc.id,
          ingress: rules[tier].ingress,
          egress: rules[tier].egress,
          tags: { Name: `${name}-${tier}` },
        }),
      ]),
    ) as Record<SubnetTier, NetworkAcl>;
  }

  /** Flow logs of all traffic to CloudWatch Logs, through a role that may write only to that group. */
  private createFlowLogs(name: string, retentionDays: number): string {
    const group = new CloudwatchLogGroup(this, "FlowLogGroup", {
      name: `/vpc/${name}/flow-logs`,
      retentionInDays: retentionDays,
    });
    const role = serviceRole(this, "FlowLogRole", { service: "vpc-flow-logs.amazonaws.com", namePrefix: "flow-logs-" });
    const write = new DataAwsIamPolicyDocument(this, "FlowLogWrite", {
      statement: [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [group.arn, `${group.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, "FlowLogRolePolicy", { role: role.id, policy: write.json });
    new FlowLog(this, "FlowLog", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: name },
    });
    return group.name;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
