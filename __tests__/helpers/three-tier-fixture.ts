import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HaStack } from "../../lib/ha-stack";
import { HaVpc, NatGatewayMode } from "../../modules/ha-vpc";
import { testStack } from "./template";

/** What the fixture built, for assertions by Terraform address. */
export interface ThreeTierFixture {
  readonly stack: HaStack;
  readonly network: HaVpc;
  readonly albSg: SecurityGroup;
  readonly appSg: SecurityGroup;
  readonly dbSg: SecurityGroup;
  readonly alb: Lb;
  readonly asg: AutoscalingGroup;
  readonly cluster: RdsCluster;
  readonly instances: RdsClusterInstance[];
}

/**
 * A three-tier stack from HaVpc plus raw provider resources standing in for the ALB, app and
 * database modules (the shape those modules build: ALB in public subnets, ASG in private ones,
 * Aurora in isolated ones with an instance per AZ, SG chain internet → ALB → app → DB), so the
 * diagram is tested on every part before the real modules exist.
 */
export function threeTierFixture(
  options: { azs?: string[]; natGateways?: NatGatewayMode } = {},
): ThreeTierFixture {
  const azs = options.azs ?? ["us-east-1a", "us-east-1b"];
  const stack = testStack({}, "fixture");
  const network = new HaVpc(stack, "Network", { name: "fixture", azs, natGateways: options.natGateways });
  const group = (id: string) =>
    new SecurityGroup(stack, id, { vpcId: network.vpcId, namePrefix: `fixture-${id.toLowerCase()}-`, description: id });
  const albSg = group("AlbSg");
  const appSg = group("AppSg");
  const dbSg = group("DbSg");
  const rule = (id: string, target: SecurityGroup, port: number, from: SecurityGroup | string) =>
    new VpcSecurityGroupIngressRule(stack, id, {
      securityGroupId: target.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: id,
      ...(typeof from === "string" ? { cidrIpv4: from } : { referencedSecurityGroupId: from.id }),
    });
  rule("HttpsFromInternet", albSg, 443, "0.0.0.0/0");
  rule("AppFromAlb", appSg, 8080, albSg);
  rule("DbFromApp", dbSg, 5432, appSg);

  const alb = new Lb(stack, "Alb", {
    name: "fixture-alb",
    loadBalancerType: "application",
    subnets: network.publicSubnetIds,
    securityGroups: [albSg.id],
  });
  const targetGroup = new LbTargetGroup(stack, "AppTargets", {
    name: "fixture-app",
    port: 8080,
    protocol: "HTTP",
    vpcId: network.vpcId,
  });
  new LbListener(stack, "Https", {
    loadBalancerArn: alb.arn,
    port: 443,
    protocol: "HTTPS",
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/fixture",
    defaultAction: [{ type: "forward", targetGroupArn: targetGroup.arn }],
  });
  new LbListener(stack, "HttpRedirect", {
    loadBalancerArn: alb.arn,
    port: 80,
    protocol: "HTTP",
    defaultAction: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
  });
  const template = new LaunchTemplate(stack, "AppTemplate", {
    namePrefix: "fixture-app-",
    imageId: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    instanceType: "t3.small",
    vpcSecurityGroupIds: [appSg.id],
  });
  const asg = new AutoscalingGroup(stack, "AppAsg", {
    namePrefix: "fixture-app-",
    minSize: 2,
    maxSize: 6,
    vpcZoneIdentifier: network.privateSubnetIds,
    targetGroupArns: [targetGroup.arn],
    launchTemplate: { id: template.id, version: "$Latest" },
  });
  const subnetGroup = new DbSubnetGroup(stack, "DbSubnets", { namePrefix: "fixture-db-", subnetIds: network.isolatedSubnetIds });
  const cluster = new RdsCluster(stack, "Db", {
    clusterIdentifierPrefix: "fixture-db-",
    engine: "aurora-postgresql",
    dbSubnetGroupName: subnetGroup.name,
    vpcSecurityGroupIds: [dbSg.id],
    masterUsername: "app",
    manageMasterUserPassword: true,
  });
  const instances = azs.map(
    (az) =>
      new RdsClusterInstance(stack, `Db-${az}`, {
        clusterIdentifier: cluster.id,
        instanceClass: "db.r6g.large",
        engine: cluster.engine,
        availabilityZone: az,
      }),
  );
  return { stack, network, albSg, appSg, dbSg, alb, asg, cluster, instances };
}
