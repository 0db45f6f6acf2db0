/**
 * Fixture stacks for the guardrails, built from raw provider resources only (never from AppTier /
 * AuroraCluster), so each rule is tested against resource attributes. `fullFixture()` is
 * compliant with every rule of both packs; tests break one attribute and expect one rule to fire.
 */
import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HaStack } from "../../../lib/ha-stack";
import { encodeUserData } from "../../../modules/app-tier/user-data";
import { testStack } from "../template";

export const FIXTURE_AZS = ["us-east-1a", "us-east-1b"];
/** The fixture database's max_connections (its parameter group) and each app instance's worker pool. */
export const FIXTURE_MAX_CONNECTIONS = 500;
export const FIXTURE_POOL = 8;

/** App user data that runs a php-fpm pool of `workers` and connects to `endpoint` (a token), encoded as AppTier does. */
export function pooledUserData(endpoint: string, workers = FIXTURE_POOL): string {
  return encodeUserData(`#cloud-config\nwrite_files:\n  - path: /etc/php-fpm.d/app.conf\n    content: |\n      [app]\n      pm = static\n      pm.max_children = ${workers}\n  - path: /etc/app.json\n    content: '{"db_host": "${endpoint}"}'\n`);
}
const AMI = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

export interface NetworkFixture {
  readonly vpc: Vpc;
  readonly flowLog: FlowLog;
  readonly defaultSecurityGroup: DefaultSecurityGroup;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  readonly isolatedSubnets: Subnet[];
  readonly natGateways: NatGateway[];
  readonly privateRouteTables: RouteTable[];
  /** A Secrets Manager interface endpoint with private DNS in every private subnet. */
  readonly secretsEndpoint: VpcEndpoint;
}

export interface NetworkFixtureOptions {
  /** @default FIXTURE_AZS */
  readonly azs?: string[];
  /** One NAT per AZ (true) or one NAT in the first AZ for all. @default true */
  readonly natPerAz?: boolean;
}

