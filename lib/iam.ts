import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";

/**
 * The ARN partition of a region, for ARNs of AWS managed policies and accounts; `aws` when the
 * region is unknown. Derived from the name because the `aws_partition` data source would call AWS
 * and break the offline plan.
 */
export function partitionOf(region: string | undefined): string {
  if (!region) return "aws";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  return "aws";
}

/** Properties of {@link serviceRole}. */
export interface ServiceRoleProps {
  /** The service principal that assumes the role, e.g. `ec2.amazonaws.com`. */
  readonly service: string;
  /** Role name prefix (IAM adds a unique suffix, so a replacement never collides). */
  readonly namePrefix: string;
  /** @default - none */
  readonly description?: string;
}

/**
 * An IAM role only the given AWS service may assume, with its trust policy built as an object
 * (`aws_iam_policy_document`, computed locally, so plans stay offline). The trust document's id is
 * the role's with `Role` replaced by `Trust` (`FlowLogRole` → `FlowLogTrust`).
 */
export function serviceRole(scope: Construct, id: string, props: ServiceRoleProps): IamRole {
  const trust = new DataAwsIamPolicyDocument(scope, id.replace(/Role$/, "") + "Trust", {
    statement: [
      {
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: [props.service] }],
      },
    ],
  });
  return new IamRole(scope, id, {
    namePrefix: props.namePrefix,
    description: props.description,
    assumeRolePolicy: trust.json,
  });
}
