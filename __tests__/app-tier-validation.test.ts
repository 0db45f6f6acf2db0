import { App, TerraformStack, TerraformVariable } from "cdktf";
import { ValidationError } from "../lib/errors";
import { HaStackProps, StackIntent } from "../lib/ha-stack";
import { AppTier, AppTierProps, DEFAULT_IMAGE_ARM64, DEFAULT_IMAGE_X86_64, InstanceRedundancy, MAX_USER_DATA_BYTES } from "../modules/app-tier";
import { instanceArchitecture } from "../modules/app-tier/validation";
import { HaVpc } from "../modules/ha-vpc";
import { Template, testStack } from "./helpers/template";

const TWO_AZS = ["us-east-1a", "us-east-1b"];

/** Builds an AppTier with the given props in a fresh stack (two AZs); returns the thrown error. */
function attempt(props: Partial<AppTierProps>, azs: string[] = TWO_AZS): () => void {
  return () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs });
    new AppTier(stack, "App", { vpc, ...props });
  };
}

describe("AppTier rejects bad input at synth, naming the field, the value and the fix", () => {
  test.each<[string, Partial<AppTierProps>, RegExp]>([
    // --- capacity ---
    [
      "minCapacity greater than maxCapacity",
      { minCapacity: 4, maxCapacity: 3 },
      /minCapacity \(4\) is greater than maxCapacity \(3\); raise maxCapacity to at least 4/,
    ],
    [
      "desiredCapacity below minCapacity",
      { minCapacity: 2, desiredCapacity: 1, maxCapacity: 4 },
      /desiredCapacity \(1\) must be a whole number from minCapacity \(2\) to maxCapacity \(4\)/,
    ],
    [
      "desiredCapacity above maxCapacity",
      { desiredCapacity: 5, maxCapacity: 4 },
      /desiredCapacity \(5\) must be a whole number from minCapacity \(2\) to maxCapacity \(4\)/,
    ],
    [
      "minCapacity below the AZ count without choosing reduced redundancy",
      { minCapacity: 1 },
      /minCapacity \(1\) must be >= the number of AZs \(2\) for HA.*Set minCapacity: 2, or set redundancy: InstanceRedundancy.REDUCED/,
    ],
    [
      "REDUCED redundancy with a minCapacity that covers every AZ",
      { redundancy: InstanceRedundancy.REDUCED, minCapacity: 2 },
      /redundancy \(REDUCED\) conflicts with minCapacity \(2\), which already covers all 2 AZs/,
    ],
    ["an unknown redundancy", { redundancy: "SOME" as InstanceRedundancy }, /redundancy \("SOME"\) is not an InstanceRedundancy/],
    ["a negative minCapacity", { minCapacity: -1, redundancy: InstanceRedundancy.REDUCED }, /minCapacity \(-1\) must be a whole number >= 0/],
    ["a fractional maxCapacity", { maxCapacity: 2.5 }, /maxCapacity \(2.5\) must be a whole number >= 1/],
    ["targetCpuUtilization of 0", { targetCpuUtilization: 0 }, /targetCpuUtilization \(0\) must be a percentage above 0 and at most 100/],
    ["targetCpuUtilization above 100", { targetCpuUtilization: 150 }, /targetCpuUtilization \(150\)/],
    [
      "a negative health-check grace period",
      { healthCheckGracePeriodSeconds: -5 },
      /healthCheckGracePeriodSeconds \(-5\) must be a whole number from 0 to 7200/,
    ],
    // --- instances ---
    ["a malformed instance type", { instanceType: "t3micro" }, /instanceType \("t3micro"\) is not an EC2 instance type; use family.size, e.g. "t3.micro"/],
    ["an instance type with an unknown size", { instanceType: "t3.huge" }, /instanceType \("t3.huge"\)/],
    ["an upper-case instance type", { instanceType: "T3.micro" }, /instanceType \("T3.micro"\)/],
    ["an image that is neither an AMI id nor an SSM reference", { imageId: "al2023" }, /imageId \("al2023"\) is neither an AMI id/],
    [
      "user data above 16 KB",
      { userData: "#!/bin/bash\n" + "x".repeat(MAX_USER_DATA_BYTES) },
      new RegExp(`userData \\(${MAX_USER_DATA_BYTES + 12} bytes\\) exceeds EC2's ${MAX_USER_DATA_BYTES}-byte limit; gzip it`),
    ],
    ["a root volume below the image's 8 GiB", { rootVolumeSizeGiB: 4 }, /rootVolumeSizeGiB \(4\) must be a whole number from 8 to 16384/],
    ["a root device that is not a device", { rootDeviceName: "xvda" }, /rootDeviceName \("xvda"\) is not a device name/],
    ["a metadata hop limit of 3", { metadataHopLimit: 3 }, /metadataHopLimit \(3\) must be a whole number from 1 to 2; 1 for processes on the instance/],
    // --- load balancer ---
    [
      "a certificate ARN that is not an ACM ARN",
      { certificateArn: "arn:aws:iam::123456789012:server-certificate/web" },
      /certificateArn \("arn:aws:iam::123456789012:server-certificate\/web"\) is not an ACM certificate ARN; pass one like "arn:aws:acm:us-east-1:/,
    ],
    [
      "a certificate from another region",
      { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-90ab-cdef-1234-567890abcdef" },
      /certificateArn \(.*\) is in eu-west-1 but the ALB is in us-east-1/,
    ],
    ["an sslPolicy without a certificate", { sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }, /sslPolicy \("ELBSecurityPolicy-TLS13-1-3-2021-06"\) only applies to the HTTPS listener/],
    [
      "an sslPolicy that is not an ELB policy",
      { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-90ab-cdef-1234-567890abcdef", sslPolicy: "TLSv1.2" },
      /sslPolicy \("TLSv1.2"\) is not an ELB security policy name/,
    ],
    ["a health-check path without a leading slash", { healthCheckPath: "health" }, /healthCheckPath \("health"\) must start with "\/"; use e.g. "\/health"/],
    ["a healthy threshold below the AWS range", { healthyThreshold: 1 }, /healthyThreshold \(1\) must be a whole number from 2 to 10 \(the AWS range\)/],
    ["a healthy threshold above the AWS range", { healthyThreshold: 11 }, /healthyThreshold \(11\) must be a whole number from 2 to 10/],
    ["an unhealthy threshold above the AWS range", { unhealthyThreshold: 12 }, /unhealthyThreshold \(12\) must be a whole number from 2 to 10/],
    ["an app port out of range", { appPort: 70000 }, /appPort \(70000\) must be a whole number from 1 to 65535/],
    [
      "an invalid allowed CIDR",
      { allowedCidrs: ["0.0.0.0/0", "10.0.0.1/16"] },
      /allowedCidrs\[1\] \("10.0.0.1\/16"\) has host bits set .*; pass IPv4 blocks like "203.0.113.0\/24"/,
    ],
    ["an allowed CIDR that is no CIDR at all", { allowedCidrs: ["anywhere"] }, /allowedCidrs\[0\] \("anywhere"\) is not an IPv4 CIDR block/],
    ["no allowed CIDR", { allowedCidrs: [] }, /allowedCidrs \(\[\]\) lets nobody reach the internet-facing ALB/],
    ["a CIDR listed twice", { allowedCidrs: ["10.0.0.0/8", "10.0.0.0/8"] }, /allowedCidrs \(.*\) lists "10.0.0.0\/8" twice/],
    // --- names ---
    [
      "a name longer than the 32 characters AWS allows for an ALB",
      { name: "a-very-long-application-tier-name-x" },
      /name \("a-very-long-application-tier-name-x"\) has 35 characters; an ALB name allows at most 32/,
    ],
    ["a name AWS reserves for internal load balancers", { name: "internal-shop" }, /name \("internal-shop"\) starts with "internal-", which AWS reserves/],
    ["a name with characters AWS refuses", { name: "shop_app" }, /name \("shop_app"\) has characters other than letters, digits and hyphens/],
    ["a name ending in a hyphen", { name: "shop-" }, /name \("shop-"\) ends with a hyphen/],
    // --- access logs ---
    [
      "a log prefix that ELB would nest AWSLogs under twice",
      { accessLogs: { enabled: true, prefix: "AWSLogs" } },
      /accessLogs.prefix \("AWSLogs"\) is not a usable log prefix/,
    ],
    ["a log prefix with a trailing slash", { accessLogs: { enabled: true, prefix: "shop/" } }, /accessLogs.prefix \("shop\/"\)/],
    [
      "module-bucket settings with your own bucket",
      { accessLogs: { enabled: true, bucketName: "corp-logs", expirationDays: 30 } },
      /accessLogs.expirationDays \(30\) applies only to the bucket the module creates, but accessLogs.bucketName \("corp-logs"\) names your own/,
    ],
    ["an invalid log bucket name", { accessLogs: { enabled: true, bucketName: "Corp_Logs" } }, /accessLogs.bucketName \("Corp_Logs"\) is not an S3 bucket name/],
    ["a log expiry of 0 days", { accessLogs: { enabled: true, expirationDays: 0 } }, /accessLogs.expirationDays \(0\) must be a whole number of days >= 1/],
    [
      "log settings while logs are off",
      { accessLogs: { enabled: false, bucketName: "corp-logs" } },
      /accessLogs.bucketName \("corp-logs"\) has no effect with accessLogs.enabled false/,
    ],
  ])("%s", (_rule, props, message) => {
    expect(attempt(props)).toThrow(ValidationError);
    expect(attempt(props)).toThrow(message);
  });

  test("three AZs need three instances unless reduced redundancy is chosen", () => {
    const azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    expect(attempt({ minCapacity: 2 }, azs)).toThrow(/minCapacity \(2\) must be >= the number of AZs \(3\)/);
    expect(attempt({ minCapacity: 2, redundancy: InstanceRedundancy.REDUCED }, azs)).not.toThrow();
  });

  test("a name given as a token is refused, since other names derive from it at synth", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS });
    const name = new TerraformVariable(stack, "name", { type: "string" }).stringValue;
    expect(() => new AppTier(stack, "App", { vpc, name })).toThrow(/AppTier: name \(.*\) is a token; .* pass a literal string/);
  });

  test("user data with tokens is still checked on its literal part", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS });
    const host = new TerraformVariable(stack, "host", { type: "string" }).stringValue;
    const userData = `${"x".repeat(MAX_USER_DATA_BYTES + 1)}${host}`;
    expect(() => new AppTier(stack, "App", { vpc, userData })).toThrow(
      /userData \(16385 bytes before its tokens are filled in\) exceeds/,
    );
  });

  test("access logs to a module bucket outside an HaStack say why the region is needed", () => {
    const stack = new TerraformStack(new App(), "plain");
    const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS });
    expect(() => new AppTier(stack, "App", { vpc })).toThrow(
      /accessLogs needs the region to grant ELB log delivery .* create it inside an HaStack, or pass accessLogs.bucketName/,
    );
    expect(() => new AppTier(stack, "App2", { vpc, accessLogs: { enabled: true, bucketName: "corp-logs" } })).not.toThrow();
  });

  test("the error says where (construct path) and no resource of the tier exists after it", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS });
    expect(() => new AppTier(stack, "App", { vpc, minCapacity: 1 })).toThrow(/^\[test\/App\] AppTier: minCapacity \(1\)/);
    expect(stack.node.findChild("App").node.children).toHaveLength(0);
  });

  test("valid edge values pass: 2 and 10 thresholds, port 1 and 65535, 16 KB of user data, REDUCED with min 0", () => {
    expect(attempt({ healthyThreshold: 2, unhealthyThreshold: 10, appPort: 65535 })).not.toThrow();
    expect(attempt({ appPort: 1, userData: "x".repeat(MAX_USER_DATA_BYTES) })).not.toThrow();
    expect(attempt({ redundancy: InstanceRedundancy.REDUCED, minCapacity: 0, maxCapacity: 1 })).not.toThrow();
    expect(attempt({ name: "A".repeat(32), instanceType: "m7i-flex.large" })).not.toThrow();
    expect(attempt({ instanceType: "u-6tb1.112xlarge" })).not.toThrow();
    expect(attempt({ instanceType: "c6i.metal" })).not.toThrow();
  });
});

