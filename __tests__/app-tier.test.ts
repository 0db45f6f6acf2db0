import { TerraformOutput, TerraformVariable } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { HaStack, StackIntent } from "../lib/ha-stack";
import {
  AppTier,
  AppTierProps,
  DEFAULT_IMAGE_ARM64,
  DEFAULT_IMAGE_X86_64,
  DEFAULT_SSL_POLICY,
  ELB_LOG_DELIVERY_SERVICE,
  InstanceRedundancy,
} from "../modules/app-tier";
import { HaVpc } from "../modules/ha-vpc";
import { AuroraCluster } from "../modules/aurora-cluster";
import { SynthResource, Template, testStack } from "./helpers/template";

const TWO_AZS = ["us-east-1a", "us-east-1b"];
const THREE_AZS = ["us-east-1a", "us-east-1b", "us-east-1c"];
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-90ab-cdef-1234-567890abcdef";

interface Fixture {
  readonly stack: HaStack;
  readonly vpc: HaVpc;
  readonly app: AppTier;
  readonly t: Template;
}

/** A network and an app tier in a fresh stack; `stackProps` set region and intent. */
function fixture(
  props: Partial<AppTierProps> = {},
  options: { azs?: string[]; intent?: StackIntent; region?: string } = {},
): Fixture {
  const region = options.region ?? "us-east-1";
  const stack = testStack({ intent: options.intent, region });
  const vpc = new HaVpc(stack, "Net", { azs: options.azs ?? (region === "us-east-1" ? TWO_AZS : [`${region}a`, `${region}b`]) });
  const app = new AppTier(stack, "App", { vpc, ...props });
  return { stack, vpc, app, t: Template.of(stack) };
}

const ref = Template.ref;

/** What a token renders to in the stack's JSON, read back through a stack output. */
function rendered(stack: HaStack, value: unknown): unknown {
  const id = `probe${stack.node.children.length}`;
  new TerraformOutput(stack, id, { value });
  return Template.of(stack).json.output[id].value;
}
const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");

