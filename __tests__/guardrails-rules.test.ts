/**
 * Every guardrail rule, as a table: the compliant fixture passes it, each way of breaking it makes
 * exactly that rule fire on the resource that broke it, and a case it does not concern is
 * NOT_APPLICABLE (or, for rules on a resource type, never evaluated when the type is absent).
 */
import * as fs from "fs";
import * as path from "path";
import { gzipSync } from "zlib";
import { Construct } from "constructs";
import { TerraformVariable, Token } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { AutoscalingAttachment } from "@cdktf/provider-aws/lib/autoscaling-attachment";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingTrafficSourceAttachment } from "@cdktf/provider-aws/lib/autoscaling-traffic-source-attachment";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";
import { Alb } from "@cdktf/provider-aws/lib/alb";
import { AlbTargetGroup } from "@cdktf/provider-aws/lib/alb-target-group";
import { AlbListener } from "@cdktf/provider-aws/lib/alb-listener";
import { IamServerCertificate } from "@cdktf/provider-aws/lib/iam-server-certificate";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { encodeUserData } from "../modules/app-tier/user-data";
import { ADMIN_PORTS } from "../modules/guardrails/rules/sec-sg-1-admin-ports";
import { ALL_RULES, findRule } from "../modules/guardrails/packs";
import { Compliance } from "../modules/guardrails/types";
import { phpFpmPools } from "../modules/guardrails/rules/ha-db-2-connection-budget";
import { evaluationsOf, findingLines, relativePath, synthFindings } from "./helpers/guardrails/check";
import { FullFixture, fullFixture, networkFixture, pooledUserData } from "./helpers/guardrails/fixtures";
import { testStack } from "./helpers/template";

interface Break {
  /** Reads as "GIVEN <name>". */
  readonly name: string;
  readonly apply: (fx: FullFixture) => void;
  /** Construct path (below the stack) the finding must be on. */
  readonly at: string;
  /** Text the finding's problem must contain. */
  readonly mentions: string | RegExp;
  /** Other rules the same change legitimately breaks. */
  readonly alsoFires?: string[];
}

interface NotApplicable {
  readonly name: string;
  readonly build: () => HaStack;
  /** A resource whose verdict must be NOT_APPLICABLE; without it, the rule must not be evaluated at all. */
  readonly at?: string;
}

interface RuleCase {
  readonly ruleId: string;
  /** A resource of the compliant fixture the rule judges COMPLIANT. */
  readonly compliantAt: string;
  readonly breaks: Break[];
  readonly notApplicable: NotApplicable;
  /** Other compliant set-ups worth proving. */
  readonly alsoCompliant?: Array<{ name: string; apply: (fx: FullFixture) => void }>;
}

/** A stack with only the network fixture: no web tier, no database. */
function networkOnly(): HaStack {
  const stack = testStack();
  networkFixture(stack);
  return stack;
}

function route(fx: FullFixture, az: string): Route {
  return fx.stack.node.findChild("Net").node.findChild(az).node.findChild("PrivateDefaultRoute") as Route;
}

const base64 = (text: string) => Buffer.from(text).toString("base64");

