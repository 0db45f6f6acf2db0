import { ValidationError } from "../lib/errors";
import { StackIntent } from "../lib/ha-stack";
import { AuroraCluster, AuroraClusterProps, DatabaseAvailability } from "../modules/aurora-cluster";
import { HaVpc } from "../modules/ha-vpc";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Template, testStack } from "./helpers/template";

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

/** Builds a cluster that must be accepted and returns what Terraform gets: the cluster, its instances (by tier) and the stack's JSON. */
function accepted(props: Partial<AuroraClusterProps> | Record<string, unknown>, intent?: StackIntent) {
  const stack = testStack({ intent });
  const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"] });
  new AuroraCluster(stack, "Database", { vpc, ...props } as AuroraClusterProps);
  const t = Template.of(stack);
  const instances = t
    .resources("aws_rds_cluster_instance")
    .map((r) => r.values)
    .sort((a, b) => a.promotion_tier - b.promotion_tier);
  return { t, cluster: t.resource("aws_rds_cluster", "Database/Cluster").values, instances };
}

describe("AuroraCluster accepts every limit, and the synthesized JSON carries it", () => {
  test("16 instances, one writer and 15 readers: tiers 0–15, identifiers -1 … -16, alternating AZs", () => {
    const { instances } = accepted({ instances: 16 });
    expect(instances).toHaveLength(16);
    expect(instances.map((i) => i.promotion_tier)).toEqual([...Array(16).keys()]);
    expect(instances.map((i) => i.identifier)).toEqual([...Array(16).keys()].map((i) => `test-database-${i + 1}`));
    expect(instances.map((i) => i.availability_zone)).toEqual([...Array(16).keys()].map((i) => (i % 2 ? "us-east-1b" : "us-east-1a")));
  });

  test("SINGLE_INSTANCE builds one instance, in the AZ instanceAzs names when given", () => {
    expect(accepted({ availability: DatabaseAvailability.SINGLE_INSTANCE }).instances.map((i) => i.availability_zone)).toEqual(["us-east-1a"]);
    const pinned = accepted({ availability: DatabaseAvailability.SINGLE_INSTANCE, instanceAzs: ["us-east-1b"], instances: 1 });
    expect(pinned.instances.map((i) => [i.availability_zone, i.promotion_tier])).toEqual([["us-east-1b", 0]]);
  });

  test("instanceAzs alone sets the count; instances equal to its length is accepted too", () => {
    const instanceAzs = ["us-east-1b", "us-east-1a", "us-east-1b"];
    for (const props of [{ instanceAzs }, { instanceAzs, instances: 3 }]) {
      expect(accepted(props).instances.map((i) => i.availability_zone)).toEqual(instanceAzs);
    }
  });

  test("an identifier of 60 characters (the most that leaves room for -16), and one with digits", () => {
    const long = "a".repeat(60);
    const { cluster, instances } = accepted({ identifier: long });
    expect(cluster.cluster_identifier).toBe(long);
    expect(instances.map((i) => i.identifier)).toEqual([`${long}-1`, `${long}-2`]);
    expect(cluster.final_snapshot_identifier).toBe(`${long}-final`);
    expect(accepted({ identifier: "db2-shop-9" }).cluster.cluster_identifier).toBe("db2-shop-9");
  });

  test.each(["A", "Admin2", "a23456789012345B"])("a master user name of 1 to 16 letters or digits: %j", (masterUsername) => {
    expect(accepted({ masterUsername }).cluster.master_username).toBe(masterUsername);
  });

  test.each(["a", "Inventory_DB2", `A${"b_9".repeat(21)}`])("a database name of 1 to 64 letters, digits and underscores: %j", (databaseName) => {
    expect(accepted({ databaseName }).cluster.database_name).toBe(databaseName);
  });

  test.each([1150, 65535])("port %j, at the edge of RDS's range", (port) => {
    expect(accepted({ port }).cluster.port).toBe(port);
  });

  test.each([1, 35])("backup retention of %j days, at the edge of Aurora's range", (backupRetentionDays) => {
    expect(accepted({ backupRetentionDays }).cluster.backup_retention_period).toBe(backupRetentionDays);
  });

  test.each(["03:00-03:30", "23:45-00:15", "06:00-07:00", "20:59-21:59"])(
    "a backup window of 30 minutes or more, over midnight or right after maintenance: %j",
    (preferredBackupWindow) => {
      expect(accepted({ preferredBackupWindow }).cluster.preferred_backup_window).toBe(preferredBackupWindow);
    },
  );

  test.each([
    "sun:05:00-sun:05:30",
    "sun:04:00-mon:02:59",
    "sat:20:00-sat:23:59",
    ...["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((day, i, days) => `${day}:23:45-${days[(i + 1) % 7]}:00:15`),
  ])(
    "a maintenance window of 30 minutes or more, over a day's or the week's end: %j",
    (preferredMaintenanceWindow) => {
      const { cluster, instances } = accepted({ preferredMaintenanceWindow });
      expect(cluster.preferred_maintenance_window).toBe(preferredMaintenanceWindow);
      expect(instances.map((i) => i.preferred_maintenance_window)).toEqual([preferredMaintenanceWindow, preferredMaintenanceWindow]);
    },
  );

  test("a backup window late on the day before a maintenance window just after midnight on Sunday", () => {
    const { cluster } = accepted({ preferredBackupWindow: "23:00-23:30", preferredMaintenanceWindow: "sun:00:00-sun:00:30" });
    expect(cluster).toMatchObject({ preferred_backup_window: "23:00-23:30", preferred_maintenance_window: "sun:00:00-sun:00:30" });
  });

  test("no log exports, or all four", () => {
    const none = accepted({ cloudwatchLogsExports: [] });
    expect(none.cluster.enabled_cloudwatch_logs_exports).toEqual([]);
    expect(none.t.resources("aws_cloudwatch_log_group").filter((g) => g.values.name.startsWith("/aws/rds/"))).toEqual([]);
    const all = ["audit", "error", "general", "slowquery"] as const;
    expect(accepted({ cloudwatchLogsExports: [...all] }).cluster.enabled_cloudwatch_logs_exports).toEqual(all);
  });

  test.each([1, 3653])("log retention of %j days", (logRetentionDays) => {
    const groups = accepted({ logRetentionDays }).t.resources("aws_cloudwatch_log_group").filter((g) => g.values.name.startsWith("/aws/rds/"));
    expect(groups.map((g) => g.values.retention_in_days)).toEqual([logRetentionDays, logRetentionDays, logRetentionDays]);
  });

  test.each([0, 1])("Enhanced Monitoring every %j s (0 is off)", (monitoringIntervalSeconds) => {
    const { instances } = accepted({ monitoringIntervalSeconds });
    expect(instances.map((i) => i.monitoring_interval)).toEqual([monitoringIntervalSeconds, monitoringIntervalSeconds]);
  });

  test("Performance Insights: on by default where the class has it, off where it has not, as given otherwise", () => {
    const pi = (props: Partial<AuroraClusterProps>) => accepted(props).instances.map((i) => i.performance_insights_enabled);
    expect(pi({})).toEqual([true, true]);
    expect(pi({ instanceClass: "db.t3.medium" })).toEqual([false, false]);
    expect(pi({ instanceClass: "db.t4g.medium", performanceInsights: true })).toEqual([true, true]);
    expect(pi({ performanceInsights: false })).toEqual([false, false]);
  });

  test("defaults: protected and snapshotted in production, disposable in development, minor upgrades off, Aurora MySQL 3's parameter family", () => {
    const prod = accepted({});
    expect(prod.cluster).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: "test-database-final" });
    expect(prod.instances.map((i) => i.auto_minor_version_upgrade)).toEqual([false, false]);
    expect(prod.t.resource("aws_rds_cluster_parameter_group", "Database/ParameterGroup").values.family).toBe("aurora-mysql8.0");
    const dev = accepted({}, StackIntent.DEVELOPMENT);
    expect(dev.cluster).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
  });

  test("booleans given are used as given, against the stack's defaults", () => {
    expect(accepted({ autoMinorVersionUpgrade: true }).instances.map((i) => i.auto_minor_version_upgrade)).toEqual([true, true]);
    expect(accepted({ finalSnapshot: false }).cluster.skip_final_snapshot).toBe(true);
    const dev = accepted({ deletionProtection: true, finalSnapshot: true, finalSnapshotIdentifier: "Keep-Me-2" }, StackIntent.DEVELOPMENT);
    expect(dev.cluster).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: "Keep-Me-2" });
  });

  test("deletion protection off in production with a reason of exactly 10 characters", () => {
    const { cluster } = accepted({ deletionProtection: false, deletionProtectionOffReason: "load tests" });
    expect(cluster.deletion_protection).toBe(false);
  });

  test("a reason with deletion protection off in a development stack", () => {
    const reason = "rebuilt nightly from the seed data";
    expect(accepted({ deletionProtection: false, deletionProtectionOffReason: reason }, StackIntent.DEVELOPMENT).cluster.deletion_protection).toBe(false);
  });

  test("a final snapshot identifier of 255 characters", () => {
    const finalSnapshotIdentifier = `Z${"a1-".repeat(84)}bc`;
    expect(finalSnapshotIdentifier).toHaveLength(255);
    expect(accepted({ finalSnapshotIdentifier }).cluster.final_snapshot_identifier).toBe(finalSnapshotIdentifier);
  });

  test("KMS keys of other partitions, multi-Region keys and a key's arn attribute", () => {
    for (const key of [
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
      "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890AB",
    ]) {
      expect(accepted({ masterUserSecretKmsKeyArn: key }).cluster.master_user_secret_kms_key_id).toBe(key);
    }
    const stack = testStack();
    const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"] });
    const key = new KmsKey(stack, "Key", { enableKeyRotation: true });
    new AuroraCluster(stack, "Database", { vpc, masterUserSecretKmsKeyArn: key.arn });
    const cluster = Template.of(stack).resource("aws_rds_cluster", "Database/Cluster");
    expect(cluster.values.master_user_secret_kms_key_id).toBe(Template.ref(Template.of(stack).resource("aws_kms_key", "Key"), "arn"));
  });

  test("engine versions with a two-digit minor and a patch of one or more digits", () => {
    for (const engineVersion of ["8.0.mysql_aurora.3.08.2", "8.0.mysql_aurora.3.10.12"]) {
      expect(accepted({ engineVersion }).cluster.engine_version).toBe(engineVersion);
    }
  });

  test("an unset or empty password-named key holds no password, and a key that only contains pass is no password key: neither is refused", () => {
    for (const props of [{ password: undefined }, { dbPassword: "" }, { pass: null }, { bypass: "cache" }, { passthrough: "on" }]) {
      expect(accepted(props).cluster.manage_master_user_password).toBe(true);
    }
  });
});