/** The synthesized JSON of an AppTier built with the given props, and look-ups of its one resource of a type. */
function synth(props: Partial<AppTierProps>, stackProps: Partial<HaStackProps> = {}, azs: string[] = TWO_AZS, stackId = "test") {
  const stack = testStack(stackProps, stackId);
  new AppTier(stack, "App", { vpc: new HaVpc(stack, "Net", { azs }), ...props });
  const t = Template.of(stack);
  const one = (type: string): Record<string, any> => {
    const found = t.resources(type);
    expect(found).toHaveLength(1);
    return found[0].values;
  };
  return { t, one };
}

/** What the module's checks let through, read back from the synthesized JSON. */
function settings({ one }: ReturnType<typeof synth>) {
  const tg = one("aws_lb_target_group");
  const lt = one("aws_launch_template");
  const asg = one("aws_autoscaling_group");
  return {
    appPort: tg.port,
    healthCheckPath: tg.health_check.path,
    healthyThreshold: tg.health_check.healthy_threshold,
    unhealthyThreshold: tg.health_check.unhealthy_threshold,
    imageId: lt.image_id,
    rootVolumeSizeGiB: lt.block_device_mappings[0].ebs.volume_size,
    rootDeviceName: lt.block_device_mappings[0].device_name,
    metadataHopLimit: lt.metadata_options.http_put_response_hop_limit,
    userDataBytes: lt.user_data === undefined ? undefined : Buffer.from(lt.user_data, "base64").length,
    capacity: [asg.min_size, asg.desired_capacity, asg.max_size],
    healthCheckGracePeriodSeconds: asg.health_check_grace_period,
    targetCpuUtilization: one("aws_autoscaling_policy").target_tracking_configuration.target_value,
  };
}