const CASES: RuleCase[] = [
  // --- Security groups ---
  {
    ruleId: "SEC-SG-1",
    compliantAt: "Web/AlbHttpsIn",
    breaks: [
      {
        name: "an ingress rule opening SSH to 0.0.0.0/0",
        apply: (fx) =>
          new VpcSecurityGroupIngressRule(fx.stack, "Ssh", {
            securityGroupId: fx.web.appSecurityGroup.id,
            ipProtocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrIpv4: "0.0.0.0/0",
            description: "ssh for debugging",
          }),
        at: "Ssh",
        mentions: "22 (SSH)",
      },
      {
        name: "an all-protocols ingress rule from ::/0",
        apply: (fx) =>
          new VpcSecurityGroupIngressRule(fx.stack, "AllV6", {
            securityGroupId: fx.web.appSecurityGroup.id,
            ipProtocol: "-1",
            cidrIpv6: "::/0",
            description: "everything over IPv6",
          }),
        at: "AllV6",
        mentions: "3389 (RDP)",
      },
      {
        name: "an aws_security_group_rule whose port range covers RDP",
        apply: (fx) =>
          new SecurityGroupRule(fx.stack, "Rdp", {
            type: "ingress",
            securityGroupId: fx.web.appSecurityGroup.id,
            protocol: "tcp",
            fromPort: 3380,
            toPort: 3390,
            cidrBlocks: ["0.0.0.0/0"],
            description: "a range someone thought was harmless",
          }),
        at: "Rdp",
        mentions: "3389 (RDP)",
      },
      {
        name: "an inline ingress block opening MySQL to the world",
        apply: (fx) =>
          new SecurityGroup(fx.stack, "Inline", {
            vpcId: fx.net.vpc.id,
            description: "legacy inline rules",
            ingress: [{ fromPort: 3306, toPort: 3306, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "mysql" }],
          }),
        at: "Inline",
        mentions: "3306 (MySQL)",
      },
    ],
    notApplicable: {
      name: "a security group without inline rules",
      build: () => fullFixture().stack,
      at: "Web/AppSg",
    },
  },
  {
    ruleId: "SEC-SG-2",
    compliantAt: "Web/AlbSg",
    breaks: [
      {
        name: "a security group without a description",
        apply: (fx) => new SecurityGroup(fx.stack, "Bare", { vpcId: fx.net.vpc.id }),
        at: "Bare",
        mentions: "Managed by Terraform",
      },
      {
        name: "an ingress rule without a description",
        apply: (fx) => fx.web.httpsIngress.resetDescription(),
        at: "Web/AlbHttpsIn",
        mentions: /^has no description; say what the rule allows and why$/,
      },
    ],
    notApplicable: { name: "a stack without security groups", build: networkOnly },
  },
  {
    ruleId: "SEC-SG-3",
    compliantAt: "Db/FromApp",
    breaks: [
      {
        name: "the database security group admitting the VPC CIDR",
        apply: (fx) => {
          fx.db.ingressFromApp.resetReferencedSecurityGroupId();
          fx.db.ingressFromApp.cidrIpv4 = "10.0.0.0/16";
        },
        at: "Db/FromApp",
        mentions: "10.0.0.0/16",
      },
      {
        name: "an aws_security_group_rule with cidr_blocks on the database security group",
        apply: (fx) =>
          new SecurityGroupRule(fx.stack, "DbFromOffice", {
            type: "ingress",
            securityGroupId: fx.db.securityGroup.id,
            protocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrBlocks: ["203.0.113.0/24"],
            description: "office",
          }),
        at: "DbFromOffice",
        mentions: "203.0.113.0/24",
      },
    ],
    notApplicable: { name: "an ingress rule of the app's security group", build: () => fullFixture().stack, at: "Web/AppFromAlb" },
  },
  // --- Load balancer ---
  {
    ruleId: "SEC-ALB-1",
    compliantAt: "Web/Alb",
    breaks: [
      {
        name: "an ALB that passes invalid headers through",
        apply: (fx) => (fx.web.alb.dropInvalidHeaderFields = false),
        at: "Web/Alb",
        mentions:
          "drop_invalid_header_fields is false, so malformed headers reach the targets (a request-smuggling vector); " +
          "set drop_invalid_header_fields: true",
      },
      {
        name: "drop_invalid_header_fields left unset (the provider's default is false)",
        apply: (fx) => fx.web.alb.resetDropInvalidHeaderFields(),
        at: "Web/Alb",
        mentions: "drop_invalid_header_fields is false, so malformed headers",
      },
    ],
    notApplicable: { name: "a network load balancer", build: withNetworkLoadBalancer, at: "Nlb" },
  },
  {
    ruleId: "SEC-ALB-2",
    compliantAt: "Web/Alb",
    breaks: [
      {
        name: "an HTTP listener that forwards instead of redirecting",
        apply: (fx) => fx.web.httpListener.putDefaultAction([{ type: "forward", targetGroupArn: fx.web.targetGroup.arn }]),
        at: "Web/Alb",
        mentions: /HTTP listener .*Web\/Http \(port 80\) serves plain HTTP; make its default action a redirect with protocol "HTTPS"$/,
      },
      {
        name: "an HTTP listener that redirects, but to plain HTTP",
        apply: (fx) =>
          fx.web.httpListener.putDefaultAction([{ type: "redirect", redirect: { protocol: "HTTP", port: "8080", statusCode: "HTTP_301" } }]),
        at: "Web/Alb",
        mentions: /HTTP listener .*Web\/Http \(port 80\) serves plain HTTP/,
      },
      {
        name: "an HTTP listener whose redirect keeps the request's protocol (#{protocol}, the default)",
        apply: (fx) => fx.web.httpListener.putDefaultAction([{ type: "redirect", redirect: { port: "8443", statusCode: "HTTP_302" } }]),
        at: "Web/Alb",
        mentions: /HTTP listener .*Web\/Http \(port 80\) serves plain HTTP/,
      },
      {
        name: "a certificate in the stack but no HTTPS listener",
        apply: (fx) => fx.web.httpsListener.node.scope!.node.tryRemoveChild("Https"),
        at: "Web/Alb",
        mentions: /certificate .*Web\/Certificate but this load balancer has no HTTPS listener; add a listener with protocol HTTPS and certificate_arn$/,
      },
    ],
    notApplicable: { name: "an HTTP-only ALB in a stack without any certificate", build: plainHttpAlb, at: "PlainAlb" },
  },
  {
    ruleId: "SEC-ALB-3",
    compliantAt: "Web/Alb",
    breaks: [
      {
        name: "access logs named but disabled",
        apply: (fx) => fx.web.alb.putAccessLogs({ bucket: "some-bucket", enabled: false }),
        at: "Web/Alb",
        mentions:
          'access logs are off (access_logs {"enabled":false,"bucket":"some-bucket"}); ' +
          "set access_logs: { enabled: true, bucket } so requests can be traced after an incident",
      },
      {
        name: "no access_logs block",
        apply: (fx) => fx.web.alb.resetAccessLogs(),
        at: "Web/Alb",
        mentions: "not set",
      },
    ],
    notApplicable: { name: "a network load balancer", build: withNetworkLoadBalancer, at: "Nlb" },
  },
  // --- Launch template ---
  {
    ruleId: "SEC-LT-1",
    compliantAt: "Web/LaunchTemplate",
    breaks: [
      {
        name: "IMDSv1 allowed",
        apply: (fx) => fx.web.launchTemplate.putMetadataOptions({ httpTokens: "optional" }),
        at: "Web/LaunchTemplate",
        mentions: '"optional"',
      },
      {
        name: "no metadata_options at all",
        apply: (fx) => fx.web.launchTemplate.resetMetadataOptions(),
        at: "Web/LaunchTemplate",
        mentions: "IMDSv1 allowed",
      },
    ],
    notApplicable: { name: "a stack without launch templates", build: networkOnly },
  },
  {
    ruleId: "SEC-LT-2",
    compliantAt: "Web/LaunchTemplate",
    breaks: [
      {
        name: "an unencrypted root volume",
        apply: (fx) =>
          fx.web.launchTemplate.putBlockDeviceMappings([{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 20 } }]),
        at: "Web/LaunchTemplate",
        mentions: "/dev/xvda is not encrypted",
      },
      {
        name: "no block device mapping (the AMI decides)",
        apply: (fx) => fx.web.launchTemplate.resetBlockDeviceMappings(),
        at: "Web/LaunchTemplate",
        mentions: "maps no EBS volume",
      },
    ],
    alsoCompliant: [
      {
        name: "no block device mapping but EBS encryption by default in the stack",
        apply: (fx) => {
          fx.web.launchTemplate.resetBlockDeviceMappings();
          new EbsEncryptionByDefault(fx.stack, "EbsDefault", { enabled: true });
        },
      },
    ],
    notApplicable: { name: "a stack without launch templates", build: networkOnly },
  },
  {
    ruleId: "SEC-LT-3",
    compliantAt: "Web/LaunchTemplate",
    breaks: [
      {
        name: "a network interface with a public IP",
        apply: (fx) =>
          fx.web.launchTemplate.putNetworkInterfaces([{ deviceIndex: 0, associatePublicIpAddress: "true" }]),
        at: "Web/LaunchTemplate",
        mentions: "associate_public_ip_address: true",
      },
    ],
    notApplicable: { name: "a stack without launch templates", build: networkOnly },
  },
  {
    ruleId: "SEC-LT-4",
    compliantAt: "Web/LaunchTemplate",
    breaks: [
      {
        name: "a password in base64 user data",
        apply: (fx) => (fx.web.launchTemplate.userData = base64('#!/bin/bash\nDB_PASSWORD="s3cret-value"\n')),
        at: "Web/LaunchTemplate",
        mentions: /decoded user data line 2 has a password literal \(DB_PASSWORD="<redacted, 12 characters>"\)/,
      },
      {
        name: "a password in Terraform-rendered user data (literal parts as base64decode(…) around a reference)",
        apply: (fx) =>
          (fx.web.launchTemplate.userData = encodeUserData(
            `#!/bin/bash\nSECRET_ARN=${fx.db.cluster.masterUserSecret.get(0).secretArn}\ninventory_db_password="hunter2-in-clear"\n`,
          )),
        at: "Web/LaunchTemplate",
        mentions: /decoded user data line 3 has a password literal \(inventory_db_password="<redacted, 16 characters>"\)/,
      },
      {
        name: "Terraform-rendered user data that fetches the database secret and writes it to a file",
        apply: (fx) =>
          (fx.web.launchTemplate.userData = encodeUserData(
            "#cloud-config\nruncmd:\n" +
              `  - [ sh, -c, "aws secretsmanager get-secret-value --secret-id ${fx.db.cluster.masterUserSecret.get(0).secretArn} --query SecretString --output text > /etc/app/db.json" ]\n`,
          )),
        at: "Web/LaunchTemplate",
        mentions: /decoded user data line 3: a secret is written to \/etc\/app\/db\.json; keep it in the memory/,
      },
      {
        name: "base64 user data that keeps the secret in a variable and writes it out later",
        apply: (fx) =>
          (fx.web.launchTemplate.userData = base64(
            "#!/bin/bash\nDB=$(aws secretsmanager get-secret-value --secret-id db --query SecretString --output text)\necho \"$DB\" > /root/.db\n",
          )),
        at: "Web/LaunchTemplate",
        mentions: "decoded user data line 3: a secret is written to /root/.db",
      },
      {
        name: "a private key in gzipped, base64 user data",
        apply: (fx) =>
          (fx.web.launchTemplate.userData = gzipSync("#cloud-config\nwrite_files:\n  - content: |\n      -----BEGIN RSA PRIVATE KEY-----\n").toString(
            "base64",
          )),
        at: "Web/LaunchTemplate",
        mentions: "private-key",
      },
    ],
    alsoCompliant: [
      {
        name: "Terraform-rendered user data that reads the secret into a variable and discards errors",
        apply: (fx) =>
          (fx.web.launchTemplate.userData = encodeUserData(
            `#!/bin/bash\nDB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id ${fx.db.cluster.masterUserSecret.get(0).secretArn} 2>/dev/null)\nexport DB_PASSWORD\n`,
          )),
      },
    ],
    notApplicable: {
      name: "a launch template without user data",
      build: () => {
        const fx = fullFixture();
        fx.web.launchTemplate.resetUserData();
        return fx.stack;
      },
      at: "Web/LaunchTemplate",
    },
  },
  // --- Aurora ---
  {
    ruleId: "SEC-RDS-1",
    compliantAt: "Db/Cluster",
    breaks: [
      {
        name: "unencrypted storage",
        apply: (fx) => (fx.db.cluster.storageEncrypted = false),
        at: "Db/Cluster",
        mentions: "storage_encrypted is false; set storageEncrypted: true (only possible at creation)",
      },
      {
        name: "storage encryption left unset (AWS default: unencrypted)",
        apply: (fx) => fx.db.cluster.resetStorageEncrypted(),
        at: "Db/Cluster",
        mentions: "storage_encrypted is false; set storageEncrypted: true (only possible at creation)",
      },
    ],
    notApplicable: { name: "a stack without a database", build: networkOnly },
  },
  {
    ruleId: "SEC-RDS-2",
    compliantAt: "Db/Cluster",
    breaks: [
      {
        name: "one day of backups",
        apply: (fx) => (fx.db.cluster.backupRetentionPeriod = 1),
        at: "Db/Cluster",
        mentions: "backup_retention_period is 1; set backupRetentionPeriod to 7 or more so a bad deploy found after a weekend can be rolled back",
      },
      {
        name: "backup retention left to the AWS default",
        apply: (fx) => fx.db.cluster.resetBackupRetentionPeriod(),
        at: "Db/Cluster",
        mentions: "unset (AWS keeps 1 day)",
      },
    ],
    notApplicable: { name: "a stack without a database", build: networkOnly },
  },
  {
    ruleId: "SEC-RDS-3",
    compliantAt: "Db/Cluster",
    breaks: [
      {
        name: "deletion protection off",
        apply: (fx) => (fx.db.cluster.deletionProtection = false),
        at: "Db/Cluster",
        mentions: "deletion_protection is off",
      },
    ],
    notApplicable: { name: "a stack without a database", build: networkOnly },
  },
  {
    ruleId: "SEC-RDS-4",
    compliantAt: "Db/Cluster",
    breaks: [
      {
        name: "IAM authentication off",
        apply: (fx) => (fx.db.cluster.iamDatabaseAuthenticationEnabled = false),
        at: "Db/Cluster",
        mentions: /iam_database_authentication_enabled is off.*set iamDatabaseAuthenticationEnabled: true/,
      },
    ],
    notApplicable: { name: "a stack without a database", build: networkOnly },
  },
  {
    ruleId: "SEC-RDS-5",
    compliantAt: "Db/Cluster",
    breaks: [
      {
        name: "no log exports",
        apply: (fx) => fx.db.cluster.resetEnabledCloudwatchLogsExports(),
        at: "Db/Cluster",
        mentions: 'enabled_cloudwatch_logs_exports is empty; export ["postgresql"] so errors and connections can be investigated',
      },
      {
        name: "an empty export list",
        apply: (fx) => (fx.db.cluster.enabledCloudwatchLogsExports = []),
        at: "Db/Cluster",
        mentions: 'enabled_cloudwatch_logs_exports is empty; export ["postgresql"]',
      },
      {
        name: "exports that miss the engine log",
        apply: (fx) => (fx.db.cluster.enabledCloudwatchLogsExports = ["upgrade"]),
        at: "Db/Cluster",
        mentions: 'lacks "postgresql"',
      },
    ],
    notApplicable: { name: "a stack without a database", build: networkOnly },
  },
  {
    ruleId: "SEC-RDS-6",
    compliantAt: "Db/Instance1",
    breaks: [
      {
        name: "a publicly accessible instance",
        apply: (fx) => (fx.db.instances[1].publiclyAccessible = true),
        at: "Db/Instance2",
        mentions: "publicly_accessible is true",
      },
    ],
    notApplicable: { name: "a stack without a database", build: networkOnly },
  },
  {
    ruleId: "SEC-RDS-7",
    compliantAt: "Db/Cluster",
    breaks: [
      {
        name: "a literal master password instead of a managed one",
        apply: (fx) => {
          fx.db.cluster.resetManageMasterUserPassword();
          fx.db.cluster.masterPassword = "correct-horse-battery";
        },
        at: "Db/Cluster",
        mentions: "sets master_password",
        alsoFires: ["SEC-SECRET-1"],
      },
      {
        name: "neither a managed nor a given password",
        apply: (fx) => fx.db.cluster.resetManageMasterUserPassword(),
        at: "Db/Cluster",
        mentions: "manage_master_user_password is not true",
      },
    ],
    notApplicable: {
      name: "a cluster restored from a snapshot (credentials come from the snapshot)",
      build: () => {
        const fx = fullFixture();
        fx.db.cluster.resetManageMasterUserPassword();
        fx.db.cluster.snapshotIdentifier = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:before-upgrade";
        return fx.stack;
      },
      at: "Db/Cluster",
    },
  },
  // --- VPC ---
  {
    ruleId: "SEC-VPC-1",
    compliantAt: "Net/Vpc",
    breaks: [
      {
        name: "a VPC without flow logs",
        apply: (fx) => fx.stack.node.findChild("Net").node.tryRemoveChild("FlowLog"),
        at: "Net/Vpc",
        mentions: "has no flow log",
      },
    ],
    notApplicable: { name: "a stack without a VPC", build: () => testStack() },
  },
  {
    ruleId: "SEC-VPC-2",
    compliantAt: "Net/Vpc",
    breaks: [
      {
        name: "a VPC whose default security group is not adopted",
        apply: (fx) => fx.stack.node.findChild("Net").node.tryRemoveChild("DefaultSecurityGroup"),
        at: "Net/Vpc",
        mentions:
          "leaves its default security group as AWS creates it (all traffic between members, all egress); " +
          "adopt it with an aws_default_security_group that has no rules",
      },
      {
        name: "an adopted default security group that keeps a rule",
        apply: (fx) =>
          fx.net.defaultSecurityGroup.putIngress([{ fromPort: 0, toPort: 0, protocol: "-1", selfAttribute: true }]),
        at: "Net/Vpc",
        mentions: "default security group test/Net/DefaultSecurityGroup has rules; remove every ingress and egress block",
      },
      {
        name: "an adopted default security group that keeps only an egress rule",
        apply: (fx) => fx.net.defaultSecurityGroup.putEgress([{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }]),
        at: "Net/Vpc",
        mentions: "has rules",
      },
    ],
    notApplicable: { name: "a stack without a VPC", build: () => testStack() },
  },
  {
    ruleId: "SEC-VPC-3",
    compliantAt: "Net/us-east-1a/Private",
    breaks: [
      {
        name: "a private subnet handing out public IPs",
        apply: (fx) => (fx.net.privateSubnets[0].mapPublicIpOnLaunch = true),
        at: "Net/us-east-1a/Private",
        mentions: "is a private subnet but sets map_public_ip_on_launch: true",
      },
      {
        name: "an isolated subnet handing out public IPs",
        apply: (fx) => (fx.net.isolatedSubnets[1].mapPublicIpOnLaunch = true),
        at: "Net/us-east-1b/Isolated",
        mentions: "is a isolated subnet",
      },
    ],
    notApplicable: {
      name: "a public subnet handing out public IPs",
      build: () => {
        const fx = fullFixture();
        fx.net.publicSubnets[0].mapPublicIpOnLaunch = true;
        return fx.stack;
      },
      at: "Net/us-east-1a/Public",
    },
  },
  {
    ruleId: "SEC-SECRET-1",
    compliantAt: "Web/LaunchTemplate",
    breaks: [
      {
        name: "an AWS access key id in a tag",
        apply: (fx) => new S3Bucket(fx.stack, "Leaky", { bucketPrefix: "leaky-", tags: { deployKey: "AKIAIOSFODNN7EXAMPLE" } }),
        at: "Leaky",
        mentions: /attribute tags holds a aws-access-key-id literal \(AKIA…\(20 chars\)\)/,
      },
      {
        name: "a secret key written into the provider block",
        apply: (fx) => (fx.stack.provider.secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        // Provider blocks carry no construct path in the JSON, so the finding goes on the stack.
        at: "(stack)",
        mentions: "attribute secret_key holds a aws-secret-access-key literal",
      },
    ],
    notApplicable: {
      name: "a resource with only booleans",
      build: () => {
        const stack = testStack();
        new EbsEncryptionByDefault(stack, "EbsDefault", { enabled: true });
        return stack;
      },
      at: "EbsDefault",
    },
  },
  // --- HA ---
  {
    ruleId: "HA-SUBNET-1",
    compliantAt: "Net/Vpc",
    breaks: [
      {
        name: "a network in one AZ",
        apply: (fx) => {
          fx.net.publicSubnets[1].availabilityZone = "us-east-1a";
          fx.net.privateSubnets[1].availabilityZone = "us-east-1a";
        },
        at: "Net/Vpc",
        mentions: /its (public|private) subnets span 1 AZ \(us-east-1a\)/,
        // Each private subnet still has its own NAT in its (now shared) AZ, and min 2 >= 1 AZ. The
        // Secrets Manager endpoint now sits in us-east-1a only while the isolated subnets still use us-east-1b.
        alsoFires: ["HA-ALB-1", "HA-ASG-1", "HA-VPCE-1"],
      },
      {
        name: "an isolated subnet without a pinned AZ",
        apply: (fx) => fx.net.isolatedSubnets[1].resetAvailabilityZone(),
        at: "Net/Vpc",
        mentions: /isolated subnets span 1 AZ .*Net\/us-east-1b\/Isolated pin no availability_zone/,
      },
    ],
    notApplicable: {
      name: "a VPC without subnets",
      build: () => {
        const stack = testStack();
        new Vpc(stack, "Empty", { cidrBlock: "10.9.0.0/16" });
        return stack;
      },
      at: "Empty",
    },
  },
  {
    ruleId: "HA-NAT-1",
    compliantAt: "Net/us-east-1b/PrivateRouteTable",
    breaks: [
      {
        name: "a second AZ routed through the first AZ's NAT gateway",
        apply: (fx) => (route(fx, "us-east-1b").natGatewayId = fx.net.natGateways[0].id),
        at: "Net/us-east-1b/PrivateRouteTable",
        mentions: /sends .*Net\/us-east-1b\/Private \(us-east-1b\) through NAT gateway .*Net\/us-east-1a\/Nat in us-east-1a/,
      },
      {
        name: "a NAT gateway from outside the stack",
        apply: (fx) => (route(fx, "us-east-1a").natGatewayId = "nat-0123456789abcdef0"),
        at: "Net/us-east-1a/PrivateRouteTable",
        mentions: "nat-0123456789abcdef0, whose AZ cannot be told",
      },
    ],
    notApplicable: { name: "the public route table", build: () => fullFixture().stack, at: "Net/PublicRouteTable" },
  },
  {
    ruleId: "HA-VPCE-1",
    compliantAt: "Net/SecretsEndpoint",
    breaks: [
      {
        name: "a private-DNS interface endpoint in one AZ of two",
        apply: (fx) => (fx.net.secretsEndpoint.subnetIds = [fx.net.privateSubnets[0].id]),
        at: "Net/SecretsEndpoint",
        mentions: /network interfaces in us-east-1a but its VPC also uses us-east-1b; .* losing us-east-1a cuts us-east-1b off secretsmanager/,
      },
      {
        name: "an interface endpoint on a subnet id from outside the stack",
        apply: (fx) => (fx.net.secretsEndpoint.subnetIds = [...fx.net.privateSubnets.map((s) => s.id), "subnet-0abc"]),
        at: "Net/SecretsEndpoint",
        mentions: "subnet-0abc cannot be placed in an AZ",
      },
    ],
    alsoCompliant: [
      { name: "an endpoint without private DNS in one AZ (only clients that name it use it)", apply: (fx) => {
        fx.net.secretsEndpoint.privateDnsEnabled = false;
        fx.net.secretsEndpoint.subnetIds = [fx.net.privateSubnets[0].id];
      } },
    ],
    notApplicable: {
      name: "an interface endpoint without private DNS",
      build: () => {
        const fx = fullFixture();
        fx.net.secretsEndpoint.privateDnsEnabled = false;
        return fx.stack;
      },
      at: "Net/SecretsEndpoint",
    },
  },
  {
    ruleId: "HA-ALB-1",
    compliantAt: "Web/Alb",
    breaks: [
      {
        name: "an ALB in one AZ",
        apply: (fx) => (fx.web.alb.subnets = [fx.net.publicSubnets[0].id]),
        at: "Web/Alb",
        mentions: "span 1 AZ (us-east-1a)",
      },
      {
        name: "an ALB on a subnet id from outside the stack",
        apply: (fx) => (fx.web.alb.subnets = [fx.net.publicSubnets[0].id, "subnet-0abc"]),
        at: "Web/Alb",
        mentions: "the AZ of subnet-0abc cannot be told",
      },
    ],
    notApplicable: { name: "a stack without load balancers", build: networkOnly },
  },
  {
    ruleId: "HA-ASG-1",
    compliantAt: "Web/Asg",
    breaks: [
      {
        name: "an ASG in one private subnet",
        apply: (fx) => {
          fx.web.asg.vpcZoneIdentifier = [fx.net.privateSubnets[0].id];
        },
        at: "Web/Asg",
        mentions: "launches into 1 AZ (us-east-1a)",
      },
    ],
    notApplicable: { name: "a stack without Auto Scaling groups", build: networkOnly },
  },
  {
    ruleId: "HA-ASG-2",
    compliantAt: "Web/Asg",
    breaks: [
      {
        name: "an ASG minimum of 1 across 2 AZs",
        apply: (fx) => (fx.web.asg.minSize = 1),
        at: "Web/Asg",
        mentions: "min_size (1) is below the number of AZs (2: us-east-1a, us-east-1b)",
      },
    ],
    notApplicable: {
      name: "an ASG whose AZs cannot be told (HA-ASG-1 reports it)",
      build: () => {
        const stack = testStack();
        new AutoscalingGroup(stack, "Foreign", { minSize: 1, maxSize: 2, vpcZoneIdentifier: ["subnet-0abc"] });
        return stack;
      },
      at: "Foreign",
    },
  },
  {
    ruleId: "HA-ASG-3",
    compliantAt: "Web/Asg",
    breaks: [
      {
        name: "EC2 health checks behind a load balancer",
        apply: (fx) => (fx.web.asg.healthCheckType = "EC2"),
        at: "Web/Asg",
        mentions: 'health_check_type is "EC2"',
      },
      {
        name: "the default health check type behind a load balancer",
        apply: (fx) => fx.web.asg.resetHealthCheckType(),
        at: "Web/Asg",
        mentions: "EC2 (default)",
      },
    ],
    notApplicable: {
      name: "an ASG attached to no load balancer",
      build: () => {
        const fx = fullFixture();
        fx.web.asg.resetTargetGroupArns();
        return fx.stack;
      },
      at: "Web/Asg",
    },
  },
  {
    ruleId: "HA-DB-1",
    compliantAt: "Db/Cluster",
    breaks: [
      {
        name: "a writer and a reader in the same AZ",
        apply: (fx) => (fx.db.instances[1].availabilityZone = "us-east-1a"),
        at: "Db/Cluster",
        mentions: "2 instance(s) in 1 pinned AZ (us-east-1a)",
      },
      {
        name: "instances whose AZ AWS picks",
        apply: (fx) => fx.db.instances.forEach((i) => i.resetAvailabilityZone()),
        at: "Db/Cluster",
        mentions: "pin no availability_zone",
      },
    ],
    notApplicable: { name: "a stack without a database", build: networkOnly },
  },
  {
    ruleId: "HA-MON-1",
    compliantAt: "Web/Targets",
    breaks: [
      {
        name: "no alarm names the target group",
        apply: (fx) => fx.alarms.targetGroupAlarm.addOverride("dimensions.TargetGroup", "targetgroup/elsewhere/0123456789abcdef"),
        at: "Web/Targets",
        mentions: "no CloudWatch alarm watches this target group",
      },
      {
        name: "the only database alarm names another cluster",
        apply: (fx) => fx.alarms.clusterAlarm.addOverride("dimensions", { DBClusterIdentifier: "some-other-cluster" }),
        at: "Db/Cluster",
        mentions: "none has a DBClusterIdentifier dimension naming it",
      },
    ],
    alsoCompliant: [
      {
        name: "an alarm naming the cluster by its literal identifier",
        apply: (fx) => {
          fx.db.cluster.addOverride("cluster_identifier", "shop-db");
          fx.alarms.clusterAlarm.addOverride("dimensions", { DBClusterIdentifier: "shop-db", Role: "WRITER" });
        },
      },
      {
        name: "a metric-math alarm whose metric names the target group",
        apply: (fx) => {
          fx.alarms.targetGroupAlarm.addOverride("dimensions", null);
          fx.alarms.targetGroupAlarm.addOverride("metric_name", null);
          fx.alarms.targetGroupAlarm.addOverride("namespace", null);
          fx.alarms.targetGroupAlarm.addOverride("period", null);
          fx.alarms.targetGroupAlarm.addOverride("statistic", null);
          fx.alarms.targetGroupAlarm.addOverride("metric_query", [
            { id: "e", expression: "m * 1", return_data: true },
            {
              id: "m",
              metric: { metric_name: "HealthyHostCount", namespace: "AWS/ApplicationELB", period: 60, stat: "Minimum", dimensions: { TargetGroup: fx.web.targetGroup.arnSuffix } },
            },
          ]);
        },
      },
    ],
    notApplicable: {
      name: "a DEVELOPMENT-intent stack without alarms",
      build: () => {
        const fx = fullFixture({}, testStack({ intent: StackIntent.DEVELOPMENT }));
        fx.alarms.targetGroupAlarm.addOverride("dimensions.TargetGroup", "targetgroup/elsewhere/0123456789abcdef");
        return fx.stack;
      },
      at: "Web/Targets",
    },
  },
  {
    ruleId: "HA-DB-2",
    compliantAt: "Web/Asg",
    breaks: [
      {
        name: "a pool of 100 workers on 6 instances against 500 connections",
        apply: (fx) => (fx.web.launchTemplate.userData = pooledUserData(fx.db.cluster.endpoint, 100)),
        at: "Web/Asg",
        mentions: "max_size 6 × pm.max_children 100 + 10 = 610 connections, over the max_connections (500)",
      },
      {
        name: "an ASG scaled out to 80 instances of 8 workers",
        apply: (fx) => (fx.web.asg.maxSize = 80),
        at: "Web/Asg",
        mentions: "lower pm.max_children to 6",
      },
      {
        name: "an Aurora PostgreSQL class without a max_connections parameter (no published default in the table)",
        apply: (fx) => fx.db.instances.forEach((i) => i.resetDbParameterGroupName()),
        at: "Web/Asg",
        mentions: "max_connections is unknown",
      },
    ],
    alsoCompliant: [
      {
        name: "an Aurora MySQL writer of a published class (db.r6g.large: 1000) without a parameter group",
        apply: (fx) => {
          fx.db.cluster.engine = "aurora-mysql";
          fx.db.instances.forEach((i) => i.resetDbParameterGroupName());
        },
      },
    ],
    notApplicable: {
      name: "an ASG whose user data runs no php-fpm pool",
      build: () => {
        const fx = fullFixture();
        fx.web.launchTemplate.userData = base64("#!/bin/bash\necho ready > /tmp/ready\n");
        return fx.stack;
      },
      at: "Web/Asg",
    },
  },
];