/** A VPC with public/private/isolated subnets per AZ, NAT gateways, flow logs and a locked default SG. */
export function networkFixture(scope: Construct, options: NetworkFixtureOptions = {}): NetworkFixture {
  const net = new Construct(scope, "Net");
  const azs = options.azs ?? FIXTURE_AZS;
  const natPerAz = options.natPerAz ?? true;
  const vpc = new Vpc(net, "Vpc", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true });
  const flowLogBucket = new S3Bucket(net, "FlowLogBucket", { bucketPrefix: "flow-logs-" });
  const flowLog = new FlowLog(net, "FlowLog", {
    vpcId: vpc.id,
    trafficType: "ALL",
    logDestinationType: "s3",
    logDestination: flowLogBucket.arn,
  });
  const defaultSecurityGroup = new DefaultSecurityGroup(net, "DefaultSecurityGroup", { vpcId: vpc.id });
  const igw = new InternetGateway(net, "Igw", { vpcId: vpc.id });
  const publicRouteTable = new RouteTable(net, "PublicRouteTable", { vpcId: vpc.id });
  new Route(net, "PublicDefaultRoute", { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
  const isolatedRouteTable = new RouteTable(net, "IsolatedRouteTable", { vpcId: vpc.id });

  const fixture: Omit<NetworkFixture, "secretsEndpoint"> = {
    vpc,
    flowLog,
    defaultSecurityGroup,
    publicSubnets: [],
    privateSubnets: [],
    isolatedSubnets: [],
    natGateways: [],
    privateRouteTables: [],
  };
  azs.forEach((az, i) => {
    const zone = new Construct(net, az);
    const subnet = (id: string, cidr: string) =>
      new Subnet(zone, id, { vpcId: vpc.id, availabilityZone: az, cidrBlock: cidr, mapPublicIpOnLaunch: false });
    const pub = subnet("Public", `10.0.${i}.0/24`);
    const priv = subnet("Private", `10.0.${16 + i * 16}.0/20`);
    const iso = subnet("Isolated", `10.0.${200 + i}.0/24`);
    new RouteTableAssociation(zone, "PublicAssociation", { subnetId: pub.id, routeTableId: publicRouteTable.id });
    new RouteTableAssociation(zone, "IsolatedAssociation", { subnetId: iso.id, routeTableId: isolatedRouteTable.id });
    if (natPerAz || i === 0) {
      const eip = new Eip(zone, "NatEip", { domain: "vpc" });
      fixture.natGateways.push(new NatGateway(zone, "Nat", { allocationId: eip.allocationId, subnetId: pub.id }));
    }
    const table = new RouteTable(zone, "PrivateRouteTable", { vpcId: vpc.id });
    new Route(zone, "PrivateDefaultRoute", {
      routeTableId: table.id,
      destinationCidrBlock: "0.0.0.0/0",
      natGatewayId: fixture.natGateways[natPerAz ? i : 0].id,
    });
    new RouteTableAssociation(zone, "PrivateAssociation", { subnetId: priv.id, routeTableId: table.id });
    fixture.publicSubnets.push(pub);
    fixture.privateSubnets.push(priv);
    fixture.isolatedSubnets.push(iso);
    fixture.privateRouteTables.push(table);
  });
  const secretsEndpoint = new VpcEndpoint(net, "SecretsEndpoint", {
    vpcId: vpc.id,
    serviceName: "com.amazonaws.us-east-1.secretsmanager",
    vpcEndpointType: "Interface",
    privateDnsEnabled: true,
    subnetIds: fixture.privateSubnets.map((s) => s.id),
  });
  return { ...fixture, secretsEndpoint };
}

export interface WebFixture {
  readonly albSecurityGroup: SecurityGroup;
  readonly appSecurityGroup: SecurityGroup;
  readonly httpsIngress: VpcSecurityGroupIngressRule;
  readonly certificate: AcmCertificate;
  readonly alb: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  readonly httpListener: LbListener;
  readonly launchTemplate: LaunchTemplate;
  readonly asg: AutoscalingGroup;
}

export interface WebFixtureOptions {
  /** @default - one per AZ of the network */
  readonly asgMin?: number;
}

/** An internet-facing ALB (HTTPS, HTTP redirect, access logs) in front of an ASG in the private subnets. */
export function webFixture(scope: Construct, net: NetworkFixture, options: WebFixtureOptions = {}): WebFixture {
  const web = new Construct(scope, "Web");
  const sg = (id: string, description: string) =>
    new SecurityGroup(web, id, { vpcId: net.vpc.id, namePrefix: `${id.toLowerCase()}-`, description });
  const albSecurityGroup = sg("AlbSg", "Load balancer: HTTPS and HTTP-redirect from the internet");
  const appSecurityGroup = sg("AppSg", "App instances: HTTP from the load balancer only");
  const httpsIngress = new VpcSecurityGroupIngressRule(web, "AlbHttpsIn", {
    securityGroupId: albSecurityGroup.id,
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: "0.0.0.0/0",
    description: "HTTPS from the internet",
  });
  new VpcSecurityGroupIngressRule(web, "AlbHttpIn", {
    securityGroupId: albSecurityGroup.id,
    ipProtocol: "tcp",
    fromPort: 80,
    toPort: 80,
    cidrIpv4: "0.0.0.0/0",
    description: "HTTP from the internet, redirected to HTTPS",
  });
  new VpcSecurityGroupEgressRule(web, "AlbToApp", {
    securityGroupId: albSecurityGroup.id,
    ipProtocol: "tcp",
    fromPort: 8080,
    toPort: 8080,
    referencedSecurityGroupId: appSecurityGroup.id,
    description: "To the app port",
  });
  new VpcSecurityGroupIngressRule(web, "AppFromAlb", {
    securityGroupId: appSecurityGroup.id,
    ipProtocol: "tcp",
    fromPort: 8080,
    toPort: 8080,
    referencedSecurityGroupId: albSecurityGroup.id,
    description: "App port from the load balancer",
  });
  new VpcSecurityGroupEgressRule(web, "AppHttpsOut", {
    securityGroupId: appSecurityGroup.id,
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: "0.0.0.0/0",
    description: "HTTPS to AWS APIs and package mirrors through the NAT",
  });
  const logs = new S3Bucket(web, "AccessLogs", { bucketPrefix: "alb-logs-" });
  const certificate = new AcmCertificate(web, "Certificate", { domainName: "app.example.com", validationMethod: "DNS" });
  const alb = new Lb(web, "Alb", {
    loadBalancerType: "application",
    subnets: net.publicSubnets.map((s) => s.id),
    securityGroups: [albSecurityGroup.id],
    dropInvalidHeaderFields: true,
    accessLogs: { bucket: logs.bucket, enabled: true },
  });
  const targetGroup = new LbTargetGroup(web, "Targets", {
    vpcId: net.vpc.id,
    port: 8080,
    protocol: "HTTP",
    healthCheck: { path: "/healthz" },
  });
  const httpsListener = new LbListener(web, "Https", {
    loadBalancerArn: alb.arn,
    port: 443,
    protocol: "HTTPS",
    certificateArn: certificate.arn,
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    defaultAction: [{ type: "forward", targetGroupArn: targetGroup.arn }],
  });
  const httpListener = new LbListener(web, "Http", {
    loadBalancerArn: alb.arn,
    port: 80,
    protocol: "HTTP",
    defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
  });
  const launchTemplate = new LaunchTemplate(web, "LaunchTemplate", {
    namePrefix: "app-",
    imageId: AMI,
    instanceType: "t3.micro",
    vpcSecurityGroupIds: [appSecurityGroup.id],
    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 20, volumeType: "gp3" } }],
    userData: Buffer.from("#!/bin/bash\necho ready > /tmp/ready\n").toString("base64"),
  });
  const asg = new AutoscalingGroup(web, "Asg", {
    minSize: options.asgMin ?? net.privateSubnets.length,
    maxSize: 6,
    vpcZoneIdentifier: net.privateSubnets.map((s) => s.id),
    launchTemplate: { id: launchTemplate.id, version: "$Latest" },
    targetGroupArns: [targetGroup.arn],
    healthCheckType: "ELB",
  });
  return {
    albSecurityGroup,
    appSecurityGroup,
    httpsIngress,
    certificate,
    alb,
    targetGroup,
    httpsListener,
    httpListener,
    launchTemplate,
    asg,
  };
}

