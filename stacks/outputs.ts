import { TerraformOutput } from "cdktf";
import { HaStack } from "../lib/ha-stack";
import { AppTier } from "../modules/app-tier";
import { HaVpc } from "../modules/ha-vpc";
import { AuroraCluster } from "../modules/aurora-cluster";
import { FailureDrills } from "../modules/drills";
import { HaMonitoring } from "../modules/monitoring";

/** Stack outputs of the network ids a user needs. */
export function networkOutputs(stack: HaStack, network: HaVpc): void {
  new TerraformOutput(stack, "vpc_id", { value: network.vpcId });
  new TerraformOutput(stack, "public_subnet_ids", { value: network.publicSubnetIds });
  new TerraformOutput(stack, "private_subnet_ids", { value: network.privateSubnetIds });
  new TerraformOutput(stack, "isolated_subnet_ids", { value: network.isolatedSubnetIds });
  new TerraformOutput(stack, "nat_gateway_ids", { value: network.natGatewayIds });
}

/** Stack outputs an app and the HA report need from the database; the secret ARN, never a password. */
export function databaseOutputs(stack: HaStack, database: AuroraCluster): void {
  new TerraformOutput(stack, "database_cluster_endpoint", { value: database.clusterEndpoint });
  new TerraformOutput(stack, "database_reader_endpoint", { value: database.readerEndpoint });
  new TerraformOutput(stack, "database_port", { value: database.port });
  new TerraformOutput(stack, "database_secret_arn", { value: database.secretArn });
  new TerraformOutput(stack, "database_instance_placements", { value: database.instancePlacements });
}

/** Stack outputs of the app tier: where to browse, and what to watch. */
export function appOutputs(stack: HaStack, app: AppTier): void {
  new TerraformOutput(stack, "alb_dns_name", { value: app.albDnsName });
  new TerraformOutput(stack, "app_url", { value: app.url });
  new TerraformOutput(stack, "app_autoscaling_group_name", { value: app.autoScalingGroupName });
}

/** Stack outputs of the alarms and drills: `npm run drill` reads `drill_templates` and watches `alarm_names`. */
export function drillOutputs(stack: HaStack, monitoring: HaMonitoring, drills: FailureDrills): void {
  new TerraformOutput(stack, "alarm_names", { value: monitoring.alarms.map((a) => a.name) });
  new TerraformOutput(stack, "alarm_topic_arn", { value: monitoring.topicArn });
  new TerraformOutput(stack, "dashboard_name", { value: monitoring.dashboardName });
  new TerraformOutput(stack, "drill_templates", {
    value: Object.fromEntries(drills.templates.map((t) => [t.key, t.id])),
    description: "FIS experiment template id per drill (npm run drill)",
  });
}
