/**
 * Pointing the AWS provider at a local AWS emulator (moto server): which provider `endpoints`
 * key serves which resource type, and the provider settings that go with a local endpoint.
 * Used by `HaStack`'s `localEndpoint` prop (for `cdktf deploy`) and by `deployLocal`.
 */

/**
 * Provider `endpoints` key → prefixes of the Terraform resource and data source types it serves.
 * Longest prefix wins. A type with no entry fails `deployLocal` naming the type, so a module that
 * starts using a new service adds its row here instead of silently calling real AWS.
 */
export const ENDPOINT_SERVICE_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  autoscaling: ["aws_autoscaling_"],
  cloudwatch: ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm", "aws_cloudwatch_dashboard"],
  ec2: [
    "aws_vpc",
    "aws_default_",
    "aws_subnet",
    "aws_route",
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
    "aws_nat_gateway",
    "aws_eip",
    "aws_network_acl",
    "aws_network_interface",
    "aws_security_group",
    "aws_flow_log",
    "aws_launch_template",
    "aws_instance",
    "aws_ami",
    "aws_ec2_",
    "aws_ebs_",
    "aws_availability_zone",
    "aws_key_pair",
  ],
  elbv2: ["aws_lb", "aws_alb"],
  events: ["aws_cloudwatch_event_"],
  fis: ["aws_fis_"],
  iam: ["aws_iam_"],
  kms: ["aws_kms_"],
  lambda: ["aws_lambda_"],
  logs: ["aws_cloudwatch_log_"],
  rds: ["aws_rds_", "aws_db_"],
  s3: ["aws_s3_"],
  secretsmanager: ["aws_secretsmanager_"],
  sns: ["aws_sns_"],
  sqs: ["aws_sqs_"],
  ssm: ["aws_ssm_"],
  sts: ["aws_caller_identity"],
};

/** Types that never call AWS (computed in the provider), so they need no endpoint. */
const LOCAL_ONLY_TYPES = new Set(["aws_iam_policy_document", "aws_partition", "aws_region", "aws_arn"]);

/** The endpoints key serving a resource or data source type, or undefined if the table has none. */
export function endpointServiceOf(type: string): string | undefined {
  let best: { service: string; length: number } | undefined;
  for (const [service, prefixes] of Object.entries(ENDPOINT_SERVICE_PREFIXES)) {
    for (const prefix of prefixes) {
      if (type.startsWith(prefix) && (!best || prefix.length > best.length)) best = { service, length: prefix.length };
    }
  }
  return best?.service;
}

/**
 * The endpoints a configuration needs: `sts` always (the provider asks it for the account id),
 * plus the service of every resource and data source type. Types without a row are returned in
 * `unknownTypes`.
 */
export function endpointServicesFor(types: Iterable<string>): { services: string[]; unknownTypes: string[] } {
  const services = new Set<string>(["sts"]);
  const unknownTypes: string[] = [];
  for (const type of types) {
    if (LOCAL_ONLY_TYPES.has(type)) continue;
    const service = endpointServiceOf(type);
    if (service) services.add(service);
    else unknownTypes.push(type);
  }
  return { services: [...services].sort(), unknownTypes: [...new Set(unknownTypes)].sort() };
}

/** Only a loopback URL: a local endpoint must never send the mock keys (or any request) elsewhere. */
export const LOCAL_ENDPOINT_PATTERN = /^http:\/\/(127(\.\d{1,3}){3}|localhost|\[::1\]):\d{1,5}\/?$/;

/** Keys any emulator accepts; real credentials never go to a local endpoint. */
export const EMULATOR_ACCESS_KEY = "mock-access-key";
export const EMULATOR_SECRET_KEY = "mock-secret-key";

/**
 * Provider arguments (Terraform JSON names) that send every call of the given services to a
 * local endpoint. `skip_requesting_account_id` stays false: with it, security-group references
 * read back as `<account>/sg-…` and drift on every plan.
 */
export function localProviderSettings(endpoint: string, services: readonly string[]): Record<string, unknown> {
  const url = endpoint.replace(/\/$/, "");
  return {
    access_key: EMULATOR_ACCESS_KEY,
    secret_key: EMULATOR_SECRET_KEY,
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_requesting_account_id: false,
    s3_use_path_style: true,
    endpoints: [Object.fromEntries(services.map((service) => [service, url]))],
  };
}