describe("AppTier: the load balancer", () => {
  const { t } = fixture();
  const alb = t.resource("aws_lb", "App/Alb");

  test("is an internet-facing application load balancer in the public subnet of every AZ", () => {
    expect(alb.values).toMatchObject({ internal: false, load_balancer_type: "application", ip_address_type: "ipv4" });
    const publicSubnets = TWO_AZS.map((az) => ref(t.resource("aws_subnet", `Net/${az}/PublicSubnet`)));
    expect(alb.values.subnets).toEqual(publicSubnets);
  });

  test("has its own security group, drops invalid header fields and allows zonal shift", () => {
    expect(alb.values.security_groups).toEqual([ref(t.resource("aws_security_group", "App/AlbSecurityGroup"))]);
    expect(alb.values.drop_invalid_header_fields).toBe(true);
    expect(alb.values.enable_zonal_shift).toBe(true);
  });

  test("is created after the VPC's internet gateway, which an internet-facing ALB requires", () => {
    expect(alb.values.depends_on).toContain(t.resource("aws_internet_gateway", "Net/InternetGateway").address);
  });

  test("its security group admits HTTP from anywhere by default, and nothing else", () => {
    const albSg = ref(t.resource("aws_security_group", "App/AlbSecurityGroup"));
    const ingress = t.find("aws_vpc_security_group_ingress_rule", { security_group_id: albSg });
    expect(ingress.map((r) => [r.values.cidr_ipv4, r.values.from_port, r.values.to_port, r.values.ip_protocol])).toEqual([
      ["0.0.0.0/0", 80, 80, "tcp"],
    ]);
  });

  test("its security group may only reach the instances, on the app port", () => {
    const albSg = ref(t.resource("aws_security_group", "App/AlbSecurityGroup"));
    const egress = t.find("aws_vpc_security_group_egress_rule", { security_group_id: albSg });
    expect(egress).toHaveLength(1);
    expect(egress[0].values).toMatchObject({
      referenced_security_group_id: ref(t.resource("aws_security_group", "App/AppSecurityGroup")),
      from_port: 80,
      to_port: 80,
    });
  });

  test("WHEN allowedCidrs are given THEN only those blocks reach the ALB, one described rule each", () => {
    const { t: custom } = fixture({ allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"] });
    const albSg = ref(custom.resource("aws_security_group", "App/AlbSecurityGroup"));
    const ingress = custom.find("aws_vpc_security_group_ingress_rule", { security_group_id: albSg });
    expect(ingress.map((r) => r.values.cidr_ipv4).sort()).toEqual(["198.51.100.0/24", "203.0.113.0/24"]);
    expect(ingress.map((r) => r.values.description)).toEqual([expect.stringMatching(/^HTTP from /), expect.stringMatching(/^HTTP from /)]);
  });
});

describe("AppTier: listeners", () => {
  test("GIVEN no certificate THEN one HTTP listener on 80 forwards to the target group", () => {
    const { t } = fixture();
    const listeners = t.resources("aws_lb_listener");
    expect(listeners).toHaveLength(1);
    expect(listeners[0].values).toMatchObject({
      load_balancer_arn: ref(t.resource("aws_lb", "App/Alb"), "arn"),
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "forward", target_group_arn: ref(t.resource("aws_lb_target_group", "App/TargetGroup"), "arn") }],
    });
  });

  test("GIVEN a certificate THEN HTTPS on 443 with a TLS 1.3 policy forwards, and HTTP redirects to HTTPS", () => {
    const { t, app } = fixture({ certificateArn: CERT });
    const https = t.resource("aws_lb_listener", "App/HttpsListener");
    expect(https.values).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      certificate_arn: CERT,
      ssl_policy: DEFAULT_SSL_POLICY,
      default_action: [{ type: "forward", target_group_arn: ref(t.resource("aws_lb_target_group", "App/TargetGroup"), "arn") }],
    });
    expect(DEFAULT_SSL_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    const redirect = t.resource("aws_lb_listener", "App/HttpRedirectListener");
    expect(redirect.values).toMatchObject({
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(t.count("aws_lb_listener")).toBe(2);
    expect(app.url).toMatch(/^https:\/\//);
  });

  test("GIVEN a certificate THEN the ALB security group admits HTTPS as well as HTTP (for the redirect)", () => {
    const { t } = fixture({ certificateArn: CERT });
    const albSg = ref(t.resource("aws_security_group", "App/AlbSecurityGroup"));
    const ports = t.find("aws_vpc_security_group_ingress_rule", { security_group_id: albSg }).map((r) => r.values.from_port);
    expect(ports.sort()).toEqual([443, 80]);
  });
});

describe("AppTier: the target group", () => {
  const { t } = fixture();
  const tg = t.resource("aws_lb_target_group", "App/TargetGroup");

  test("is HTTP on the app port with the lab's health check: /health, 2 healthy, 2 unhealthy", () => {
    expect(tg.values).toMatchObject({ port: 80, protocol: "HTTP", target_type: "instance" });
    expect(tg.values.vpc_id).toBe(ref(t.resource("aws_vpc", "Net/Vpc")));
    expect(tg.values.health_check).toMatchObject({
      enabled: true,
      path: "/health",
      port: "traffic-port",
      matcher: "200",
      healthy_threshold: 2,
      unhealthy_threshold: 2,
      interval: 15,
      timeout: 5,
    });
    expect(tg.values.deregistration_delay).toBe("30");
  });

  test("is created before the one it replaces, under a name that differs, so the swap cannot collide", () => {
    expect(tg.values.lifecycle).toEqual({ create_before_destroy: true });
    expect(tg.values.name).toMatch(/^test-app-[0-9a-f]{8}$/);
    expect(tg.values.name_prefix).toBeUndefined();
    const samePort = fixture().t.resource("aws_lb_target_group", "App/TargetGroup").values.name;
    const otherPort = fixture({ appPort: 8080 }).t.resource("aws_lb_target_group", "App/TargetGroup").values.name;
    expect(samePort).toBe(tg.values.name);
    expect(otherPort).not.toBe(tg.values.name);
  });

  test("takes the health-check path and thresholds given", () => {
    const custom = fixture({ healthCheckPath: "/ready", healthyThreshold: 3, unhealthyThreshold: 5, appPort: 8080 }).t;
    expect(custom.resource("aws_lb_target_group", "App/TargetGroup").values).toMatchObject({
      port: 8080,
      health_check: { path: "/ready", healthy_threshold: 3, unhealthy_threshold: 5 },
    });
  });

  test("a 32-character tier name still yields a target group name AWS accepts", () => {
    const long = "a".repeat(32);
    const name = fixture({ name: long }).t.resource("aws_lb_target_group", "App/TargetGroup").values.name as string;
    expect(name.length).toBeLessThanOrEqual(32);
    expect(name).toMatch(/^a+-[0-9a-f]{8}$/);
  });
});

describe("AppTier: the instances' security group", () => {
  const { t } = fixture({ appPort: 8080 });
  const appSg = ref(t.resource("aws_security_group", "App/AppSecurityGroup"));
  const albSg = ref(t.resource("aws_security_group", "App/AlbSecurityGroup"));

  test("admits only the ALB's security group, only on the app port", () => {
    const ingress = t.find("aws_vpc_security_group_ingress_rule", { security_group_id: appSg });
    expect(ingress).toHaveLength(1);
    expect(ingress[0].values).toMatchObject({ referenced_security_group_id: albSg, ip_protocol: "tcp", from_port: 8080, to_port: 8080 });
    expect(ingress[0].values.cidr_ipv4).toBeUndefined();
  });

  test("lets out only HTTPS (packages, SSM, Secrets Manager)", () => {
    const egress = t.find("aws_vpc_security_group_egress_rule", { security_group_id: appSg });
    expect(egress.map((r) => [r.values.ip_protocol, r.values.from_port, r.values.to_port, r.values.cidr_ipv4])).toEqual([
      ["tcp", 443, 443, "0.0.0.0/0"],
    ]);
  });

  test("has no inline rules, a description and a name prefix, on every security group of the tier", () => {
    const groups = t.resources("aws_security_group").filter((r) => r.name.startsWith("App_"));
    expect(groups.map((g) => g.name.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual(["App_AlbSecurityGroup", "App_AppSecurityGroup"]);
    for (const sg of groups) {
      expect(sg.values.ingress).toBeUndefined();
      expect(sg.values.egress).toBeUndefined();
      expect(sg.values.description).toBeTruthy();
      expect(sg.values.name_prefix).toBeTruthy();
    }
    for (const type of ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]) {
      expect(t.resources(type).length).toBeGreaterThanOrEqual(2);
      for (const rule of t.resources(type)) expect(rule.values.description).toBeTruthy();
    }
  });

  test("GIVEN the database wired with allowFrom(app) THEN the app's own security group and instance role carry the egress and the secret grant", () => {
    const { stack, vpc, app } = fixture();
    const database = new AuroraCluster(stack, "Database", { vpc });
    database.allowFrom(app);
    const t2 = Template.of(stack);
    const appSg = ref(t2.resource("aws_security_group", "App/AppSecurityGroup"));
    const dbSg = ref(t2.resource("aws_security_group", "Database/SecurityGroup"));
    const toDb = t2.find("aws_vpc_security_group_egress_rule", { security_group_id: appSg, referenced_security_group_id: dbSg });
    expect(toDb.map((r) => [r.values.ip_protocol, r.values.from_port, r.values.to_port])).toEqual([["tcp", 3306, 3306]]);
    const grants = t2.find("aws_iam_role_policy", { role: ref(t2.resource("aws_iam_role", "App/InstanceRole"), "id") });
    expect(grants).toHaveLength(1);
    const document = t2.json.data.aws_iam_policy_document[grants[0].values.policy.match(/aws_iam_policy_document\.([^.]+)\.json/)[1]];
    expect(document.statement).toEqual([
      expect.objectContaining({ actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: [database.secretArn].map((a) => rendered(stack, a)) }),
    ]);
  });
});

describe("AppTier: the launch template", () => {
  const { t } = fixture();
  const lt = t.resource("aws_launch_template", "App/LaunchTemplate");

  test("boots the latest Amazon Linux 2023 through its SSM public parameter, on a t3.micro", () => {
    expect(lt.values.image_id).toBe(
      "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    );
    expect(lt.values.image_id).toBe(DEFAULT_IMAGE_X86_64);
    expect(lt.values.instance_type).toBe("t3.micro");
  });

  test("picks the arm64 image for a Graviton instance type, and takes an explicit image as given", () => {
    const graviton = fixture({ instanceType: "t4g.small" }).t.resource("aws_launch_template", "App/LaunchTemplate");
    expect(graviton.values.image_id).toBe(DEFAULT_IMAGE_ARM64);
    const pinned = fixture({ imageId: "ami-0123456789abcdef0" }).t.resource("aws_launch_template", "App/LaunchTemplate");
    expect(pinned.values.image_id).toBe("ami-0123456789abcdef0");
  });

  test("requires IMDSv2 with a hop limit of 1", () => {
    expect(lt.values.metadata_options).toMatchObject({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
    const containers = fixture({ metadataHopLimit: 2 }).t.resource("aws_launch_template", "App/LaunchTemplate");
    expect(containers.values.metadata_options.http_put_response_hop_limit).toBe(2);
  });

  test("has an encrypted gp3 root volume on the image's root device", () => {
    expect(lt.values.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { volume_type: "gp3", volume_size: 20, encrypted: "true", delete_on_termination: "true" },
      },
    ]);
  });

  test("gives no public IP and puts the app security group on the interface", () => {
    expect(lt.values.network_interfaces).toEqual([
      {
        device_index: 0,
        associate_public_ip_address: "false",
        delete_on_termination: "true",
        security_groups: [ref(t.resource("aws_security_group", "App/AppSecurityGroup"))],
      },
    ]);
    expect(lt.values.vpc_security_group_ids).toBeUndefined();
  });

  test("has no key pair; the instance profile's role has Session Manager access and nothing else", () => {
    expect(lt.values.key_name).toBeUndefined();
    const profile = t.resource("aws_iam_instance_profile", "App/InstanceProfile");
    expect(lt.values.iam_instance_profile).toEqual({ arn: ref(profile, "arn") });
    const role = t.resource("aws_iam_role", "App/InstanceRole");
    expect(profile.values.role).toBe(ref(role, "name"));
    const attachments = t.find("aws_iam_role_policy_attachment", { role: ref(role, "name") });
    expect(attachments.map((a) => a.values.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    expect(t.find("aws_iam_role_policy", { role: ref(role, "name") })).toHaveLength(0);
    const trust = t.json.data.aws_iam_policy_document[role.values.assume_role_policy.match(/document\.([^.]+)\.json/)[1]];
    expect(trust.statement).toEqual([
      { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] },
    ]);
  });

  test("tags instances, volumes and interfaces with Name and the stack's default tags", () => {
    const types = lt.values.tag_specifications.map((s: { resource_type: string }) => s.resource_type);
    expect(types).toEqual(["instance", "volume", "network-interface"]);
    for (const spec of lt.values.tag_specifications) {
      expect(spec.tags).toMatchObject({ Name: "test-app", environment: "test", project: "cdktf-aws-ha" });
    }
  });

  test("has no user data when none is given", () => {
    expect(lt.values.user_data).toBeUndefined();
  });

  test("carries literal user data base64-encoded byte for byte, shell and template syntax untouched", () => {
    const script = '#!/bin/bash\necho "home=${HOME} 100%{x} $${y} \\\\n" > /tmp/é.txt\n';
    const encoded = fixture({ userData: script }).t.resource("aws_launch_template", "App/LaunchTemplate").values.user_data;
    expect(decode(encoded)).toBe(script);
  });

  test("with tokens in the user data, Terraform joins them between base64-carried literal pieces", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS });
    const endpoint = new TerraformVariable(stack, "endpoint", { type: "string" });
    new AppTier(stack, "App", { vpc, userData: `#cloud-config\nhost: "${endpoint.stringValue}" # \${x}\n` });
    const userData = Template.of(stack).resource("aws_launch_template", "App/LaunchTemplate").values.user_data as string;
    const pieces = [...userData.matchAll(/base64decode\("([A-Za-z0-9+/=]+)"\)/g)].map((m) => decode(m[1]));
    expect(userData).toMatch(/^\$\{base64encode\(join\("", \[base64decode\("[^"]+"\), var\.endpoint, base64decode\("[^"]+"\)\]\)\)\}$/);
    expect(pieces).toEqual(['#cloud-config\nhost: "', '" # ${x}\n']);
  });
});

describe("AppTier: the Auto Scaling group", () => {
  const { t, app } = fixture();
  const asg = t.resource("aws_autoscaling_group", "App/AutoScalingGroup");

  test("spans the private subnet of every AZ", () => {
    expect(asg.values.vpc_zone_identifier).toEqual(TWO_AZS.map((az) => ref(t.resource("aws_subnet", `Net/${az}/PrivateSubnet`))));
  });

  test("runs the lab's 2 / 2 / 4 with two AZs, one instance per AZ at least", () => {
    expect(asg.values).toMatchObject({ min_size: 2, desired_capacity: 2, max_size: 4 });
    expect([app.minCapacity, app.desiredCapacity, app.maxCapacity]).toEqual([2, 2, 4]);
    const three = fixture({}, { azs: THREE_AZS }).t.resource("aws_autoscaling_group", "App/AutoScalingGroup");
    expect(three.values).toMatchObject({ min_size: 3, desired_capacity: 3, max_size: 6 });
  });

  test("replaces instances that fail the ALB health check, after a grace period", () => {
    expect(asg.values.health_check_type).toBe("ELB");
    expect(asg.values.health_check_grace_period).toBe(180);
    expect(asg.values.target_group_arns).toEqual([ref(t.resource("aws_lb_target_group", "App/TargetGroup"), "arn")]);
  });

  test("runs the launch template's pinned latest version, so a new version rolls", () => {
    const lt = t.resource("aws_launch_template", "App/LaunchTemplate");
    expect(asg.values.launch_template).toEqual({ id: ref(lt), version: ref(lt, "latest_version") });
    expect(JSON.stringify(asg.values)).not.toContain("$Latest");
  });

  test("rolls by launching before terminating: 100 % healthy minimum, 200 % maximum", () => {
    expect(asg.values.instance_refresh).toEqual({
      strategy: "Rolling",
      preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200, instance_warmup: "60", skip_matching: true },
    });
    expect(asg.values.instance_maintenance_policy).toEqual({ min_healthy_percentage: 100, max_healthy_percentage: 200 });
  });

  test("launches in healthy AZs when one is impaired, and rebalances capacity", () => {
    expect(asg.values.availability_zone_distribution).toEqual({ capacity_distribution_strategy: "balanced-best-effort" });
    expect(asg.values.capacity_rebalance).toBe(true);
  });

  test("leaves the running count to the scaling policy after creation", () => {
    expect(asg.values.lifecycle).toEqual({ ignore_changes: ["desired_capacity"] });
  });

  test("scales by target tracking on average CPU", () => {
    const policy = t.resource("aws_autoscaling_policy", "App/CpuTargetTracking");
    expect(policy.values).toMatchObject({
      autoscaling_group_name: ref(asg, "name"),
      policy_type: "TargetTrackingScaling",
      target_tracking_configuration: {
        predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" },
        target_value: 50,
      },
    });
  });
});

describe("AppTier: protective defaults follow the stack's intent", () => {
  test("GIVEN a production stack THEN deletion protection is on and access logs go to a bucket the module makes", () => {
    const { t, app, stack } = fixture({}, { intent: StackIntent.PRODUCTION });
    const alb = t.resource("aws_lb", "App/Alb");
    const bucket = t.resource("aws_s3_bucket", "App/AccessLogBucket");
    expect(alb.values.enable_deletion_protection).toBe(true);
    expect(alb.values.access_logs).toEqual({ bucket: ref(bucket, "bucket"), prefix: "test-app", enabled: true });
    expect(alb.values.depends_on).toContain(t.resource("aws_s3_bucket_policy", "App/AccessLogBucketPolicy").address);
    expect(bucket.values.force_destroy).toBe(false);
    expect(rendered(stack, app.accessLogsBucket)).toBe(ref(bucket, "bucket"));
  });

  test("GIVEN a development stack THEN deletion protection and access logs are off", () => {
    const { t, app } = fixture({}, { intent: StackIntent.DEVELOPMENT });
    const alb = t.resource("aws_lb", "App/Alb");
    expect(alb.values.enable_deletion_protection).toBe(false);
    expect(alb.values.access_logs).toBeUndefined();
    expect(t.count("aws_s3_bucket")).toBe(0);
    expect(app.accessLogsBucket).toBeUndefined();
  });

  test("explicit props win over the intent", () => {
    const dev = fixture({ deletionProtection: true, accessLogs: { enabled: true } }, { intent: StackIntent.DEVELOPMENT }).t;
    expect(dev.resource("aws_lb", "App/Alb").values.enable_deletion_protection).toBe(true);
    expect(dev.resource("aws_s3_bucket", "App/AccessLogBucket").values.force_destroy).toBe(true);
    const prod = fixture({ deletionProtection: false, accessLogs: { enabled: false } }).t;
    expect(prod.resource("aws_lb", "App/Alb").values.enable_deletion_protection).toBe(false);
    expect(prod.count("aws_s3_bucket")).toBe(0);
  });
});

describe("AppTier: the access-log bucket", () => {
  const { t } = fixture();
  const bucket = t.resource("aws_s3_bucket", "App/AccessLogBucket");
  const onBucket = (type: string): SynthResource => {
    const found = t.find(type, { bucket: ref(bucket) });
    expect(found).toHaveLength(1);
    return found[0];
  };
  const policyDocument = () => {
    const policy = onBucket("aws_s3_bucket_policy");
    return t.json.data.aws_iam_policy_document[policy.values.policy.match(/document\.([^.]+)\.json/)[1]];
  };

  test("is encrypted with SSE-S3, which ALB log delivery requires (not SSE-KMS)", () => {
    expect(onBucket("aws_s3_bucket_server_side_encryption_configuration").values.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  test("blocks all public access and disables ACLs", () => {
    expect(onBucket("aws_s3_bucket_public_access_block").values).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onBucket("aws_s3_bucket_ownership_controls").values.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("expires logs after 90 days and is named from a prefix (bucket names are global)", () => {
    const rule = onBucket("aws_s3_bucket_lifecycle_configuration").values.rule[0];
    expect(rule).toMatchObject({ status: "Enabled", expiration: [{ days: 90 }], filter: [{ prefix: "" }] });
    expect(bucket.values.bucket_prefix).toBe("test-app-alb-logs-");
    expect(bucket.values.bucket).toBeUndefined();
  });

  test("GIVEN a PRODUCTION stack THEN the logs are kept as evidence: versioned, and noncurrent versions expire with the logs", () => {
    expect(onBucket("aws_s3_bucket_versioning").values.versioning_configuration).toEqual({ status: "Enabled" });
    expect(onBucket("aws_s3_bucket_lifecycle_configuration").values.rule[0]).toMatchObject({
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
  });

  test("GIVEN a DEVELOPMENT stack with access logs on THEN the bucket is not versioned unless asked", () => {
    const dev = fixture({ accessLogs: { enabled: true } }, { intent: StackIntent.DEVELOPMENT }).t;
    expect(dev.count("aws_s3_bucket_versioning")).toBe(0);
    const prodUnversioned = fixture({ accessLogs: { enabled: true, versioned: false } }).t;
    expect(prodUnversioned.count("aws_s3_bucket_versioning")).toBe(0);
  });

  test("lets the us-east-1 ELB account put logs under the prefix, and refuses plain HTTP", () => {
    const doc = policyDocument();
    const allow = doc.statement.find((s: { sid: string }) => s.sid === "AllowElbLogDelivery");
    expect(allow.principals).toEqual([{ type: "AWS", identifiers: ["arn:aws:iam::127311923021:root"] }]);
    expect(allow.actions).toEqual(["s3:PutObject"]);
    expect(allow.resources).toEqual([`${ref(bucket, "arn")}/test-app/AWSLogs/*`]);
    const deny = doc.statement.find((s: { sid: string }) => s.sid === "DenyInsecureTransport");
    expect(deny).toMatchObject({ effect: "Deny", condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] });
  });

  test("in a region opened since August 2022, grants the log-delivery service principal instead", () => {
    const newer = fixture({}, { region: "ap-southeast-4" }).t;
    const policy = newer.resource("aws_s3_bucket_policy", "App/AccessLogBucketPolicy");
    const doc = newer.json.data.aws_iam_policy_document[policy.values.policy.match(/document\.([^.]+)\.json/)[1]];
    expect(doc.statement[0].principals).toEqual([{ type: "Service", identifiers: [ELB_LOG_DELIVERY_SERVICE] }]);
  });

  test("with versioned: true, keeps versions and expires the noncurrent ones too", () => {
    const versioned = fixture({ accessLogs: { enabled: true, versioned: true, expirationDays: 30 } }).t;
    expect(versioned.resources("aws_s3_bucket_versioning")[0].values.versioning_configuration).toEqual({ status: "Enabled" });
    expect(versioned.resources("aws_s3_bucket_lifecycle_configuration")[0].values.rule[0]).toMatchObject({
      expiration: [{ days: 30 }],
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    });
  });

  test("GIVEN an existing bucket THEN the ALB logs there and the module creates none", () => {
    const { t: existing } = fixture({ accessLogs: { enabled: true, bucketName: "corp-alb-logs", prefix: "shop/prod" } });
    expect(existing.count("aws_s3_bucket")).toBe(0);
    expect(existing.resource("aws_lb", "App/Alb").values.access_logs).toEqual({ bucket: "corp-alb-logs", prefix: "shop/prod", enabled: true });
  });
});

describe("AppTier: attributes for neighbours", () => {
  const { t, app, stack } = fixture();

  test("expose the ALB, target group, ASG, security groups, role, AZs and capacity", () => {
    const alb = t.resource("aws_lb", "App/Alb");
    expect(rendered(stack, app.albDnsName)).toBe(ref(alb, "dns_name"));
    expect(rendered(stack, app.albArn)).toBe(ref(alb, "arn"));
    expect(rendered(stack, app.albArnSuffix)).toBe(ref(alb, "arn_suffix"));
    expect(rendered(stack, app.albZoneId)).toBe(ref(alb, "zone_id"));
    expect(rendered(stack, app.url)).toBe(`http://${ref(alb, "dns_name")}`);
    expect(rendered(stack, app.targetGroupArn)).toBe(ref(t.resource("aws_lb_target_group", "App/TargetGroup"), "arn"));
    expect(rendered(stack, app.autoScalingGroupName)).toBe(ref(t.resource("aws_autoscaling_group", "App/AutoScalingGroup"), "name"));
    expect(rendered(stack, app.launchTemplateId)).toBe(ref(t.resource("aws_launch_template", "App/LaunchTemplate")));
    expect(app.securityGroup).toBeInstanceOf(SecurityGroup);
    expect(app.albSecurityGroup).toBeInstanceOf(SecurityGroup);
    expect(app.securityGroup).not.toBe(app.albSecurityGroup);
    expect(app.instanceRole).toBeInstanceOf(IamRole);
    expect(app.azs).toEqual(TWO_AZS);
    expect(app.minCapacity).toBe(2);
    expect(app.redundancy).toBe(InstanceRedundancy.PER_AZ);
    expect(app.name).toBe("test-app");
    expect(app.appPort).toBe(80);
  });
});

describe("AppTier launch ordering and replacement safety", () => {
  test("GIVEN NAT egress THEN the Auto Scaling group waits for every private subnet's NAT route", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"] });
    new AppTier(stack, "App", { vpc });
    const t = Template.of(stack);
    const routes = t.resources("aws_route").filter((r) => r.values.nat_gateway_id).map((r) => r.address);
    expect(routes).toHaveLength(2);
    expect(t.resources("aws_autoscaling_group")[0].values.depends_on).toEqual(routes);
  });

  test("GIVEN a new VPC (another CIDR) THEN the target group gets a new name, so create-before-destroy cannot collide", () => {
    const nameWith = (cidr: string) => {
      const stack = testStack();
      new AppTier(stack, "App", { vpc: new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"], cidr }) });
      return Template.of(stack).resources("aws_lb_target_group")[0].values.name;
    };
    expect(nameWith("10.0.0.0/16")).toBe(nameWith("10.0.0.0/16"));
    expect(nameWith("10.1.0.0/16")).not.toBe(nameWith("10.0.0.0/16"));
  });
});
