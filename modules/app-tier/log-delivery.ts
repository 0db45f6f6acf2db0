import { partitionOf } from "../../lib/iam";

/**
 * Who writes ALB access logs into S3, per region. AWS documents two forms: regions available
 * before August 2022 need the regional Elastic Load Balancing account as the principal; newer
 * regions need the `logdelivery.elasticloadbalancing.amazonaws.com` service principal.
 *
 * Why a static table rather than the `aws_elb_service_account` data source: that data source is
 * evaluated by the provider during plan, which our offline plan (no credentials, no network) and
 * a reviewer reading the JSON both benefit from not needing. The table changes only when AWS
 * opens a region, and then the new region falls through to the service principal, which is right
 * for every region opened since August 2022.
 * Source: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html#access-logging-bucket-permissions
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-south-1": "635631232127",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
};

/** The service principal of ALB log delivery in regions opened since August 2022. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** An IAM policy principal, in the shape `aws_iam_policy_document` takes. */
export interface PolicyPrincipal {
  readonly type: "AWS" | "Service";
  readonly identifiers: string[];
}

/** The principal that must be allowed to put ALB access logs into a bucket in `region`. */
export function logDeliveryPrincipal(region: string): PolicyPrincipal {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  if (account) return { type: "AWS", identifiers: [`arn:${partitionOf(region)}:iam::${account}:root`] };
  return { type: "Service", identifiers: [ELB_LOG_DELIVERY_SERVICE] };
}