/** An extra network load balancer in the compliant fixture. */
function withNetworkLoadBalancer(): HaStack {
  const fx = fullFixture();
  new Lb(fx.stack, "Nlb", { loadBalancerType: "network", subnets: fx.net.publicSubnets.map((s) => s.id) });
  return fx.stack;
}

/** An ALB serving plain HTTP in a stack that has no certificate anywhere. */
function plainHttpAlb(): HaStack {
  const stack = testStack();
  const net = networkFixture(stack);
  const logs = new S3Bucket(stack, "Logs", { bucketPrefix: "logs-" });
  const alb = new Lb(stack, "PlainAlb", {
    subnets: net.publicSubnets.map((s) => s.id),
    dropInvalidHeaderFields: true,
    accessLogs: { bucket: logs.bucket, enabled: true },
  });
  new LbListener(new Construct(stack, "Listeners"), "Http", {
    loadBalancerArn: alb.arn,
    port: 80,
    protocol: "HTTP",
    defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }],
  });
  return stack;
}

test("every rule of both packs has a row in this table", () => {
  expect(CASES.map((c) => c.ruleId).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
});

test("the README's rule table lists every rule with its pack, level and requirement", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "modules", "guardrails", "README.md"), "utf8");
  const rows = readme.split("\n").filter((line) => /^\| `(SEC|HA)-/.test(line));
  expect(rows).toEqual(ALL_RULES.map((r) => `| \`${r.id}\` | ${r.pack} | ${r.level} | ${r.description} |`));
});