describe("AppTier accepts every limit itself and passes it on as given", () => {
  test("GIVEN each setting at its lower limit THEN it is accepted and synthesized as given", () => {
    const built = synth({
      appPort: 1,
      healthCheckPath: "/",
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      imageId: "ami-12345678",
      rootVolumeSizeGiB: 8,
      metadataHopLimit: 1,
      redundancy: InstanceRedundancy.REDUCED,
      minCapacity: 0,
      healthCheckGracePeriodSeconds: 0,
      targetCpuUtilization: 0.5,
      allowedCidrs: ["203.0.113.7/32"],
      accessLogs: { enabled: true, expirationDays: 1, prefix: "a" },
    });
    expect(settings(built)).toEqual({
      appPort: 1,
      healthCheckPath: "/",
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      imageId: "ami-12345678",
      rootVolumeSizeGiB: 8,
      rootDeviceName: "/dev/xvda",
      metadataHopLimit: 1,
      userDataBytes: undefined,
      // minCapacity 0 (REDUCED): desired follows min, max is at least 1.
      capacity: [0, 0, 1],
      healthCheckGracePeriodSeconds: 0,
      targetCpuUtilization: 0.5,
    });
    expect(built.one("aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 1 }]);
    expect(built.one("aws_lb").access_logs.prefix).toBe("a");
    expect(built.t.resources("aws_vpc_security_group_ingress_rule").map((r) => r.values.cidr_ipv4)).toContain("203.0.113.7/32");
  });

  test("GIVEN each setting at its upper limit THEN it is accepted and synthesized as given", () => {
    const path = `/${"p".repeat(1023)}`;
    const built = synth({
      name: "a".repeat(32),
      appPort: 65535,
      healthCheckPath: path,
      healthyThreshold: 10,
      unhealthyThreshold: 10,
      imageId: "ami-0123456789abcdef0",
      userData: "x".repeat(MAX_USER_DATA_BYTES),
      rootVolumeSizeGiB: 16384,
      metadataHopLimit: 2,
      minCapacity: 4,
      desiredCapacity: 4,
      maxCapacity: 4,
      healthCheckGracePeriodSeconds: 7200,
      targetCpuUtilization: 100,
      accessLogs: { enabled: true, bucketName: `b${"1".repeat(61)}c` },
    });
    expect(path).toHaveLength(1024);
    expect(settings(built)).toEqual({
      appPort: 65535,
      healthCheckPath: path,
      healthyThreshold: 10,
      unhealthyThreshold: 10,
      imageId: "ami-0123456789abcdef0",
      rootVolumeSizeGiB: 16384,
      rootDeviceName: "/dev/xvda",
      metadataHopLimit: 2,
      userDataBytes: MAX_USER_DATA_BYTES,
      capacity: [4, 4, 4],
      healthCheckGracePeriodSeconds: 7200,
      targetCpuUtilization: 100,
    });
    expect(built.one("aws_lb")).toMatchObject({ name: "a".repeat(32), access_logs: { bucket: `b${"1".repeat(61)}c`, enabled: true } });
  });

  test("GIVEN a desired capacity at maxCapacity, a 3-character log bucket and a root device with digits THEN each is accepted as given", () => {
    const built = synth({
      minCapacity: 2,
      desiredCapacity: 3,
      maxCapacity: 3,
      rootDeviceName: "/dev/nvme0n1",
      accessLogs: { enabled: true, bucketName: "abc", prefix: "shop/alb-logs" },
    });
    expect(settings(built)).toMatchObject({ capacity: [2, 3, 3], rootDeviceName: "/dev/nvme0n1" });
    expect(built.one("aws_lb").access_logs).toEqual({ bucket: "abc", prefix: "shop/alb-logs", enabled: true });
    expect(built.t.resources("aws_s3_bucket")).toEqual([]);
  });
});

describe("AppTier fills in what is not given", () => {
  test("GIVEN no settings in a stack of three AZs THEN the lab defaults: name from stack and id in lower case, one instance per AZ, twice that at most", () => {
    const built = synth({}, {}, ["us-east-1a", "us-east-1b", "us-east-1c"], "Shop");
    expect(settings(built)).toEqual({
      appPort: 80,
      healthCheckPath: "/health",
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      imageId: DEFAULT_IMAGE_X86_64,
      rootVolumeSizeGiB: 20,
      rootDeviceName: "/dev/xvda",
      metadataHopLimit: 1,
      userDataBytes: undefined,
      capacity: [3, 3, 6],
      healthCheckGracePeriodSeconds: 180,
      targetCpuUtilization: 50,
    });
    expect(built.one("aws_lb")).toMatchObject({ name: "shop-app", access_logs: { prefix: "shop-app", enabled: true }, enable_deletion_protection: true });
    expect(built.one("aws_launch_template").instance_type).toBe("t3.micro");
    expect(built.one("aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 90 }]);
    expect(built.one("aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(built.one("aws_lb_listener").port).toBe(80);
  });

  test("GIVEN REDUCED redundancy and no maxCapacity THEN max is twice min, or 1 when min is 0", () => {
    expect(settings(synth({ redundancy: InstanceRedundancy.REDUCED, minCapacity: 1 })).capacity).toEqual([1, 1, 2]);
    expect(settings(synth({ redundancy: InstanceRedundancy.REDUCED, minCapacity: 0 })).capacity).toEqual([0, 0, 1]);
  });

  test("GIVEN empty user data THEN the launch template carries none", () => {
    expect(settings(synth({ userData: "" })).userDataBytes).toBeUndefined();
  });

  test("GIVEN a Graviton instance type THEN the arm64 image is the default; an explicit image wins", () => {
    expect(settings(synth({ instanceType: "t4g.small" })).imageId).toBe(DEFAULT_IMAGE_ARM64);
    expect(settings(synth({ instanceType: "m7g.large", imageId: "ami-0123456789abcdef0" })).imageId).toBe("ami-0123456789abcdef0");
  });

  test("instance types of every shape EC2 names are accepted: sizes nano to 48xlarge, metal and metal-24xl, hyphenated families", () => {
    const types = ["t4g.nano", "m5.xlarge", "r8gd.48xlarge", "m7i.metal-24xl", "mac2-m2pro.metal", "x2iezn.12xlarge", "c7i-flex.2xlarge"];
    const refused = types.filter((instanceType) => {
      try {
        attempt({ instanceType })();
        return false;
      } catch {
        return true;
      }
    });
    expect(refused).toEqual([]);
  });

  test("instance families are read as Graviton (arm64) when a g follows the generation digit, and a1", () => {
    const arm = ["a1.large", "a1.metal", "t4g.small", "m7g.large", "c7gn.xlarge", "r8gd.2xlarge", "im4gn.large", "is4gen.large", "x2gd.medium", "g5g.xlarge", "hpc7g.4xlarge"];
    const x86 = ["t3.micro", "m7i-flex.large", "g4dn.xlarge", "gr6.4xlarge", "u-6tb1.112xlarge", "x2iedn.xlarge", "c6i.metal", "inf2.xlarge", "a2.large", "ma1.large"];
    expect(arm.map((type) => [type, instanceArchitecture(type)])).toEqual(arm.map((type) => [type, "arm64"]));
    expect(x86.map((type) => [type, instanceArchitecture(type)])).toEqual(x86.map((type) => [type, "x86_64"]));
  });
});

describe("AppTier: the stack's intent decides protection and logs unless they are given", () => {
  const protection = (built: ReturnType<typeof synth>) => built.one("aws_lb").enable_deletion_protection;
  const buckets = (built: ReturnType<typeof synth>) => built.t.resources("aws_s3_bucket").length;
  const versioned = (built: ReturnType<typeof synth>) => built.t.resources("aws_s3_bucket_versioning").length === 1;

  test("GIVEN a development stack THEN no deletion protection, no access logs; logs turned on are not versioned", () => {
    const dev = synth({}, { intent: StackIntent.DEVELOPMENT });
    expect([protection(dev), buckets(dev), dev.one("aws_lb").access_logs]).toEqual([false, 0, undefined]);
    const logged = synth({ accessLogs: { enabled: true } }, { intent: StackIntent.DEVELOPMENT });
    expect([buckets(logged), versioned(logged)]).toEqual([1, false]);
  });

  test("GIVEN explicit settings THEN they win over the intent either way", () => {
    expect(protection(synth({ deletionProtection: true }, { intent: StackIntent.DEVELOPMENT }))).toBe(true);
    expect(protection(synth({ deletionProtection: false }))).toBe(false);
    const off = synth({ accessLogs: { enabled: false } });
    expect([buckets(off), off.one("aws_lb").access_logs]).toEqual([0, undefined]);
    expect(versioned(synth({ accessLogs: { enabled: true, versioned: false } }))).toBe(false);
    expect(versioned(synth({ accessLogs: { enabled: true, versioned: true } }, { intent: StackIntent.DEVELOPMENT }))).toBe(true);
  });

  test("GIVEN a stack built for teardown THEN deletion protection is off even when asked for", () => {
    expect(protection(synth({ deletionProtection: true }, { teardown: true }))).toBe(false);
    expect(protection(synth({}, { teardown: true }))).toBe(false);
  });
});

describe("AppTier takes values known only at deploy (tokens) as given", () => {
  test("GIVEN tokens for the path, blocks, certificate, policy, instance type, image, device and log prefix THEN synth passes them through", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS });
    const v = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
    new AppTier(stack, "App", {
      vpc,
      healthCheckPath: v("path"),
      allowedCidrs: [v("office"), v("vpn")],
      certificateArn: v("cert"),
      sslPolicy: v("policy"),
      instanceType: v("type"),
      rootDeviceName: v("device"),
      accessLogs: { enabled: true, prefix: v("prefix") },
    });
    const t = Template.of(stack);
    const lt = t.resources("aws_launch_template")[0].values;
    expect(t.resources("aws_lb_target_group")[0].values.health_check.path).toBe("${var.path}");
    expect(t.resources("aws_vpc_security_group_ingress_rule").map((r) => r.values.cidr_ipv4)).toEqual(expect.arrayContaining(["${var.office}", "${var.vpn}"]));
    expect(t.find("aws_lb_listener", { port: 443 })[0].values).toMatchObject({ certificate_arn: "${var.cert}", ssl_policy: "${var.policy}" });
    // An instance type known only at deploy gets the x86_64 image: its architecture cannot be read at synth.
    expect([lt.instance_type, lt.image_id, lt.block_device_mappings[0].device_name]).toEqual(["${var.type}", DEFAULT_IMAGE_X86_64, "${var.device}"]);
    expect(t.resources("aws_lb")[0].values.access_logs.prefix).toBe("${var.prefix}");
  });

  test("GIVEN tokens for the image and the log bucket THEN synth passes them through", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS });
    const v = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
    new AppTier(stack, "App", { vpc, imageId: v("image"), accessLogs: { enabled: true, bucketName: v("bucket") } });
    const t = Template.of(stack);
    expect(t.resources("aws_launch_template")[0].values.image_id).toBe("${var.image}");
    expect(t.resources("aws_lb")[0].values.access_logs.bucket).toBe("${var.bucket}");
  });

  test("GIVEN the same token twice in allowedCidrs THEN it is refused as a block listed twice", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS });
    const office = new TerraformVariable(stack, "office", { type: "string" }).stringValue;
    expect(() => new AppTier(stack, "App", { vpc, allowedCidrs: [office, office] })).toThrow(/allowedCidrs \(.*\) lists .* twice; list each block once/);
  });
});