export interface DatabaseFixture {
  readonly securityGroup: SecurityGroup;
  readonly ingressFromApp: VpcSecurityGroupIngressRule;
  readonly cluster: RdsCluster;
  readonly instances: RdsClusterInstance[];
  /** The instances' parameter group: max_connections set literally (the connection budget reads it). */
  readonly parameterGroup: DbParameterGroup;
}

export interface DatabaseFixtureOptions {
  /** AZ of each cluster instance (the first is the initial writer). @default - one per network AZ */
  readonly instanceAzs?: string[];
}

/** An encrypted Aurora PostgreSQL cluster in the isolated subnets, reachable from the app's SG only. */
export function databaseFixture(
  scope: Construct,
  net: NetworkFixture,
  appSecurityGroup: SecurityGroup,
  options: DatabaseFixtureOptions = {},
): DatabaseFixture {
  const db = new Construct(scope, "Db");
  const securityGroup = new SecurityGroup(db, "DbSg", {
    vpcId: net.vpc.id,
    namePrefix: "db-",
    description: "Database: PostgreSQL from the app instances only",
  });
  const ingressFromApp = new VpcSecurityGroupIngressRule(db, "FromApp", {
    securityGroupId: securityGroup.id,
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    referencedSecurityGroupId: appSecurityGroup.id,
    description: "PostgreSQL from the app",
  });
  const subnetGroup = new DbSubnetGroup(db, "SubnetGroup", {
    namePrefix: "db-",
    subnetIds: net.isolatedSubnets.map((s) => s.id),
  });
  const cluster = new RdsCluster(db, "Cluster", {
    engine: "aurora-postgresql",
    engineVersion: "16.4",
    masterUsername: "app",
    manageMasterUserPassword: true,
    storageEncrypted: true,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    iamDatabaseAuthenticationEnabled: true,
    enabledCloudwatchLogsExports: ["postgresql"],
    dbSubnetGroupName: subnetGroup.name,
    vpcSecurityGroupIds: [securityGroup.id],
    finalSnapshotIdentifier: "fixture-final",
  });
  const parameterGroup = new DbParameterGroup(db, "InstanceParameters", {
    namePrefix: "db-",
    family: "aurora-postgresql16",
    parameter: [{ name: "max_connections", value: String(FIXTURE_MAX_CONNECTIONS) }],
  });
  const azs = options.instanceAzs ?? net.isolatedSubnets.map((_, i) => FIXTURE_AZS[i]);
  const instances = azs.map(
    (az, i) =>
      new RdsClusterInstance(db, `Instance${i + 1}`, {
        clusterIdentifier: cluster.id,
        engine: "aurora-postgresql",
        instanceClass: "db.r6g.large",
        availabilityZone: az,
        publiclyAccessible: false,
        dbParameterGroupName: parameterGroup.name,
      }),
  );
  return { securityGroup, ingressFromApp, cluster, instances, parameterGroup };
}