test("GIVEN the compliant fixture THEN no rule of either pack fires", () => {
  expect(synthFindings(fullFixture().stack)).toEqual([]);
});

describe.each(CASES)("$ruleId", (c) => {
  const rule = findRule(c.ruleId)!;

  test(`GIVEN the compliant fixture THEN it judges ${c.compliantAt} COMPLIANT`, () => {
    const { stack } = fullFixture();
    const verdicts = evaluationsOf(stack, c.ruleId).filter((e) => e.resource.path === `${stack.node.path}/${c.compliantAt}`);
    expect(verdicts.map((v) => v.result.compliance)).toEqual([Compliance.COMPLIANT]);
  });

  test.each(c.breaks)("GIVEN $name THEN it fires on $at", (b) => {
    const fx = fullFixture();
    b.apply(fx);
    const findings = synthFindings(fx.stack);
    const own = findings.filter((f) => f.ruleId === c.ruleId);
    expect(own.map((f) => relativePath(fx.stack, f.path))).toEqual([b.at]);
    expect(own[0].level).toBe(rule.level);
    expect(own[0].suppressedBy).toBeUndefined();
    expect(own[0].problem).toMatch(b.mentions);
    expect(own[0].message).toContain(`[${c.ruleId}]`);
    const others = [...new Set(findings.filter((f) => f.ruleId !== c.ruleId).map((f) => f.ruleId))].sort();
    expect(others).toEqual([...(b.alsoFires ?? [])].sort());
  });

  for (const variant of c.alsoCompliant ?? []) {
    test(`GIVEN ${variant.name} THEN it does not fire`, () => {
      const fx = fullFixture();
      variant.apply(fx);
      expect(synthFindings(fx.stack).filter((f) => f.ruleId === c.ruleId)).toEqual([]);
    });
  }

  test(`GIVEN ${c.notApplicable.name} THEN it is not applicable`, () => {
    const stack = c.notApplicable.build();
    const verdicts = evaluationsOf(stack, c.ruleId);
    if (c.notApplicable.at) {
      const here = verdicts.filter((v) => v.resource.path === `${stack.node.path}/${c.notApplicable.at}`);
      expect(here.map((v) => v.result.compliance)).toEqual([Compliance.NOT_APPLICABLE]);
    } else {
      expect(verdicts).toEqual([]);
    }
    expect(synthFindings(stack).filter((f) => f.ruleId === c.ruleId)).toEqual([]);
  });
});

test("GIVEN a rule whose resource came from a raw override THEN the finding lands on the stack, naming the address", () => {
  const stack = testStack();
  stack.addOverride("resource.aws_rds_cluster.raw", {
    engine: "aurora-postgresql",
    manage_master_user_password: true,
    storage_encrypted: false,
    backup_retention_period: 7,
  });
  const finding = synthFindings(stack).find((f) => f.ruleId === "SEC-RDS-1")!;
  expect(finding.path).toBe(stack.node.path);
  expect(finding.resource).toBe("aws_rds_cluster.raw");
  expect(finding.message).toContain("aws_rds_cluster.raw (no construct)");
});

test("GIVEN an ALB subnet list built with a Terraform function THEN the referenced subnets' AZs still count", () => {
  const fx = fullFixture();
  fx.web.alb.addOverride("subnets", `\${concat([${fx.net.publicSubnets.map((s) => `aws_subnet.${(s as any).friendlyUniqueId}.id`).join(", ")}])}`);
  expect(evaluationsOf(fx.stack, "HA-ALB-1").map((e) => e.result.compliance)).toEqual([Compliance.COMPLIANT]);
});

test("GIVEN cluster instances referencing a cluster in another stack's JSON THEN HA-DB-1 counts only this cluster's instances", () => {
  const fx = fullFixture();
  new RdsCluster(fx.stack, "Other", {
    engine: "aurora-postgresql",
    manageMasterUserPassword: true,
    masterUsername: "x",
    storageEncrypted: true,
    backupRetentionPeriod: 7,
  });
  const verdicts = evaluationsOf(fx.stack, "HA-DB-1");
  const byPath = Object.fromEntries(verdicts.map((v) => [relativePath(fx.stack, v.resource.path!), v.result.compliance]));
  expect(byPath).toEqual({ "Db/Cluster": Compliance.COMPLIANT, Other: Compliance.NON_COMPLIANT });
});

describe("SEC-ALB rules on the aws_alb / aws_alb_listener aliases and on other load balancer types", () => {
  test("SEC-ALB: GIVEN an aws_alb with an aws_alb_listener serving plain HTTP and nothing turned on THEN SEC-ALB-1, -2 and -3 fire on it", () => {
    const fx = fullFixture();
    const alb = new Alb(fx.stack, "Legacy", { subnets: fx.net.publicSubnets.map((s) => s.id) });
    new AlbListener(fx.stack, "LegacyHttp", {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "forward", targetGroupArn: fx.web.targetGroup.arn }],
    });
    const on = (rule: string) =>
      synthFindings(fx.stack)
        .filter((f) => f.ruleId === rule)
        .map((f) => `${relativePath(fx.stack, f.path)}: ${f.problem}`);
    expect(on("SEC-ALB-1")).toEqual([expect.stringMatching(/^Legacy: drop_invalid_header_fields is false/)]);
    expect(on("SEC-ALB-2")).toEqual([
      expect.stringMatching(/^Legacy: the stack has certificate .* but this load balancer has no HTTPS listener; .*HTTP listener .*LegacyHttp \(port 80\) serves plain HTTP/),
    ]);
    expect(on("SEC-ALB-3")).toEqual(["Legacy: access logs are off (access_logs not set); set access_logs: { enabled: true, bucket } so requests can be traced after an incident"]);
  });

  test("SEC-ALB-2: GIVEN a listener without a protocol (HTTP by default) that forwards THEN it fires on it", () => {
    const fx = fullFixture();
    new LbListener(fx.stack, "NoProtocol", {
      loadBalancerArn: fx.web.alb.arn,
      port: 8080,
      defaultAction: [{ type: "forward", targetGroupArn: fx.web.targetGroup.arn }],
    });
    const own = synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-ALB-2");
    expect(own.map((f) => f.problem)).toEqual([expect.stringMatching(/^HTTP listener .*NoProtocol \(port 8080\) serves plain HTTP; /)]);
  });

  test("SEC-ALB-2: GIVEN a listener without a protocol but with a certificate (HTTPS) THEN it does not fire", () => {
    const fx = fullFixture();
    new LbListener(fx.stack, "TlsByCertificate", {
      loadBalancerArn: fx.web.alb.arn,
      port: 8443,
      certificateArn: fx.web.certificate.arn,
      defaultAction: [{ type: "forward", targetGroupArn: fx.web.targetGroup.arn }],
    });
    expect(synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-ALB-2")).toEqual([]);
  });

  test("SEC-ALB-2: GIVEN a network load balancer in a stack with a certificate THEN it is not applicable to it", () => {
    const stack = withNetworkLoadBalancer();
    const here = evaluationsOf(stack, "SEC-ALB-2").filter((v) => v.resource.path === `${stack.node.path}/Nlb`);
    expect(here.map((v) => v.result.compliance)).toEqual([Compliance.NOT_APPLICABLE]);
  });
});

describe("SEC-LT rules: edge cases and whole messages", () => {
  const ltFindings = (fx: FullFixture, rule: string) => synthFindings(fx.stack).filter((f) => f.ruleId === rule).map((f) => f.problem);
  const NO_EBS =
    "maps no EBS volume, so the root volume is encrypted only if the AMI's snapshot is; map the root device " +
    '(e.g. /dev/xvda) with ebs: { encrypted: "true" } or add aws_ebs_encryption_by_default';

  test("SEC-LT-1: GIVEN IMDSv1 allowed THEN the message says so and gives the fix", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.putMetadataOptions({ httpTokens: "optional" });
    expect(ltFindings(fx, "SEC-LT-1")).toEqual([
      'metadata_options.http_tokens is "optional", so an SSRF bug can read the instance role\'s credentials; ' +
        'set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" }',
    ]);
  });

  test("SEC-LT-2: GIVEN EBS encryption by default turned off (enabled = false) and no mapped volume THEN it fires with the fix", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.resetBlockDeviceMappings();
    new EbsEncryptionByDefault(fx.stack, "EbsDefault", { enabled: false });
    expect(ltFindings(fx, "SEC-LT-2")).toEqual([NO_EBS]);
  });

  test("SEC-LT-2: GIVEN EBS encryption by default with enabled unset (the provider's default is on) THEN it does not fire", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.resetBlockDeviceMappings();
    new EbsEncryptionByDefault(fx.stack, "EbsDefault", {});
    expect(ltFindings(fx, "SEC-LT-2")).toEqual([]);
  });

  test("SEC-LT-2: GIVEN only an instance-store mapping (no ebs block) THEN it counts as no EBS volume mapped", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.putBlockDeviceMappings([{ deviceName: "/dev/sdb", virtualName: "ephemeral0" }]);
    expect(ltFindings(fx, "SEC-LT-2")).toEqual([NO_EBS]);
  });

  test("SEC-LT-2: GIVEN an unencrypted EBS mapping without a device name THEN the message says so", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.putBlockDeviceMappings([{ ebs: { volumeSize: 8 } }]);
    expect(ltFindings(fx, "SEC-LT-2")).toEqual(['volume (no device_name) is not encrypted; set ebs.encrypted: "true"']);
  });

  test("SEC-LT-3: GIVEN a network interface without device_index asking for a public IP THEN it names interface 0 and the fix", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.putNetworkInterfaces([{ associatePublicIpAddress: "true" }]);
    expect(ltFindings(fx, "SEC-LT-3")).toEqual([
      "network interface 0 sets associate_public_ip_address: true, putting instances on the internet; " +
        "keep them in private subnets behind the load balancer",
    ]);
  });

  test("SEC-LT-3: GIVEN a network interface that refuses a public IP THEN it does not fire", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.putNetworkInterfaces([{ deviceIndex: 0, associatePublicIpAddress: "false" }]);
    expect(ltFindings(fx, "SEC-LT-3")).toEqual([]);
  });

  test("SEC-LT-4: GIVEN empty user data THEN it is not applicable", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.userData = "";
    const here = evaluationsOf(fx.stack, "SEC-LT-4").filter((v) => v.resource.path === `${fx.stack.node.path}/Web/LaunchTemplate`);
    expect(here.map((v) => v.result.compliance)).toEqual([Compliance.NOT_APPLICABLE]);
  });

  test("SEC-LT-4: GIVEN a password in plain-text (not encoded) user data THEN the finding is on the user data itself", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.userData = '#!/bin/bash\nDB_PASSWORD="hunter2-in-clear"\n';
    expect(ltFindings(fx, "SEC-LT-4")).toEqual([
      expect.stringMatching(/^user data line 2 has a password literal \(DB_PASSWORD="<redacted, \d+ characters>"\); read it at boot/),
    ]);
  });
});

