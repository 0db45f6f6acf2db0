import { ValidationError } from "../lib/errors";
import { StackIntent } from "../lib/ha-stack";
import { AuroraCluster, AuroraClusterProps, DatabaseAvailability } from "../modules/aurora-cluster";
import { HaVpc } from "../modules/ha-vpc";
import { testStack } from "./helpers/template";

/** Builds a cluster with the given props over a two-AZ VPC; returns the thrown error, if any. */
function attempt(props: Partial<AuroraClusterProps> | Record<string, unknown>, intent?: StackIntent): Error | undefined {
  const stack = testStack({ intent });
  const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"] });
  try {
    new AuroraCluster(stack, "Database", { vpc, ...props } as AuroraClusterProps);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** Asserts a ValidationError at the construct whose message contains every fragment (field, value, fix). */
function expectRejected(props: Partial<AuroraClusterProps> | Record<string, unknown>, fragments: string[], intent?: StackIntent) {
  const error = attempt(props, intent);
  expect(error).toBeInstanceOf(ValidationError);
  expect(error!.message).toContain("[test/Database] AuroraCluster:");
  for (const fragment of fragments) expect(error!.message).toContain(fragment);
}

describe("AuroraCluster rejects bad input at synth", () => {
  test("zero instances", () => {
    expectRejected({ instances: 0 }, ["instances (0)", "from 1 to 16", "pass 2"]);
  });

  test("more instances than Aurora allows (one writer + 15 readers)", () => {
    expectRejected({ instances: 17 }, ["instances (17)", "from 1 to 16"]);
  });

  test("MULTI_AZ with a single instance leaves no failover replica", () => {
    expectRejected({ instances: 1 }, ["instances (1) with availability MULTI_AZ", "SINGLE_INSTANCE"]);
  });

  test("SINGLE_INSTANCE with readers is a contradiction", () => {
    expectRejected({ availability: DatabaseAvailability.SINGLE_INSTANCE, instances: 2 }, [
      "instances (2) conflicts with availability SINGLE_INSTANCE",
    ]);
  });

  test("an availability that is not a DatabaseAvailability", () => {
    expectRejected({ availability: "TRIPLE" as DatabaseAvailability }, ['availability ("TRIPLE")', "MULTI_AZ"]);
  });

  test.each([
    ["Lab-Database", "uppercase"],
    ["1lab", "starts with a digit"],
    ["lab-", "trailing hyphen"],
    ["lab--db", "two hyphens in a row"],
    ["lab_db", "underscore"],
    ["a".repeat(64), "longer than 63"],
  ])("an invalid cluster identifier %j (%s)", (identifier) => {
    expectRejected({ identifier }, [`identifier (${JSON.stringify(identifier)})`, "lowercase letters, digits and hyphens"]);
  });

  test("an identifier too long to leave room for instance identifiers", () => {
    const identifier = "a".repeat(61);
    expectRejected({ identifier }, [`identifier ("${identifier}") has 61 characters`, "at most 60"]);
  });

  test("a derived identifier that is too long names where it came from", () => {
    const stack = testStack({}, "s".repeat(40));
    const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"] });
    expect(() => new AuroraCluster(stack, "D".repeat(30), { vpc })).toThrow(/identifier \(derived from the stack and construct ids\)/);
  });

  test.each([
    ["rdsadmin", "is an account RDS creates and manages itself"],
    ["RDSADMIN", "is an account RDS creates and manages itself"],
    ["rdsrepladmin", "is an account RDS creates and manages itself"],
    ["select", "is a MySQL 8.0 reserved word"],
    ["Table", "is a MySQL 8.0 reserved word"],
  ])("a reserved master user name %j", (masterUsername, reason) => {
    expectRejected({ masterUsername }, [`masterUsername ("${masterUsername}") ${reason}`, 'e.g. "dbadmin"']);
  });

  test.each([
    ["a23456789012345678", "longer than 16"],
    ["1admin", "starts with a digit"],
    ["db_admin", "underscore (CreateDBCluster allows letters and digits only)"],
    ["db-admin", "hyphen"],
    ["", "empty"],
  ])("an invalid master user name %j (%s)", (masterUsername) => {
    expectRejected({ masterUsername }, [`masterUsername (${JSON.stringify(masterUsername)})`, "1–16 letters or digits"]);
  });

  test.each(["admin", "root", "app1"])("an allowed master user name %j (ADMIN is non-reserved since MySQL 8.0.12)", (masterUsername) => {
    expect(attempt({ masterUsername })).toBeUndefined();
  });

  test.each([0, 36, 7.5])("backup retention outside 1–35 days: %j", (backupRetentionDays) => {
    expectRejected({ backupRetentionDays }, [`backupRetentionDays (${backupRetentionDays})`, "from 1 to 35"]);
  });

  test.each(["r6g.large", "db.r6g", "db.R6G.large", "db.serverless", "db..large"])(
    "a malformed instance class %j",
    (instanceClass) => {
      expectRejected({ instanceClass }, [`instanceClass ("${instanceClass}")`, "db.<family>.<size>"]);
    },
  );

  test.each(["8.0.32", "5.7.mysql_aurora.2.11.2", "8.0.mysql_aurora.3.10", "8.0.mysql_aurora.3.1.0", "latest"])(
    "a malformed engine version %j",
    (engineVersion) => {
      expectRejected({ engineVersion }, [`engineVersion ("${engineVersion}")`, "8.0.mysql_aurora.3.<minor>.<patch>"]);
    },
  );

  test("a literal password passed through an untyped object is rejected without echoing it", () => {
    const untyped: Record<string, unknown> = { masterPassword: "hunter2-hunter2" };
    const error = attempt(untyped);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.message).toContain("masterPassword (<redacted, 15 characters>)");
    expect(error!.message).toContain("Secrets Manager");
    expect(error!.message).not.toContain("hunter2");
  });

  test.each([["password"], ["master_password"], ["masterUserPassword"], ["dbPwd"]])(
    "any password-named key (%s) is rejected",
    (key) => {
      expectRejected({ [key]: "s3cr3t-value" }, [`${key} (<redacted, 12 characters>)`]);
    },
  );

  test("a password hidden in a string prop is rejected without echoing it", () => {
    const error = attempt({
      deletionProtection: false,
      deletionProtectionOffReason: "temporary; password=Sup3rSecret for the migration",
    });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.message).toContain("deletionProtectionOffReason (<redacted");
    expect(error!.message).not.toContain("Sup3rSecret");
  });

  test("deletion protection off in a production stack without a reason", () => {
    expectRejected({ deletionProtection: false }, [
      "deletionProtection (false) in a production stack (StackIntent.PRODUCTION)",
      "deletionProtectionOffReason",
      "got undefined",
    ]);
  });

  test("deletion protection off in a production stack with a reason under 10 characters", () => {
    expectRejected({ deletionProtection: false, deletionProtectionOffReason: "test" }, [
      "deletionProtection (false)",
      '10+ characters, got "test"',
    ]);
  });

  test("deletion protection off in a development stack needs no reason", () => {
    expect(attempt({ deletionProtection: false }, StackIntent.DEVELOPMENT)).toBeUndefined();
  });

  test("a deletion-protection-off reason while protection is on", () => {
    expectRejected({ deletionProtectionOffReason: "we want to delete it quickly" }, [
      'deletionProtectionOffReason ("we want to delete it quickly") is set but deletion protection is on',
    ]);
  });

  test("Performance Insights asked for on a class without it", () => {
    expectRejected({ instanceClass: "db.t3.medium", performanceInsights: true }, [
      'performanceInsights (true) is not supported on instanceClass "db.t3.medium"',
      "db.t4g.medium",
    ]);
  });

  test.each([80, 1149, 65536])("a port outside RDS's 1150–65535: %j", (port) => {
    expectRejected({ port }, [`port (${port})`, "from 1150 to 65535"]);
  });

  test.each(["1app", "my-app", "a".repeat(65)])("an invalid database name %j", (databaseName) => {
    expectRejected({ databaseName }, [`databaseName (${JSON.stringify(databaseName)})`, "start with a letter"]);
  });

  test("a reserved database name", () => {
    expectRejected({ databaseName: "order" }, ['databaseName ("order") is a MySQL 8.0 reserved word']);
  });

  test.each(["3:00-4:00", "03:00-03:15", "25:00-26:00"])("a malformed or too short backup window %j", (preferredBackupWindow) => {
    expectRejected({ preferredBackupWindow }, [`preferredBackupWindow ("${preferredBackupWindow}")`, "at least 30 minutes"]);
  });

  test.each(["sunday:05:00-sunday:06:00", "sun:05:00-sun:05:10", "Sun:05:00-Sun:06:00"])(
    "a malformed or too short maintenance window %j",
    (preferredMaintenanceWindow) => {
      expectRejected({ preferredMaintenanceWindow }, [
        `preferredMaintenanceWindow ("${preferredMaintenanceWindow}")`,
        "ddd:hh:mm-ddd:hh:mm",
      ]);
    },
  );

  test.each([
    ["03:00-04:00", "wed:03:30-wed:04:30"],
    ["23:30-00:30", "mon:00:00-mon:01:00"],
    ["02:00-03:00", "sun:23:00-mon:02:30"],
  ])("a backup window %j overlapping the maintenance window %j", (preferredBackupWindow, preferredMaintenanceWindow) => {
    expectRejected({ preferredBackupWindow, preferredMaintenanceWindow }, [
      `preferredBackupWindow ("${preferredBackupWindow}") overlaps preferredMaintenanceWindow ("${preferredMaintenanceWindow}")`,
    ]);
  });

  test("adjacent backup and maintenance windows are fine", () => {
    expect(attempt({ preferredBackupWindow: "04:00-05:00", preferredMaintenanceWindow: "sun:05:00-sun:06:00" })).toBeUndefined();
  });

  test("a log type Aurora MySQL cannot export", () => {
    expectRejected({ cloudwatchLogsExports: ["error", "postgresql" as "error"] }, [
      'cloudwatchLogsExports contains "postgresql"',
      '["audit","error","general","slowquery"]',
    ]);
  });

  test("a log type listed twice", () => {
    expectRejected({ cloudwatchLogsExports: ["error", "error"] }, ['lists "error" twice']);
  });

  test("a log retention CloudWatch Logs does not offer", () => {
    expectRejected({ logRetentionDays: 100 }, ["logRetentionDays (100) is not a CloudWatch Logs retention"]);
  });

  test("an Enhanced Monitoring interval RDS does not offer", () => {
    expectRejected({ monitoringIntervalSeconds: 20 }, ["monitoringIntervalSeconds (20)", "[0,1,5,10,15,30,60]"]);
  });

  test("a final snapshot identifier while final snapshots are off", () => {
    expectRejected({ finalSnapshot: false, finalSnapshotIdentifier: "keep-me" }, [
      'finalSnapshotIdentifier ("keep-me") is set but finalSnapshot is false',
    ]);
  });

  test("a malformed final snapshot identifier", () => {
    expectRejected({ finalSnapshotIdentifier: "final--snap" }, ['finalSnapshotIdentifier ("final--snap")']);
  });

  test("a KMS key that is not a key ARN", () => {
    expectRejected({ masterUserSecretKmsKeyArn: "alias/db" }, ['masterUserSecretKmsKeyArn ("alias/db") is not a KMS key ARN']);
  });

  test("a VPC in a single AZ (a DB subnet group needs two)", () => {
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a"], allowSingleAz: true });
    expect(() => new AuroraCluster(stack, "Database", { vpc })).toThrow(
      /vpc spans 1 AZ \(\["us-east-1a"\]\); a DB subnet group needs isolated subnets in at least 2 AZs/,
    );
  });
});
