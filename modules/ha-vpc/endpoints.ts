/**
 * The AWS services HaVpc can reach privately, and what each supports. Kept as tables (not
 * scattered conditions) so adding a service is one row, and the error for an unknown name can list
 * every supported one.
 */
import { partitionOf } from "../../lib/iam";

/**
 * Services reachable through a gateway endpoint: a route in the route table, no network interface,
 * no hourly charge. Gateway endpoints are regional, so losing an AZ does not affect them.
 */
export enum GatewayEndpointService {
  /** Amazon S3 (also where Amazon Linux's package repositories live). */
  S3 = "s3",
  DYNAMODB = "dynamodb",
}

/**
 * Services reachable through an interface endpoint (AWS PrivateLink): a network interface in each
 * AZ's private subnet, billed per endpoint per AZ per hour (see the HaVpc README).
 */
export enum InterfaceEndpointService {
  /** Secrets Manager: the inventory app reads its database password here. */
  SECRETS_MANAGER = "secretsmanager",
  /** Systems Manager API (Session Manager, Parameter Store). */
  SSM = "ssm",
  /** Session Manager's data channels from the SSM agent. */
  SSM_MESSAGES = "ssmmessages",
  /** The SSM agent's command channel. */
  EC2_MESSAGES = "ec2messages",
  /** CloudWatch Logs (the CloudWatch agent, application logs). */
  LOGS = "logs",
  /** AWS STS. */
  STS = "sts",
}

/** Gateway endpoints HaVpc creates unless told otherwise: S3, which is free. */
export const DEFAULT_GATEWAY_ENDPOINTS: readonly GatewayEndpointService[] = [GatewayEndpointService.S3];

/** Interface endpoints HaVpc creates unless told otherwise: none (each costs money per AZ per hour). */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly InterfaceEndpointService[] = [];

/** The port every AWS API endpoint listens on. */
export const ENDPOINT_PORT = 443;

/**
 * Whether AWS accepts an endpoint policy on the service's interface endpoint. Secrets Manager, SSM,
 * CloudWatch Logs and STS document endpoint policies; for the two agent channels (ssmmessages,
 * ec2messages) we attach none and keep AWS's default, so an apply never fails on a policy the
 * service refuses. Check a region with `aws ec2 describe-vpc-endpoint-services --service-names
 * com.amazonaws.<region>.<service> --query 'ServiceDetails[].VpcEndpointPolicySupported'`.
 */
export const ENDPOINT_POLICY_SUPPORTED: Readonly<Record<InterfaceEndpointService, boolean>> = {
  [InterfaceEndpointService.SECRETS_MANAGER]: true,
  [InterfaceEndpointService.SSM]: true,
  [InterfaceEndpointService.SSM_MESSAGES]: false,
  [InterfaceEndpointService.EC2_MESSAGES]: false,
  [InterfaceEndpointService.LOGS]: true,
  [InterfaceEndpointService.STS]: true,
};

/**
 * Endpoint services whose name in the China regions (partition aws-cn) starts with `cn.com.amazonaws`
 * instead of `com.amazonaws`: of the services above, STS (`cn.com.amazonaws.cn-north-1.sts` in both
 * China regions). The other services, and both gateway endpoints, keep `com.amazonaws` there. AWS
 * refuses the other spelling at apply (InvalidServiceName). Check with `aws ec2
 * describe-vpc-endpoint-services --region cn-north-1 --query ServiceNames`; aws-cdk keeps the same
 * exceptions in `InterfaceVpcEndpointAwsService`.
 */
export const CHINA_PREFIXED_SERVICES: ReadonlySet<GatewayEndpointService | InterfaceEndpointService> = new Set([
  InterfaceEndpointService.STS,
]);

/**
 * AWS's name of a service's endpoint in a region, e.g. `com.amazonaws.us-east-1.secretsmanager`, or
 * `cn.com.amazonaws.cn-north-1.sts` for the China exceptions (`CHINA_PREFIXED_SERVICES`).
 */
export function endpointServiceName(region: string, service: GatewayEndpointService | InterfaceEndpointService): string {
  const prefix = partitionOf(region) === "aws-cn" && CHINA_PREFIXED_SERVICES.has(service) ? "cn.com.amazonaws" : "com.amazonaws";
  return `${prefix}.${region}.${service}`;
}