test("SEC-SECRET-1: GIVEN a password in a launch template's user data THEN it leaves the finding to SEC-LT-4 (reported once)", () => {
  const fx = fullFixture();
  fx.web.launchTemplate.userData = '#!/bin/bash\nDB_PASSWORD="hunter2-in-clear"\n';
  const rules = synthFindings(fx.stack).map((f) => f.ruleId);
  expect(rules).toEqual(["SEC-LT-4"]);
});

describe("SEC-SG-2 and SEC-SG-3 on every rule type they list", () => {
  const problemsOf = (fx: FullFixture, rule: string) =>
    synthFindings(fx.stack)
      .filter((f) => f.ruleId === rule)
      .map((f) => `${relativePath(fx.stack, f.path)}: ${f.problem}`);

  test("SEC-SG-2: GIVEN an egress rule without a description and an aws_security_group_rule with a blank one THEN it fires on both", () => {
    const fx = fullFixture();
    new VpcSecurityGroupEgressRule(fx.stack, "EgressBare", { securityGroupId: fx.web.appSecurityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
    new SecurityGroupRule(fx.stack, "Blank", {
      type: "egress",
      securityGroupId: fx.web.appSecurityGroup.id,
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrBlocks: ["10.0.0.0/16"],
      description: "   ",
    });
    expect(problemsOf(fx, "SEC-SG-2").sort()).toEqual([
      "Blank: has no description; say what the rule allows and why",
      "EgressBare: has no description; say what the rule allows and why",
    ]);
  });

  test("SEC-SG-2: GIVEN a security group described as Terraform's default, with inline rules lacking descriptions THEN it names each", () => {
    const fx = fullFixture();
    new SecurityGroup(fx.stack, "Legacy", {
      vpcId: fx.net.vpc.id,
      description: "Managed by Terraform",
      ingress: [{ fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] }],
      egress: [
        { fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"], description: "https out" },
        { fromPort: 5432, toPort: 5432, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] },
      ],
    });
    expect(problemsOf(fx, "SEC-SG-2")).toEqual([
      'Legacy: has no description (Terraform would write "Managed by Terraform"); set description; ' +
        "inline ingress rule #1 has no description; inline egress rule #3 has no description",
    ]);
  });

  test("SEC-SG-3: GIVEN the database security group with an inline rule from a CIDR THEN it fires with the fix", () => {
    const fx = fullFixture();
    fx.db.securityGroup.putIngress([{ fromPort: 5432, toPort: 5432, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"], description: "postgres from the VPC" }]);
    expect(problemsOf(fx, "SEC-SG-3")).toEqual([
      expect.stringMatching(
        /^Db\/DbSg: admits 10\.0\.0\.0\/16 into .*DbSg.*, the security group of database .*Db\/Cluster.*; allow the app's security group instead \(referenced_security_group_id\)$/,
      ),
    ]);
  });
});

describe("SEC-RDS rules beyond the fixture's engine and resource types", () => {
  test.each([
    ["postgres", 'export ["postgresql"]'],
    ["aurora-mysql", 'export ["error"]'],
    ["aurora", 'export ["error"]'],
    ["mysql", 'export ["error"]'],
    ["neptune", "export the engine's logs"],
  ])("SEC-RDS-5: GIVEN engine %s without log exports THEN it names the log to export (%s)", (engine, mentions) => {
    const fx = fullFixture();
    fx.db.cluster.engine = engine;
    fx.db.cluster.resetEnabledCloudwatchLogsExports();
    const own = synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-RDS-5");
    expect(own.map((f) => f.problem)).toEqual([`enabled_cloudwatch_logs_exports is empty; ${mentions} so errors and connections can be investigated`]);
  });

  test("SEC-RDS-6: GIVEN a publicly accessible aws_db_instance (not a cluster member) THEN it fires on it", () => {
    const fx = fullFixture();
    new DbInstance(fx.stack, "Standalone", {
      engine: "postgres",
      instanceClass: "db.t4g.micro",
      allocatedStorage: 20,
      manageMasterUserPassword: true,
      username: "app",
      storageEncrypted: true,
      publiclyAccessible: true,
    });
    const own = synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-RDS-6");
    expect(own.map((f) => relativePath(fx.stack, f.path))).toEqual(["Standalone"]);
  });

  test("SEC-RDS-7: GIVEN a cluster restored from a snapshot that also sets a literal master password THEN it fires", () => {
    const fx = fullFixture();
    fx.db.cluster.resetManageMasterUserPassword();
    fx.db.cluster.snapshotIdentifier = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:before-upgrade";
    fx.db.cluster.masterPassword = "correct-horse-battery";
    const own = synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-RDS-7");
    expect(own.map((f) => f.problem)).toEqual(["sets master_password, which lands in Terraform state in plain text; remove it"]);
  });
});

describe("SEC-SG-1: every admin and database port it lists", () => {
  /** Pinned here, not read from ADMIN_PORTS: a port dropped from the rule must fail this table. */
  const PROMISED: Record<number, string> = {
    22: "SSH",
    23: "Telnet",
    1433: "SQL Server",
    1521: "Oracle",
    2375: "Docker API",
    2379: "etcd",
    3306: "MySQL",
    3389: "RDP",
    5432: "PostgreSQL",
    5985: "WinRM",
    5986: "WinRM/HTTPS",
    6379: "Redis",
    9200: "Elasticsearch",
    11211: "Memcached",
    27017: "MongoDB",
  };

  test("THEN the rule lists exactly these ports", () => {
    expect(ADMIN_PORTS).toEqual(PROMISED);
  });

  test.each(Object.entries(PROMISED).flatMap(([port, name]) => [
    { port: Number(port), name, source: "cidrIpv4", cidr: "0.0.0.0/0" },
    { port: Number(port), name, source: "cidrIpv6", cidr: "::/0" },
  ]))("GIVEN only port $port open to $cidr THEN it fires naming $port ($name)", ({ port, name, source, cidr }) => {
    const fx = fullFixture();
    new VpcSecurityGroupIngressRule(fx.stack, "Open", {
      securityGroupId: fx.web.appSecurityGroup.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      [source]: cidr,
      description: "one port to the world",
    });
    const own = synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-SG-1");
    expect(own.map((f) => relativePath(fx.stack, f.path))).toEqual(["Open"]);
    expect(own[0].problem).toContain(`admits ${cidr} on tcp ${port}-${port}, which opens ${port} (${name}) to the internet`);
  });

  test.each([8080, 5433, 21])("GIVEN port %d (not an admin or database port) open to 0.0.0.0/0 THEN it does not fire", (port) => {
    const fx = fullFixture();
    new VpcSecurityGroupIngressRule(fx.stack, "Open", {
      securityGroupId: fx.web.albSecurityGroup.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      cidrIpv4: "0.0.0.0/0",
      description: "a web port",
    });
    expect(synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-SG-1")).toEqual([]);
  });

  test("GIVEN one rule opening SSH to both 0.0.0.0/0 and ::/0 THEN the finding names both sources and the fix", () => {
    const fx = fullFixture();
    new SecurityGroupRule(fx.stack, "Both", {
      type: "ingress",
      securityGroupId: fx.web.appSecurityGroup.id,
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrBlocks: ["0.0.0.0/0"],
      ipv6CidrBlocks: ["::/0"],
      description: "ssh from anywhere",
    });
    const own = synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-SG-1");
    expect(own.map((f) => f.problem)).toEqual([
      "admits 0.0.0.0/0 and ::/0 on tcp 22-22, which opens 22 (SSH) to the internet; " +
        "reach instances through SSM Session Manager or allow a specific CIDR or security group",
    ]);
  });

  test("GIVEN all protocols open to the world THEN the finding says all protocols, ports unknown (?-?), and lists every admin port", () => {
    const fx = fullFixture();
    new VpcSecurityGroupIngressRule(fx.stack, "All", {
      securityGroupId: fx.web.appSecurityGroup.id,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "everything",
    });
    const own = synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-SG-1");
    const listed = Object.entries(PROMISED).map(([port, name]) => `${port} (${name})`).join(", ");
    expect(own.map((f) => f.problem)).toEqual([
      `admits 0.0.0.0/0 on all ?-?, which opens ${listed} to the internet; ` +
        "reach instances through SSM Session Manager or allow a specific CIDR or security group",
    ]);
  });

  test("GIVEN PostgreSQL open to a private CIDR only THEN it does not fire", () => {
    const fx = fullFixture();
    new VpcSecurityGroupIngressRule(fx.stack, "Office", {
      securityGroupId: fx.db.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      cidrIpv4: "10.20.0.0/16",
      description: "PostgreSQL from the office VPN",
    });
    expect(synthFindings(fx.stack).filter((f) => f.ruleId === "SEC-SG-1")).toEqual([]);
  });
});

describe("HA-ASG-3: every way an Auto Scaling group is put behind a load balancer", () => {
  /** The fixture's ASG taken off its target group, on EC2 health checks; `attach` puts it back another way. */
  const detached = (attach: (fx: FullFixture) => void) => {
    const fx = fullFixture();
    fx.web.asg.resetTargetGroupArns();
    fx.web.asg.healthCheckType = "EC2";
    attach(fx);
    return fx;
  };
  const onAsg = (fx: FullFixture) =>
    synthFindings(fx.stack)
      .filter((f) => f.ruleId === "HA-ASG-3")
      .map((f) => `${relativePath(fx.stack, f.path)}: ${f.problem}`);
  const FIRES = [expect.stringMatching(/^Web\/Asg: health_check_type is "EC2", so an instance whose app fails/)];

  test("HA-ASG-3 GIVEN a classic load balancer in load_balancers THEN it fires", () => {
    expect(onAsg(detached((fx) => (fx.web.asg.loadBalancers = ["classic-elb"])))).toEqual(FIRES);
  });

  test("HA-ASG-3 GIVEN an aws_autoscaling_attachment to a target group THEN it fires", () => {
    const fx = detached((f) => {
      new AutoscalingAttachment(f.stack, "Attach", { autoscalingGroupName: f.web.asg.name, lbTargetGroupArn: f.web.targetGroup.arn });
    });
    expect(onAsg(fx)).toEqual(FIRES);
  });

  test("HA-ASG-3 GIVEN an aws_autoscaling_traffic_source_attachment THEN it fires", () => {
    const fx = detached((f) => {
      new AutoscalingTrafficSourceAttachment(f.stack, "Traffic", {
        autoscalingGroupName: f.web.asg.name,
        trafficSource: { identifier: f.web.targetGroup.arn, type: "elbv2" },
      });
    });
    expect(onAsg(fx)).toEqual(FIRES);
  });

  test("HA-ASG-3 GIVEN empty target_group_arns and load_balancers lists and no attachment THEN it is not applicable", () => {
    const fx = detached((f) => {
      f.web.asg.targetGroupArns = [];
      f.web.asg.loadBalancers = [];
    });
    const json = JSON.parse(JSON.stringify(fx.stack.toTerraform())) as { resource: { aws_autoscaling_group: Record<string, { target_group_arns?: unknown; load_balancers?: unknown }> } };
    const asg = Object.values(json.resource.aws_autoscaling_group)[0];
    expect([asg.target_group_arns, asg.load_balancers]).toEqual([[], []]); // the lists are there, empty
    const verdicts = evaluationsOf(fx.stack, "HA-ASG-3").filter((v) => v.resource.path === `${fx.stack.node.path}/Web/Asg`);
    expect(verdicts.map((v) => v.result.compliance)).toEqual([Compliance.NOT_APPLICABLE]);
  });
});

describe("HA-DB-1: the whole finding, and AZs it cannot tell", () => {
  const problemsOn = (fx: FullFixture) =>
    synthFindings(fx.stack)
      .filter((f) => f.ruleId === "HA-DB-1")
      .map((f) => `${relativePath(fx.stack, f.path)}: ${f.problem}`);
  const ONE_AZ =
    "Db/Cluster: has 2 instance(s) in 1 pinned AZ (us-east-1a); losing that AZ leaves no instance to promote. " +
    "Add a reader with availability_zone set to another AZ";

  test("HA-DB-1 GIVEN a writer and a reader in the same AZ THEN the one finding says how many, where, and the fix", () => {
    const fx = fullFixture();
    fx.db.instances[1].availabilityZone = "us-east-1a";
    expect(problemsOn(fx)).toEqual([ONE_AZ]);
  });

  test("HA-DB-1 GIVEN no instance pinned THEN it says none is pinned and names every unpinned instance", () => {
    const fx = fullFixture();
    fx.db.instances.forEach((i) => i.resetAvailabilityZone());
    const paths = fx.db.instances.map((i) => i.node.path).join(", ");
    expect(problemsOn(fx)).toEqual([
      "Db/Cluster: has 2 instance(s) in 0 pinned AZ (none); losing that AZ leaves no instance to promote. Add a reader with availability_zone set to another AZ" +
        `; instances ${paths} pin no availability_zone, so AWS may place them in the same AZ`,
    ]);
  });

  test("HA-DB-1 GIVEN a reader whose AZ is only known after apply (a reference) THEN that AZ does not count as a second one", () => {
    const fx = fullFixture();
    fx.db.instances[1].availabilityZone = fx.net.privateSubnets[1].availabilityZone;
    expect(problemsOn(fx)).toEqual([ONE_AZ]);
  });

  test("HA-DB-1 GIVEN two AZs pinned and one more instance left to AWS THEN it does not fire", () => {
    const fx = fullFixture();
    const extra = new RdsClusterInstance(fx.stack, "ExtraReader", {
      clusterIdentifier: fx.db.cluster.id,
      instanceClass: "db.r6g.large",
      engine: fx.db.cluster.engine,
    });
    expect(problemsOn(fx)).toEqual([]);
    // The extra reader is one of the cluster's instances: with the other two in one AZ, it is named.
    fx.db.instances[1].availabilityZone = "us-east-1a";
    expect(problemsOn(fx)).toEqual([
      ONE_AZ.replace("has 2 instance(s)", "has 3 instance(s)") + `; instances ${extra.node.path} pin no availability_zone, so AWS may place them in the same AZ`,
    ]);
  });
});

describe("HA rules: whole findings, resource-type aliases, and what they cannot tell", () => {
  const findings = (fx: { stack: HaStack }, ruleId: string) => findingLines(fx.stack, ruleId);
  const subnetPath = (fx: FullFixture, az: string, tier: string) => `${fx.stack.node.path}/Net/${az}/${tier}`;

  test("HA-ALB-1 GIVEN an aws_alb (the alias type) in one AZ THEN it fires with the fix", () => {
    const fx = fullFixture();
    new Alb(fx.stack, "LegacyAlb", { subnets: [fx.net.publicSubnets[0].id], dropInvalidHeaderFields: true });
    expect(findings(fx, "HA-ALB-1")).toEqual(["LegacyAlb: its subnets span 1 AZ (us-east-1a); give it a public subnet in each AZ"]);
  });

  test("HA-ALB-1 GIVEN an ALB only on subnet ids from outside the stack THEN it says no AZ is known and names each subnet", () => {
    const fx = fullFixture();
    fx.web.alb.subnets = ["subnet-0abc", "subnet-0def"];
    expect(findings(fx, "HA-ALB-1")).toEqual([
      "Web/Alb: its subnets span 0 AZ (none known); give it a public subnet in each AZ; " +
        "the AZ of subnet-0abc, subnet-0def cannot be told from this stack",
    ]);
  });

  test("HA-ASG-1 GIVEN an ASG on one private subnet and a subnet id from outside the stack THEN both problems, whole", () => {
    const fx = fullFixture();
    fx.web.asg.vpcZoneIdentifier = [fx.net.privateSubnets[0].id, "subnet-0abc"];
    expect(findings(fx, "HA-ASG-1")).toEqual([
      "Web/Asg: it launches into 1 AZ (us-east-1a); list a private subnet of each AZ in vpc_zone_identifier; " +
        "the AZ of subnet-0abc cannot be told from this stack",
    ]);
  });

  test("HA-ASG-1 GIVEN an ASG in two AZs plus two subnet ids from outside the stack THEN it fires on the unknown ones alone", () => {
    const fx = fullFixture();
    fx.web.asg.vpcZoneIdentifier = [...fx.net.privateSubnets.map((s) => s.id), "subnet-0abc", "subnet-0def"];
    expect(findings(fx, "HA-ASG-1")).toEqual(["Web/Asg: the AZ of subnet-0abc, subnet-0def cannot be told from this stack"]);
  });

  test("HA-ASG-1 GIVEN an ASG only on subnet ids from outside the stack THEN it says none is known", () => {
    const fx = fullFixture();
    fx.web.asg.vpcZoneIdentifier = ["subnet-0abc"];
    expect(findings(fx, "HA-ASG-1")).toEqual([
      "Web/Asg: it launches into 0 AZ (none known); list a private subnet of each AZ in vpc_zone_identifier; " +
        "the AZ of subnet-0abc cannot be told from this stack",
    ]);
  });

  test("HA-ASG-2 GIVEN min_size below the AZ count THEN the whole finding says what losing an AZ does and the fix", () => {
    const fx = fullFixture();
    fx.web.asg.minSize = 1;
    expect(findings(fx, "HA-ASG-2")).toEqual([
      "Web/Asg: min_size (1) is below the number of AZs (2: us-east-1a, us-east-1b); losing an AZ can leave " +
        "no instance until a replacement boots. Set min_size to 2 or more",
    ]);
  });

  test("HA-ASG-2 GIVEN min_size from a Terraform variable (not known at synth) THEN it says it cannot judge it", () => {
    const fx = fullFixture();
    fx.web.asg.minSize = Token.asNumber(new TerraformVariable(fx.stack, "asg_min", { type: "number" }).value);
    expect(findings(fx, "HA-ASG-2")).toEqual(['Web/Asg: min_size ("${var.asg_min}") is not a number known at synth']);
  });

  test("HA-ASG-3 GIVEN EC2 health checks, set or by default, behind a load balancer THEN the whole finding gives the fix", () => {
    const message = (type: string) =>
      `Web/Asg: health_check_type is ${type}, so an instance whose app fails the load balancer's health check is never replaced; ` +
      'set health_check_type: "ELB"';
    const fx = fullFixture();
    fx.web.asg.healthCheckType = "EC2";
    expect(findings(fx, "HA-ASG-3")).toEqual([message('"EC2"')]);
    const unset = fullFixture();
    unset.web.asg.resetHealthCheckType();
    expect(findings(unset, "HA-ASG-3")).toEqual([message('"EC2 (default)"')]);
  });

  test("HA-NAT-1 GIVEN a NAT gateway from outside the stack THEN the whole finding gives the fix", () => {
    const fx = fullFixture();
    route(fx, "us-east-1a").natGatewayId = "nat-0123456789abcdef0";
    expect(findings(fx, "HA-NAT-1")).toEqual([
      "Net/us-east-1a/PrivateRouteTable: its default route goes to NAT gateway nat-0123456789abcdef0, whose AZ cannot be told " +
        "from this stack; create the NAT gateway in this stack in a subnet with an availability_zone",
    ]);
  });

  test("HA-NAT-1 GIVEN a subnet without a pinned AZ routed through a NAT gateway THEN it says so, with the fix", () => {
    const fx = fullFixture();
    fx.net.privateSubnets[1].resetAvailabilityZone();
    const nat = `${fx.stack.node.path}/Net/us-east-1b/Nat`;
    expect(findings(fx, "HA-NAT-1")).toEqual([
      `Net/us-east-1b/PrivateRouteTable: sends ${subnetPath(fx, "us-east-1b", "Private")} (AZ not pinned) through NAT gateway ${nat} ` +
        "in us-east-1b; losing us-east-1b cuts that subnet's internet egress. Give each AZ its own NAT gateway " +
        "(HaVpc: natGateways: NatGatewayMode.PER_AZ)",
    ]);
  });

  test("HA-NAT-1 GIVEN the VPC's default route table (aws_default_route_table) sending a subnet of another AZ to a NAT THEN it fires", () => {
    const fx = fullFixture();
    new DefaultRouteTable(fx.stack, "MainTable", {
      defaultRouteTableId: fx.net.vpc.defaultRouteTableId,
      route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: fx.net.natGateways[0].id }],
    });
    const stray = new Subnet(fx.stack, "Stray", { vpcId: fx.net.vpc.id, availabilityZone: "us-east-1b", cidrBlock: "10.0.200.0/24" });
    expect(findings(fx, "HA-NAT-1")).toEqual([
      `MainTable: sends ${stray.node.path} (us-east-1b) through NAT gateway ${fx.stack.node.path}/Net/us-east-1a/Nat in us-east-1a; ` +
        "losing us-east-1a cuts that subnet's internet egress. Give each AZ its own NAT gateway (HaVpc: natGateways: NatGatewayMode.PER_AZ)",
    ]);
  });

  test("HA-NAT-1 GIVEN a route table with a NAT default route that no subnet uses THEN it is not applicable", () => {
    const fx = fullFixture();
    const spare = new RouteTable(fx.stack, "Spare", { vpcId: fx.net.vpc.id });
    new Route(fx.stack, "SpareDefault", { routeTableId: spare.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: fx.net.natGateways[0].id });
    const verdicts = evaluationsOf(fx.stack, "HA-NAT-1").filter((v) => v.resource.path === spare.node.path);
    expect(verdicts.map((v) => v.result.compliance)).toEqual([Compliance.NOT_APPLICABLE]);
  });

  test("HA-SUBNET-1 GIVEN a role whose subnets pin no AZ THEN it says none is pinned and names each subnet", () => {
    const fx = fullFixture();
    fx.net.isolatedSubnets.forEach((s) => s.resetAvailabilityZone());
    expect(findings(fx, "HA-SUBNET-1")).toEqual([
      "Net/Vpc: its isolated subnets span 0 AZ (none pinned); add an isolated subnet in another AZ; " +
        `subnets ${subnetPath(fx, "us-east-1a", "Isolated")}, ${subnetPath(fx, "us-east-1b", "Isolated")} pin no availability_zone, so AWS may put them together`,
    ]);
  });

  test("HA-SUBNET-1 GIVEN the public subnets in one AZ THEN the whole finding names the AZ and asks for a public subnet in another", () => {
    const fx = fullFixture();
    fx.net.publicSubnets[1].availabilityZone = "us-east-1a";
    expect(findings(fx, "HA-SUBNET-1")).toEqual(["Net/Vpc: its public subnets span 1 AZ (us-east-1a); add a public subnet in another AZ"]);
  });

  test("HA-VPCE-1 GIVEN three AZs declared in reverse order and an endpoint in one THEN the AZs it misses are listed in order", () => {
    const fx = fullFixture({ azs: ["us-east-1c", "us-east-1b", "us-east-1a"] });
    fx.net.secretsEndpoint.subnetIds = [fx.net.privateSubnets[0].id];
    expect(findings(fx, "HA-VPCE-1")).toEqual([
      "Net/SecretsEndpoint: has network interfaces in us-east-1c but its VPC also uses us-east-1a and us-east-1b; with private DNS every client " +
        "in the VPC calls secretsmanager through it, so losing us-east-1c cuts us-east-1a and us-east-1b off secretsmanager even where their " +
        "NAT gateway is up. Give it a subnet in every AZ (HaVpc places one in each AZ's private subnet)",
    ]);
  });

  test("HA-VPCE-1 GIVEN an endpoint only on subnets of unknown AZ THEN it says it has no AZ, names each subnet, and gives the fix", () => {
    const fx = fullFixture();
    fx.net.secretsEndpoint.subnetIds = ["subnet-0abc", "subnet-0def"];
    expect(findings(fx, "HA-VPCE-1")).toEqual([
      "Net/SecretsEndpoint: its subnets subnet-0abc, subnet-0def cannot be placed in an AZ from this stack; use subnets of this stack with an availability_zone; " +
        "has network interfaces in no AZ but its VPC also uses us-east-1a and us-east-1b; with private DNS every client in the VPC calls " +
        "secretsmanager through it, so losing its AZ cuts us-east-1a and us-east-1b off secretsmanager even where their NAT gateway is up. " +
        "Give it a subnet in every AZ (HaVpc places one in each AZ's private subnet)",
    ]);
  });

  test("HA-VPCE-1 GIVEN a VPC with one more subnet that pins no AZ THEN an endpoint in every pinned AZ still passes", () => {
    const fx = fullFixture();
    new Subnet(fx.stack, "Unpinned", { vpcId: fx.net.vpc.id, cidrBlock: "10.0.201.0/24" });
    expect(findings(fx, "HA-VPCE-1")).toEqual([]);
  });
});

describe("SEC-ALB-2 and SEC-ALB-3: every certificate kind, imported certificates, and whole messages", () => {
  const findings = findingLines;
  /** The finding on plainHttpAlb()'s listener. */
  const plainMessage = (stack: HaStack, port = "80") =>
    `HTTP listener ${stack.node.path}/Listeners/Http (port ${port}) serves plain HTTP; make its default action a redirect with protocol "HTTPS"`;

  test("SEC-ALB-2 GIVEN a stack whose only certificate is an aws_acm_certificate_validation THEN the HTTP-only ALB must get HTTPS", () => {
    const stack = plainHttpAlb();
    const validation = new AcmCertificateValidation(stack, "Validated", { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" });
    expect(findings(stack, "SEC-ALB-2")).toEqual([
      `PlainAlb: the stack has certificate ${validation.node.path} but this load balancer has no HTTPS listener; add a listener with protocol HTTPS ` +
        `and certificate_arn; ${plainMessage(stack)}`,
    ]);
  });

  test("SEC-ALB-2 GIVEN a stack whose only certificate is an aws_iam_server_certificate THEN the HTTP-only ALB must get HTTPS", () => {
    const stack = plainHttpAlb();
    const pem = new TerraformVariable(stack, "certificate_pem", { type: "string", sensitive: true });
    const iam = new IamServerCertificate(stack, "IamCertificate", { name: "app", certificateBody: pem.stringValue, privateKey: pem.stringValue });
    expect(findings(stack, "SEC-ALB-2")).toEqual([
      `PlainAlb: the stack has certificate ${iam.node.path} but this load balancer has no HTTPS listener; add a listener with protocol HTTPS ` +
        `and certificate_arn; ${plainMessage(stack)}`,
    ]);
  });

  test("SEC-ALB-2 GIVEN an HTTPS listener on an imported certificate ARN, no certificate resource, and an HTTP listener that serves THEN it fires on the HTTP one", () => {
    const stack = plainHttpAlb();
    const alb = stack.node.findChild("PlainAlb") as Lb;
    new LbListener(stack, "Imported", {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol: "HTTPS",
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/imported",
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }],
    });
    expect(findings(stack, "SEC-ALB-2")).toEqual([`PlainAlb: ${plainMessage(stack)}`]);
  });

  test("SEC-ALB-2 GIVEN an HTTP listener without a port THEN the message says the port is not known", () => {
    const stack = plainHttpAlb();
    (stack.node.findChild("Listeners").node.findChild("Http") as LbListener).resetPort();
    new AcmCertificate(stack, "Certificate", { domainName: "app.example.com", validationMethod: "DNS" });
    expect(findings(stack, "SEC-ALB-2")).toEqual([
      `PlainAlb: the stack has certificate ${stack.node.path}/Certificate but this load balancer has no HTTPS listener; add a listener with protocol HTTPS ` +
        `and certificate_arn; ${plainMessage(stack, "?")}`,
    ]);
  });

  test("SEC-ALB-3 GIVEN an access_logs block with a bucket but no enabled (the provider's default is off) THEN the message shows enabled false", () => {
    const stack = plainHttpAlb();
    const alb = stack.node.findChild("PlainAlb") as Lb;
    alb.putAccessLogs({ bucket: "team-alb-logs" });
    expect(findings(stack, "SEC-ALB-3")).toEqual([
      'PlainAlb: access logs are off (access_logs {"enabled":false,"bucket":"team-alb-logs"}); set access_logs: { enabled: true, bucket } ' +
        "so requests can be traced after an incident",
    ]);
  });

});

describe("HA-DB-2: the whole finding, every way a pool line is written, and the cluster's instances", () => {
  const problemsOn = (fx: FullFixture) =>
    synthFindings(fx.stack)
      .filter((f) => f.ruleId === "HA-DB-2")
      .map((f) => `${relativePath(fx.stack, f.path)}: ${f.problem}`);
  /** App user data (a shell script) writing `poolLines` into a php-fpm pool file and the fixture's cluster endpoint into the app's config. */
  const withPoolFile = (fx: FullFixture, poolLines: string) =>
    (fx.web.launchTemplate.userData = encodeUserData(
      "#!/bin/bash\ncat > /etc/php/8.2/fpm/pool.d/app.conf <<'EOF'\n[app]\npm = static\n" +
        `${poolLines}\nEOF\necho "DB_HOST=${fx.db.cluster.endpoint}" > /etc/app.env\n`,
    ));
  const OVER_100 =
    "Web/Asg: max_size 6 × pm.max_children 100 + 10 = 610 connections, over the max_connections (500) of test/Db/Cluster (db.r6g.large, db.r6g.large); " +
    "lower pm.max_children to 81, lower max_size, or use a larger instance class";
  const UNKNOWN_TAIL =
    "have no published Aurora MySQL default in the library's table and no literal max_connections in a DB parameter group; " +
    "use a listed Aurora MySQL class or set max_connections in the instances' parameter group";

  test("HA-DB-2 GIVEN 100 workers on each of 6 instances against 500 connections THEN the one finding gives the sum, the cluster's classes and the largest pool that fits", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.userData = pooledUserData(fx.db.cluster.endpoint, 100);
    expect(problemsOn(fx)).toEqual([OVER_100]);
  });

  test.each([
    ["without spaces", "pm.max_children=100"],
    ["indented with tabs, with trailing spaces", "\tpm.max_children\t=\t100 \t "],
    ["with Windows line endings", "pm.max_children = 100\r"],
    ["with a comment after the value (php-fpm reads 100)", "pm.max_children = 100 ; 2 GB / 20 MB per worker"],
    ["with a comment right after the value", "pm.max_children = 100;sized for t3.small"],
    ["below a commented-out pm.max_children", ";pm.max_children = 5\npm.max_children = 100"],
    ["with the value in double quotes (php-fpm 8.2 reads 100)", 'pm.max_children = "100"'],
    ["with the value in single quotes and a comment", "pm.max_children = '100' ; quoted"],
    ["after an earlier one in the same pool (php-fpm takes the last)", "pm.max_children = 5\npm.max_children = 100"],
    ["after a shell test line, which is no section header", "[ -f /etc/app.env ] && true\npm.max_children = 100"],
    ["above a commented-out pm.max_children (php-fpm skips it)", "pm.max_children = 100\n;pm.max_children = 5"],
  ])("HA-DB-2 GIVEN a pool line %s THEN it reads the pool and fires", (_name, poolLines) => {
    const fx = fullFixture();
    withPoolFile(fx, poolLines);
    expect(problemsOn(fx)).toEqual([OVER_100]);
  });

  test("HA-DB-2 GIVEN a pool whose last pm.max_children is small after a large one THEN it does not fire", () => {
    const fx = fullFixture();
    withPoolFile(fx, "pm.max_children = 100\npm.max_children = 5");
    expect(problemsOn(fx)).toEqual([]);
  });

  test("HA-DB-2 GIVEN two pools of 60 and 40 workers THEN they count together, and the fix is for their sum", () => {
    const fx = fullFixture();
    withPoolFile(fx, "pm.max_children = 60\n[api]\npm = static\npm.max_children = 40");
    expect(problemsOn(fx)).toEqual([
      "Web/Asg: max_size 6 × pm.max_children 100 (pools app 60 + api 40) + 10 = 610 connections, over the max_connections (500) of " +
        "test/Db/Cluster (db.r6g.large, db.r6g.large); lower the pools' pm.max_children to a sum of 81, lower max_size, or use a larger instance class",
    ]);
  });

  test("HA-DB-2 GIVEN a pm.max_children line before any section header and a pool THEN both count, the first named '(no section)'", () => {
    const fx = fullFixture();
    fx.web.launchTemplate.userData = encodeUserData(
      "#!/bin/bash\ncat > /etc/php/8.2/fpm/pool.d/app.conf <<'EOF'\npm.max_children = 60\n[api]\npm.max_children = 40\nEOF\n" +
        `echo "DB_HOST=${fx.db.cluster.endpoint}" > /etc/app.env\n`,
    );
    expect(problemsOn(fx)).toEqual([
      "Web/Asg: max_size 6 × pm.max_children 100 (pools (no section) 60 + api 40) + 10 = 610 connections, over the max_connections (500) of " +
        "test/Db/Cluster (db.r6g.large, db.r6g.large); lower the pools' pm.max_children to a sum of 81, lower max_size, or use a larger instance class",
    ]);
  });

  test("HA-DB-2 GIVEN a section header with a comment, and a shell line ending in [1] THEN only whole headers start a pool", () => {
    expect(phpFpmPools("[www] ; the app's pool\npm.max_children = 5")).toEqual([{ name: "www", maxChildren: 5 }]);
    expect(phpFpmPools("[www]\nDIR=/opt/app[1]\npm.max_children = 5\n  WORKER=slot [2]\npm.max_children = 6")).toEqual([{ name: "www", maxChildren: 6 }]);
  });

  test("HA-DB-2 GIVEN user data with a pool but no cluster of this stack, or naming the cluster with no pool THEN it does not apply", () => {
    const poolOnly = fullFixture();
    poolOnly.web.launchTemplate.userData = encodeUserData("#!/bin/bash\ncat > /etc/php/8.2/fpm/pool.d/app.conf <<'EOF'\n[app]\npm.max_children = 100\nEOF\n");
    const clusterOnly = fullFixture();
    clusterOnly.web.launchTemplate.userData = encodeUserData(`#!/bin/bash\necho "DB_HOST=${clusterOnly.db.cluster.endpoint}" > /etc/app.env\n`);
    for (const fx of [poolOnly, clusterOnly]) {
      expect(evaluationsOf(fx.stack, "HA-DB-2").map((e) => e.result.compliance)).toEqual([Compliance.NOT_APPLICABLE]);
    }
  });

  test("HA-DB-2 GIVEN a pool named again (php-fpm continues it) and a [global] section THEN the pool's last value counts and [global] none", () => {
    const fx = fullFixture();
    withPoolFile(fx, "pm.max_children = 5\n[global]\npm.max_children = 40\n[app]\npm.max_children = 100");
    expect(problemsOn(fx)).toEqual([OVER_100]);
  });

  test("HA-DB-2 GIVEN a DB parameter group that sets other parameters before max_connections THEN max_connections counts", () => {
    const fx = fullFixture();
    fx.db.parameterGroup.putParameter([
      { name: "idle_in_transaction_session_timeout", value: "60000" },
      { name: "max_connections", value: "500" },
    ]);
    fx.web.launchTemplate.userData = pooledUserData(fx.db.cluster.endpoint, 100);
    expect(problemsOn(fx)).toEqual([OVER_100]);
  });

  test("HA-DB-2 GIVEN a budget exactly equal to max_connections THEN it does not fire, and one worker more does", () => {
    const tenInstancesOf = (workers: number) => {
      const fx = fullFixture();
      fx.web.asg.maxSize = 10;
      fx.web.launchTemplate.userData = pooledUserData(fx.db.cluster.endpoint, workers);
      return fx;
    };
    expect(problemsOn(tenInstancesOf(49))).toEqual([]); // 10 × 49 + 10 = 500
    expect(problemsOn(tenInstancesOf(50))).toEqual([
      "Web/Asg: max_size 10 × pm.max_children 50 + 10 = 510 connections, over the max_connections (500) of test/Db/Cluster (db.r6g.large, db.r6g.large); " +
        "lower pm.max_children to 49, lower max_size, or use a larger instance class",
    ]);
  });

  /** The fixture's cluster on Aurora MySQL, its instances on the AWS default parameter group (max_connections from the class). */
  const auroraMysql = (readerClass: string) => {
    const fx = fullFixture();
    fx.db.cluster.engine = "aurora-mysql";
    fx.db.instances.forEach((i) => {
      i.engine = "aurora-mysql";
      i.resetDbParameterGroupName();
    });
    fx.db.instances[1].instanceClass = readerClass;
    return fx;
  };

  test("HA-DB-2 GIVEN an Aurora MySQL writer db.r6g.large (1000) and a smaller reader db.t3.small (45) THEN the reader's 45 counts (it may become the writer)", () => {
    expect(problemsOn(auroraMysql("db.t3.small"))).toEqual([
      "Web/Asg: max_size 6 × pm.max_children 8 + 10 = 58 connections, over the max_connections (45) of test/Db/Cluster (db.r6g.large, db.t3.small); " +
        "lower pm.max_children to 5, lower max_size, or use a larger instance class",
    ]);
  });

  test("HA-DB-2 GIVEN an Aurora MySQL reader of a class the table does not list THEN max_connections is unknown, naming every class", () => {
    expect(problemsOn(auroraMysql("db.x2g.large"))).toEqual([
      `Web/Asg: max_size 6 × pm.max_children 8 + 10 = 58 connections to test/Db/Cluster, whose max_connections is unknown: its instance classes (db.r6g.large, db.x2g.large) ${UNKNOWN_TAIL}`,
    ]);
  });

  test("HA-DB-2 GIVEN Aurora PostgreSQL instances without a max_connections parameter THEN max_connections is unknown, naming their classes", () => {
    const fx = fullFixture();
    fx.db.instances.forEach((i) => i.resetDbParameterGroupName());
    expect(problemsOn(fx)).toEqual([
      `Web/Asg: max_size 6 × pm.max_children 8 + 10 = 58 connections to test/Db/Cluster, whose max_connections is unknown: its instance classes (db.r6g.large, db.r6g.large) ${UNKNOWN_TAIL}`,
    ]);
  });

  test("HA-DB-2 GIVEN user data naming a cluster whose instances this stack does not declare THEN max_connections is unknown (none in this stack)", () => {
    const fx = fullFixture();
    const shared = new RdsCluster(fx.stack, "SharedDb", {
      engine: "aurora-mysql",
      masterUsername: "app",
      manageMasterUserPassword: true,
      storageEncrypted: true,
      backupRetentionPeriod: 7,
    });
    fx.web.launchTemplate.userData = pooledUserData(shared.endpoint);
    expect(problemsOn(fx)).toEqual([
      `Web/Asg: max_size 6 × pm.max_children 8 + 10 = 58 connections to test/SharedDb, whose max_connections is unknown: its instance classes (none in this stack) ${UNKNOWN_TAIL}`,
    ]);
  });
});

describe("HA-MON-1: the whole finding, each resource type, and every way an alarm names what it watches", () => {
  const problemsOn = (fx: FullFixture) =>
    synthFindings(fx.stack)
      .filter((f) => f.ruleId === "HA-MON-1")
      .map((f) => `${relativePath(fx.stack, f.path)}: ${f.problem}`);
  const FIX = "so its failure pages nobody; add HaMonitoring (cdktf-aws-ha/monitoring) or your own aws_cloudwatch_metric_alarm";
  const UNWATCHED_TARGETS = (at: string) => `${at}: no CloudWatch alarm watches this target group (none has a TargetGroup dimension naming it), ${FIX}`;
  const UNWATCHED_CLUSTER = `Db/Cluster: no CloudWatch alarm watches this database cluster (none has a DBClusterIdentifier dimension naming it), ${FIX}`;
  /** The fixture's cluster named literally, as an alarm in another tool would name it. */
  const namedCluster = (alarmNames: string) => {
    const fx = fullFixture();
    fx.db.cluster.addOverride("cluster_identifier", "shop-db");
    fx.alarms.clusterAlarm.addOverride("dimensions", { DBClusterIdentifier: alarmNames });
    return fx;
  };
  /** The fixture's target-group alarm turned into metric math over `queries` (no dimensions of its own). */
  const metricMath = (fx: FullFixture, queries: unknown) => {
    for (const field of ["dimensions", "metric_name", "namespace", "period", "statistic"]) fx.alarms.targetGroupAlarm.addOverride(field, null);
    fx.alarms.targetGroupAlarm.addOverride("metric_query", queries);
  };
  const healthyHosts = (fx: FullFixture) => ({
    metric_name: "HealthyHostCount",
    namespace: "AWS/ApplicationELB",
    period: 60,
    stat: "Minimum",
    dimensions: { TargetGroup: fx.web.targetGroup.arnSuffix, LoadBalancer: fx.web.alb.arnSuffix },
  });

  test("HA-MON-1 GIVEN no alarm on the target group THEN the one finding names what is unwatched, the dimension it looked for and the fix", () => {
    const fx = fullFixture();
    fx.alarms.targetGroupAlarm.addOverride("dimensions.TargetGroup", "targetgroup/elsewhere/0123456789abcdef");
    expect(problemsOn(fx)).toEqual([UNWATCHED_TARGETS("Web/Targets")]);
  });

  test("HA-MON-1 GIVEN no alarm on the database cluster THEN the finding says database cluster and DBClusterIdentifier", () => {
    const fx = fullFixture();
    fx.alarms.clusterAlarm.addOverride("dimensions", { DBClusterIdentifier: "some-other-cluster" });
    expect(problemsOn(fx)).toEqual([UNWATCHED_CLUSTER]);
  });

  test("HA-MON-1 GIVEN an aws_alb_target_group (the older alias) THEN it is judged like aws_lb_target_group", () => {
    const withLegacy = () => {
      const fx = fullFixture();
      const legacy = new AlbTargetGroup(fx.stack, "LegacyTargets", { vpcId: fx.net.vpc.id, port: 8080, protocol: "HTTP", healthCheck: { path: "/healthz" } });
      return { fx, legacy };
    };
    const unwatched = withLegacy();
    expect(problemsOn(unwatched.fx)).toEqual([UNWATCHED_TARGETS("LegacyTargets")]);
    const watched = withLegacy();
    watched.fx.alarms.targetGroupAlarm.addOverride("dimensions.TargetGroup", watched.legacy.arnSuffix);
    expect(problemsOn(watched.fx)).toEqual([UNWATCHED_TARGETS("Web/Targets")]);
  });

  test("HA-MON-1 GIVEN a cluster named literally and an alarm on another cluster's literal identifier THEN it fires (the target-group alarm does not count either)", () => {
    expect(problemsOn(namedCluster("shop-db-staging"))).toEqual([UNWATCHED_CLUSTER]);
  });

  test("HA-MON-1 GIVEN a cluster named literally and a metric-math alarm with an expression and a metric without dimensions THEN both alarms count as before", () => {
    const fx = namedCluster("shop-db");
    metricMath(fx, [
      { id: "e", expression: "IF(hosts < 1 OR errors > 10, 1, 0)", return_data: true },
      { id: "hosts", metric: healthyHosts(fx) },
      { id: "errors", metric: { metric_name: "CheckoutErrors", namespace: "Inventory", period: 60, stat: "Sum" } },
    ]);
    expect(problemsOn(fx)).toEqual([]);
  });

  test("HA-MON-1 GIVEN a metric-math alarm whose one metric_query block is written as an object (as Terraform JSON allows) THEN it counts", () => {
    const fx = fullFixture();
    metricMath(fx, { id: "hosts", return_data: true, metric: healthyHosts(fx) });
    expect(problemsOn(fx)).toEqual([]);
  });
});

describe("SEC-SG-3: the whole finding", () => {
  const findings = findingLines;

  test("SEC-SG-3 GIVEN the database security group admitting two CIDRs THEN the one finding names both", () => {
    const fx = fullFixture();
    fx.db.securityGroup.putIngress([
      { fromPort: 3306, toPort: 3306, protocol: "tcp", cidrBlocks: ["10.0.0.0/16", "192.168.10.0/24"], description: "mysql from the VPC and the office" },
    ]);
    expect(findings(fx.stack, "SEC-SG-3")).toEqual([
      `Db/DbSg: admits 10.0.0.0/16, 192.168.10.0/24 into ${fx.stack.node.path}/Db/DbSg, the security group of database ` +
        `${fx.stack.node.path}/Db/Cluster; allow the app's security group instead (referenced_security_group_id)`,
    ]);
  });
});
