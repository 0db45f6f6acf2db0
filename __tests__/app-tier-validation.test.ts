import { App, TerraformStack, TerraformVariable } from "cdktf";
import { ValidationError } from "../lib/errors";
import { AppTier, AppTierProps, InstanceRedundancy, MAX_USER_DATA_BYTES } from "../modules/app-tier";
import { HaVpc } from "../modules/ha-vpc";
import { testStack } from "./helpers/template";

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