describe("AppTier outside an HaStack (no region known)", () => {
  const plain = () => {
    const stack = new TerraformStack(new App(), "plain");
    return { stack, vpc: new HaVpc(stack, "Net", { azs: TWO_AZS }) };
  };

  test("GIVEN no name THEN the name is the construct id in lower case, and a certificate of any region or partition is taken", () => {
    const { stack, vpc } = plain();
    const certificateArn = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/12345678-90ab-cdef-1234-567890abcdef";
    new AppTier(stack, "Web", { vpc, certificateArn, accessLogs: { enabled: false } });
    const t = Template.of(stack);
    expect(t.resources("aws_lb")[0].values.name).toBe("web");
    expect(t.find("aws_lb_listener", { port: 443 })[0].values.certificate_arn).toBe(certificateArn);
  });

  test("GIVEN a certificate that is not an ACM ARN THEN the example ARN names us-east-1", () => {
    const { stack, vpc } = plain();
    expect(() => new AppTier(stack, "Web", { vpc, certificateArn: "web-cert", accessLogs: { enabled: false } })).toThrow(
      /certificateArn \("web-cert"\) is not an ACM certificate ARN; pass one like "arn:aws:acm:us-east-1:123456789012:certificate\/<uuid>"/,
    );
  });
});

test("a range check with nothing more to say ends with the range", () => {
  expect(attempt({ appPort: 0 })).toThrow(/AppTier: appPort \(0\) must be a whole number from 1 to 65535$/);
});

test("a name AWS refuses is blamed on AppTier and its path, like every other check", () => {
  expect(attempt({ name: "shop_app" })).toThrow(/^\[test\/App\] AppTier: name \("shop_app"\) has characters other than letters, digits and hyphens/);
  expect(attempt({ name: 42 as unknown as string })).toThrow(/^\[test\/App\] AppTier: name \(42\) is a number, not a string/);
});
