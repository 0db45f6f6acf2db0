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
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointRouteTableAssociation } from "@cdktf/provider-aws/lib/vpc-endpoint-route-table-association";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HaStack } from "../../lib/ha-stack";
import { serviceRole } from "../../lib/iam";
import { EndpointClient, HaVpcProps, NatGatewayMode, SUBNET_TIERS, SubnetTier } from "./props";
import { ValidationError, show } from "../../lib/errors";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { ResolvedHaVpcConfig, resolveHaVpcConfig } from "./validation";
import {
  ENDPOINT_POLICY_SUPPORTED,
  ENDPOINT_PORT,
  GatewayEndpointService,
  InterfaceEndpointService,
  endpointServiceName,
} from "./endpoints";

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
 * deployed network replaces nothing. VPC endpoints: S3 through a gateway endpoint by default, and
 * named interface endpoints in every AZ, so an AZ keeps those AWS services whatever happens to
 * the NAT gateways.
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
  /** Services with a gateway endpoint (S3 by default), in the order given. */
  public readonly gatewayEndpointServices: readonly GatewayEndpointService[];
  /** Gateway endpoints by service. */
  public readonly gatewayEndpoints: Readonly<Partial<Record<GatewayEndpointService, VpcEndpoint>>>;
  /** Services with an interface endpoint, in the order given; a neighbour checks here what it can reach without NAT. */
  public readonly interfaceEndpointServices: readonly InterfaceEndpointService[];
  /** Interface endpoints by service, each with a network interface in every AZ's private subnet. */
  public readonly interfaceEndpoints: Readonly<Partial<Record<InterfaceEndpointService, VpcEndpoint>>>;
  /** Security group of the interface endpoints (443 from the VPC or the given groups); undefined without interface endpoints. */
  public readonly endpointSecurityGroup?: SecurityGroup;

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

    this.gatewayEndpointServices = config.gatewayEndpoints;
    this.gatewayEndpoints = this.createGatewayEndpoints(config, isolatedRouteTable);
    this.interfaceEndpointServices = config.interfaceEndpoints;
    const interfaceEndpoints = this.createInterfaceEndpoints(config);
    this.interfaceEndpoints = interfaceEndpoints.endpoints;
    this.endpointSecurityGroup = interfaceEndpoints.securityGroup;
  }

  /**
   * Admits a client's security group (e.g. an `AppTier`) to the interface endpoints on 443, and
   * lets it out to them. The way to wire clients when `interfaceEndpointClientSecurityGroupIds`
   * replaces the VPC CIDR; rules are keyed by the client's construct path, so wiring order and
   * later additions change nothing that exists. Wiring a client twice is a no-op.
   */
  public allowInterfaceEndpointsFrom(client: EndpointClient): void {
    const group = this.endpointSecurityGroup;
    if (!group) {
      throw new ValidationError(
        "HaVpc: allowInterfaceEndpointsFrom() needs interface endpoints; list services in interfaceEndpoints first",
        this,
      );
    }
    if (!(client?.securityGroup instanceof SecurityGroup)) {
      throw new ValidationError(
        `HaVpc: allowInterfaceEndpointsFrom(${show(typeof client === "object" && client !== null ? Object.keys(client) : client)}) ` +
          "needs a client with a securityGroup (a SecurityGroup construct), e.g. an AppTier",
        this,
      );
    }
    const clientPath = client.securityGroup.node.path;
    const key = clientPath.split("/").slice(1).join("-") || clientPath;
    const endpoints = this.node.findChild("InterfaceEndpoints");
    if (endpoints.node.tryFindChild(`From-${key}`)) return;
    const scope = new Construct(endpoints, `From-${key}`);
    new VpcSecurityGroupIngressRule(scope, "Ingress", {
      securityGroupId: group.id,
      referencedSecurityGroupId: client.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: ENDPOINT_PORT,
      toPort: ENDPOINT_PORT,
      description: `HTTPS to the AWS API endpoints from ${key}`,
    });
    new VpcSecurityGroupEgressRule(scope, "Egress", {
      securityGroupId: client.securityGroup.id,
      referencedSecurityGroupId: group.id,
      ipProtocol: "tcp",
      fromPort: ENDPOINT_PORT,
      toPort: ENDPOINT_PORT,
      description: `HTTPS to the interface endpoints of the VPC`,
    });
  }

  /** True when the VPC reaches `service` through an interface endpoint. */
  public hasInterfaceEndpoint(service: InterfaceEndpointService): boolean {
    return this.interfaceEndpointServices.includes(service);
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

  /**
   * One gateway endpoint per service, routed from each AZ's private route table and from the
   * isolated route table. Each route is its own association keyed by AZ, so adding an AZ or an
   * endpoint adds resources and changes none. No endpoint policy: instances fetch packages
   * unsigned from Amazon-owned buckets (Amazon Linux repositories) through this route, which an
   * own-account-only policy would refuse; AWS's default policy leaves S3 exactly as reachable as
   * through NAT, and bucket policies stay the access control.
   */
  private createGatewayEndpoints(
    config: ResolvedHaVpcConfig,
    isolatedRouteTable: RouteTable,
  ): Partial<Record<GatewayEndpointService, VpcEndpoint>> {
    const endpoints: Partial<Record<GatewayEndpointService, VpcEndpoint>> = {};
    for (const service of config.gatewayEndpoints) {
      const id = capitalize(service);
      const endpoint = new VpcEndpoint(this, `${id}GatewayEndpoint`, {
        vpcId: this.vpc.id,
        serviceName: endpointServiceName(config.region, service),
        vpcEndpointType: "Gateway",
        tags: { Name: `${config.name}-${service}` },
      });
      for (const az of config.azs) {
        new VpcEndpointRouteTableAssociation(this.node.findChild(az), `${id}GatewayRoute`, {
          vpcEndpointId: endpoint.id,
          routeTableId: this.azNetworks[az].privateRouteTable.id,
        });
      }
      new VpcEndpointRouteTableAssociation(this, `${id}GatewayIsolatedRoute`, {
        vpcEndpointId: endpoint.id,
        routeTableId: isolatedRouteTable.id,
      });
      endpoints[service] = endpoint;
    }
    return endpoints;
  }

  /**
   * One interface endpoint per service in every AZ's private subnet, with private DNS, behind one
   * security group admitting 443 from the VPC CIDR (or the given groups) and nothing out. Where
   * the service accepts an endpoint policy, only principals of the account that owns this VPC may
   * use the endpoint: the VPC's `owner_id` names that account without a data source, so the plan
   * stays offline.
   */
  private createInterfaceEndpoints(config: ResolvedHaVpcConfig): {
    endpoints: Partial<Record<InterfaceEndpointService, VpcEndpoint>>;
    securityGroup?: SecurityGroup;
  } {
    if (config.interfaceEndpoints.length === 0) return { endpoints: {} };
    const scope = new Construct(this, "InterfaceEndpoints");
    const securityGroup = new SecurityGroup(scope, "SecurityGroup", {
      vpcId: this.vpc.id,
      description: `Interface endpoints of ${config.name}: HTTPS from the VPC's clients to AWS APIs; nothing out`,
      tags: { Name: `${config.name}-endpoints` },
    });
    const clients = config.interfaceEndpointClientSecurityGroupIds;
    if (clients === undefined) {
      new VpcSecurityGroupIngressRule(scope, "HttpsFromVpc", {
        securityGroupId: securityGroup.id,
        description: `HTTPS to the AWS API endpoints from the VPC (${config.cidr})`,
        ipProtocol: "tcp",
        fromPort: ENDPOINT_PORT,
        toPort: ENDPOINT_PORT,
        cidrIpv4: config.cidr,
      });
    } else {
      clients.forEach((group, i) => {
        new VpcSecurityGroupIngressRule(scope, `HttpsFromClient${i + 1}`, {
          securityGroupId: securityGroup.id,
          description: "HTTPS to the AWS API endpoints from a client security group",
          ipProtocol: "tcp",
          fromPort: ENDPOINT_PORT,
          toPort: ENDPOINT_PORT,
          referencedSecurityGroupId: group,
        });
      });
    }

    const endpoints: Partial<Record<InterfaceEndpointService, VpcEndpoint>> = {};
    for (const service of config.interfaceEndpoints) {
      const policy = ENDPOINT_POLICY_SUPPORTED[service]
        ? new DataAwsIamPolicyDocument(scope, `${service}-policy`, {
            statement: [
              {
                sid: "OwnAccountPrincipalsOnly",
                effect: "Allow",
                principals: [{ type: "AWS", identifiers: ["*"] }],
                actions: ["*"],
                resources: ["*"],
                condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [this.vpc.ownerId] }],
              },
            ],
          }).json
        : undefined;
      endpoints[service] = new VpcEndpoint(scope, service, {
        vpcId: this.vpc.id,
        serviceName: endpointServiceName(config.region, service),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: config.azs.map((az) => this.azNetworks[az].privateSubnet.id),
        securityGroupIds: [securityGroup.id],
        policy,
        tags: { Name: `${config.name}-${service}` },
      });
    }
    return { endpoints, securityGroup };
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