export interface AlarmsFixture {
  /** Healthy hosts of the target group (HA-MON-1). */
  readonly targetGroupAlarm: CloudwatchMetricAlarm;
  /** Connections of the database cluster, named by its identifier (HA-MON-1). */
  readonly clusterAlarm: CloudwatchMetricAlarm;
}

/** One alarm on the web tier's target group and one on the database cluster. */
export function alarmsFixture(scope: Construct, web: WebFixture, db: DatabaseFixture): AlarmsFixture {
  const alarms = new Construct(scope, "Alarms");
  const common = { period: 60, evaluationPeriods: 2, statistic: "Minimum" };
  return {
    targetGroupAlarm: new CloudwatchMetricAlarm(alarms, "HealthyHosts", {
      ...common,
      alarmName: "healthy-hosts",
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      dimensions: { TargetGroup: web.targetGroup.arnSuffix, LoadBalancer: web.alb.arnSuffix },
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
    }),
    clusterAlarm: new CloudwatchMetricAlarm(alarms, "Connections", {
      ...common,
      alarmName: "connections",
      namespace: "AWS/RDS",
      metricName: "DatabaseConnections",
      dimensions: { DBClusterIdentifier: db.cluster.id },
      comparisonOperator: "GreaterThanThreshold",
      threshold: 100,
    }),
  };
}

export interface FullFixture {
  readonly stack: HaStack;
  readonly net: NetworkFixture;
  readonly web: WebFixture;
  readonly db: DatabaseFixture;
  readonly alarms: AlarmsFixture;
}

export interface FullFixtureOptions extends NetworkFixtureOptions, WebFixtureOptions, DatabaseFixtureOptions {}

/** Network + web tier + database in a fresh HaStack (both packs on), compliant with every rule. */
export function fullFixture(options: FullFixtureOptions = {}, stack: HaStack = testStack()): FullFixture {
  const net = networkFixture(stack, options);
  const web = webFixture(stack, net, options);
  const db = databaseFixture(stack, net, web.appSecurityGroup, {
    instanceAzs: options.instanceAzs ?? options.azs ?? FIXTURE_AZS,
  });
  // The app's workers connect to the database: the connection budget (HA-DB-2) has something to judge.
  web.launchTemplate.userData = pooledUserData(db.cluster.endpoint);
  const alarms = alarmsFixture(stack, web, db);
  return { stack, net, web, db, alarms };
}
