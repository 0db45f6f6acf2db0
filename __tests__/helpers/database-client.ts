import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { HaVpc } from "../../modules/ha-vpc";
import { DatabaseClient } from "../../modules/aurora-cluster";

/**
 * An app-like database client, shaped like AppTier's public surface (instances' security group and
 * instance role), so AuroraCluster.allowFrom can be tested without the AppTier module.
 */
export function fixtureClient(scope: Construct, id: string, vpc: HaVpc): DatabaseClient {
  const app = new Construct(scope, id);
  const securityGroup = new SecurityGroup(app, "InstanceSecurityGroup", {
    namePrefix: `${id.toLowerCase()}-`,
    description: `Fixture client ${id}`,
    vpcId: vpc.vpcId,
  });
  const instanceRole = new IamRole(app, "InstanceRole", {
    namePrefix: `${id.toLowerCase()}-`,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }],
    }),
  });
  return { securityGroup, instanceRole };
}
