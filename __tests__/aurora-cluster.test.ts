import { AnnotationMetadataEntryType, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { StackIntent } from "../lib/ha-stack";
import {
  AuroraCluster,
  AuroraClusterProps,
  DEFAULT_ENGINE_VERSION,
  DatabaseAvailability,
} from "../modules/aurora-cluster";
import { HaVpc } from "../modules/ha-vpc";
import { DevStack, LabStack, loadStackConfig } from "../stacks";
import { fixtureClient } from "./helpers/database-client";
import { SynthResource, Template, testStack } from "./helpers/template";

const TWO_AZS = ["us-east-1a", "us-east-1b"];
const THREE_AZS = ["us-east-1a", "us-east-1b", "us-east-1c"];

function build(props: Partial<AuroraClusterProps> = {}, options: { azs?: string[]; intent?: StackIntent } = {}) {
  const stack = testStack({ intent: options.intent });
  const vpc = new HaVpc(stack, "Net", { azs: options.azs ?? TWO_AZS });
  const db = new AuroraCluster(stack, "Database", { vpc, ...props });
  return { stack, vpc, db };
}

function instances(t: Template): SynthResource[] {
  return t.resources("aws_rds_cluster_instance").sort((a, b) => a.values.promotion_tier - b.values.promotion_tier);
}

function warnings(db: AuroraCluster): string[] {
  return db.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
}

/** How attribute values render in Terraform JSON, read back through stack outputs. */
function rendered(stack: TerraformStack, values: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(values)) new TerraformOutput(stack, `probe_${name}`, { value });
  const outputs = JSON.parse(Testing.synth(stack)).output as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.keys(values).map((name) => [name, outputs[`probe_${name}`].value]));
}

/** Every key anywhere in a JSON value. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
  }
  return [];
}

describe("AuroraCluster placement and failover order", () => {
  test("GIVEN two AZs WHEN the default MULTI_AZ cluster is built THEN Instance1 is in the first AZ at tier 0 and Instance2 in the second at tier 1", () => {
    const { stack } = build();
    const found = instances(Template.of(stack)).map((r) => ({
      az: r.values.availability_zone,
      tier: r.values.promotion_tier,
      identifier: r.values.identifier,
    }));
    expect(found).toEqual([
      { az: "us-east-1a", tier: 0, identifier: "test-database-1" },
      { az: "us-east-1b", tier: 1, identifier: "test-database-2" },
    ]);
  });

  test("GIVEN three instances over two AZs THEN placement wraps (a, b, a) and tiers put the other-AZ reader first", () => {
    const { stack, db } = build({ instances: 3 });
    expect(db.instancePlacements).toEqual([
      { id: "Instance1", identifier: "test-database-1", az: "us-east-1a", promotionTier: 0 },
      { id: "Instance2", identifier: "test-database-2", az: "us-east-1b", promotionTier: 1 },
      { id: "Instance3", identifier: "test-database-3", az: "us-east-1a", promotionTier: 2 },
    ]);
    const t = Template.of(stack);
    expect(instances(t).map((r) => r.values.availability_zone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1a"]);
    // Losing the writer's AZ (a) takes Instance1 and Instance3; Instance2 in b is promoted.
    expect(db.promotableAfterLosing("us-east-1a").map((p) => p.id)).toEqual(["Instance2"]);
    // Losing b leaves the writer and Instance3 (same AZ as the writer) as the next candidate.
    expect(db.promotableAfterLosing("us-east-1b").map((p) => p.id)).toEqual(["Instance1", "Instance3"]);
  });

  test("GIVEN three AZs and three instances THEN each instance sits in its own AZ", () => {
    const { db } = build({ instances: 3 }, { azs: THREE_AZS });
    expect(db.instancePlacements.map((p) => p.az)).toEqual(THREE_AZS);
    expect(new Set(db.instancePlacements.map((p) => p.promotionTier)).size).toBe(3);
  });

  test("readers wait for Instance1, so the initial writer is the one in the first AZ", () => {
    const { stack } = build({ instances: 3 });
    const t = Template.of(stack);
    const first = t.resource("aws_rds_cluster_instance", "Database/Instance1");
    expect(first.values.depends_on).toBeUndefined();
    for (const reader of ["Database/Instance2", "Database/Instance3"]) {
      expect(t.resource("aws_rds_cluster_instance", reader).values.depends_on).toEqual([first.address]);
    }
  });

  test("GIVEN automatic minor upgrades THEN engine_version drift is ignored, so an AWS upgrade cannot block applies", () => {
    const pinned = Template.of(build().stack).resource("aws_rds_cluster", "Database/Cluster");
    expect(pinned.values.lifecycle).toBeUndefined();
    const t = Template.of(build({ autoMinorVersionUpgrade: true }).stack);
    expect(t.resource("aws_rds_cluster", "Database/Cluster").values.lifecycle).toEqual({ ignore_changes: ["engine_version"] });
    expect(instances(t)).toHaveLength(2);
    for (const instance of instances(t)) expect(instance.values.auto_minor_version_upgrade).toBe(true);
  });

  test("instances are private, share one class, stay on the pinned engine version and belong to the cluster", () => {
    const { stack } = build({ instanceClass: "db.r6g.xlarge" });
    const t = Template.of(stack);
    const cluster = t.resource("aws_rds_cluster", "Database/Cluster");
    expect(instances(t)).toHaveLength(2);
    for (const instance of instances(t)) {
      expect(instance.values).toMatchObject({
        publicly_accessible: false,
        instance_class: "db.r6g.xlarge",
        auto_minor_version_upgrade: false,
        engine: "aurora-mysql",
        cluster_identifier: Template.ref(cluster, "id"),
      });
    }
  });

  test("the cluster never sets availability_zones (placement lives on the instances)", () => {
    const { stack } = build({ instances: 3 });
    const cluster = Template.of(stack).resource("aws_rds_cluster", "Database/Cluster");
    expect(cluster.values).not.toHaveProperty("availability_zones");
  });

  test("GIVEN the lab stack as synthesized WHEN either AZ is lost THEN an instance pinned in the other AZ remains to be promoted", () => {
    const lab = new LabStack(Testing.app(), "lab", loadStackConfig({}));
    // What Terraform gets, not the construct's own account of it.
    const placed = instances(Template.of(lab)).map((r) => ({ az: r.values.availability_zone, tier: r.values.promotion_tier }));
    expect(placed).toEqual([
      { az: "us-east-1a", tier: 0 },
      { az: "us-east-1b", tier: 1 },
    ]);
    for (const lost of ["us-east-1a", "us-east-1b"]) {
      expect(placed.filter((p) => p.az !== lost).map((p) => p.az)).toEqual(["us-east-1a", "us-east-1b"].filter((az) => az !== lost));
    }
    // The construct's model agrees with the JSON.
    expect(lab.database.promotableAfterLosing("us-east-1a").map((p) => p.az)).toEqual(["us-east-1b"]);
    expect(lab.database.highlyAvailable).toBe(true);
    expect(warnings(lab.database)).toEqual([]);
  });

  test("GIVEN the dev stack THEN its single instance has no failover target, it is reported as not HA and a warning names the trade-off", () => {
    const dev = new DevStack(Testing.app(), "dev", loadStackConfig({}));
    expect(instances(Template.of(dev)).map((r) => [r.values.availability_zone, r.values.promotion_tier])).toEqual([["us-east-1a", 0]]);
    expect(dev.database.availability).toBe(DatabaseAvailability.SINGLE_INSTANCE);
    expect(dev.database.instancePlacements).toHaveLength(1);
    expect(dev.database.promotableAfterLosing(dev.database.instancePlacements[0].az)).toEqual([]);
    expect(dev.database.highlyAvailable).toBe(false);
    const [warning] = warnings(dev.database);
    expect(warning).toContain("SINGLE_INSTANCE");
    expect(warning).toContain("not HA");
  });
});

describe("AuroraCluster placement is stable when the AZ list changes", () => {
  /** Each instance's Terraform address and attributes: equal means Terraform plans no change to it. */
  const instanceValues = (stack: TerraformStack) =>
    Object.fromEntries(instances(Template.of(stack)).map((r) => [r.address, r.values]));

  test("GIVEN AZs listed b, a THEN every instance sits where a, b puts it (placement follows AZ names, not list order)", () => {
    for (const count of [1, 2, 3, 5]) {
      const availability = count === 1 ? DatabaseAvailability.SINGLE_INSTANCE : DatabaseAvailability.MULTI_AZ;
      const inOrder = build({ instances: count, availability }, { azs: TWO_AZS }).stack;
      const reversed = build({ instances: count, availability }, { azs: [...TWO_AZS].reverse() }).stack;
      expect(instanceValues(reversed)).toEqual(instanceValues(inOrder));
    }
    const shuffled = build({ instances: 3 }, { azs: ["us-east-1c", "us-east-1a", "us-east-1b"] }).db;
    expect(shuffled.instancePlacements.map((p) => p.az)).toEqual(THREE_AZS);
  });

  test("GIVEN three instances over a, b pinned with instanceAzs WHEN c is appended and a fourth instance placed there THEN Instance1–3 keep their AZ and attributes", () => {
    const before = build({ instanceAzs: ["us-east-1a", "us-east-1b", "us-east-1a"] }, { azs: TWO_AZS });
    const after = build({ instanceAzs: ["us-east-1a", "us-east-1b", "us-east-1a", "us-east-1c"] }, { azs: THREE_AZS });
    const old = instanceValues(before.stack);
    const grown = instanceValues(after.stack);
    expect(Object.keys(old)).toHaveLength(3);
    for (const [address, values] of Object.entries(old)) expect({ address, values: grown[address] }).toEqual({ address, values });
    expect(after.db.instancePlacements.map((p) => p.az)).toEqual(["us-east-1a", "us-east-1b", "us-east-1a", "us-east-1c"]);
    expect(warnings(before.db)).toEqual([]);
  });

  test("GIVEN lab's two instances over a, b WHEN c is appended THEN no instance moves", () => {
    const old = instanceValues(build({}, { azs: TWO_AZS }).stack);
    const grown = instanceValues(build({}, { azs: THREE_AZS }).stack);
    expect(grown).toEqual(old);
  });

  test("GIVEN more instances than AZs and no instanceAzs THEN a warning names the instance an added AZ would move and the instanceAzs that pins it", () => {
    const { db } = build({ instances: 3 });
    const warning = warnings(db).join("\n");
    expect(warning).toContain("would move Instance3");
    expect(warning).toContain('instanceAzs: ["us-east-1a","us-east-1b","us-east-1a"]');
  });
});

describe("AuroraCluster secret handling", () => {
  test("the master password is managed by Secrets Manager and appears nowhere in the synthesized JSON", () => {
    const { stack, vpc, db } = build();
    db.allowFrom(fixtureClient(stack, "App", vpc));
    const text = Testing.synth(stack);
    const t = new Template(JSON.parse(text));
    const cluster = t.resource("aws_rds_cluster", "Database/Cluster");
    expect(cluster.values.manage_master_user_password).toBe(true);
    const keys = allKeys(t.json);
    expect(keys.filter((k) => /password/i.test(k))).toEqual(["manage_master_user_password"]);
    expect(keys).not.toContain("master_password");
    expect(keys).not.toContain("master_password_wo");
  });

  test("secretArn is the cluster's managed secret, master_user_secret[0].secret_arn", () => {
    const { stack, db } = build();
    const cluster = Template.of(stack).resource("aws_rds_cluster", "Database/Cluster");
    expect(rendered(stack, { secretArn: db.secretArn })).toEqual({
      secretArn: `\${${cluster.address}.master_user_secret[0].secret_arn}`,
    });
  });

  test("GIVEN a customer-managed key THEN the secret is encrypted with it", () => {
    const key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { stack } = build({ masterUserSecretKmsKeyArn: key });
    const cluster = Template.of(stack).resource("aws_rds_cluster", "Database/Cluster");
    expect(cluster.values.master_user_secret_kms_key_id).toBe(key);
  });
});

describe("AuroraCluster security group and client wiring", () => {
  test("the DB security group has no inline rules and, unwired, no ingress rule at all", () => {
    const { stack } = build();
    const t = Template.of(stack);
    const sg = t.resource("aws_security_group", "Database/SecurityGroup");
    expect(sg.values).not.toHaveProperty("ingress");
    expect(sg.values).not.toHaveProperty("egress");
    expect(sg.values.description).toBeTruthy();
    expect(t.find("aws_vpc_security_group_ingress_rule", { security_group_id: Template.ref(sg) })).toEqual([]);
  });

  test("GIVEN an app-like client WHEN allowFrom is called THEN the DB admits the port from the client's SG only, never a CIDR", () => {
    const { stack, vpc, db } = build();
    db.allowFrom(fixtureClient(stack, "App", vpc));
    const t = Template.of(stack);
    const dbSg = t.resource("aws_security_group", "Database/SecurityGroup");
    const appSg = t.resource("aws_security_group", "App/InstanceSecurityGroup");
    const ingress = t.find("aws_vpc_security_group_ingress_rule", { security_group_id: Template.ref(dbSg) });
    expect(ingress).toHaveLength(1);
    expect(ingress[0].values).toMatchObject({
      referenced_security_group_id: Template.ref(appSg),
      ip_protocol: "tcp",
      from_port: 3306,
      to_port: 3306,
    });
    expect(ingress[0].values.description).toBeTruthy();
    for (const rule of ingress) {
      expect(rule.values).not.toHaveProperty("cidr_ipv4");
      expect(rule.values).not.toHaveProperty("cidr_ipv6");
      expect(rule.values).not.toHaveProperty("prefix_list_id");
    }
  });

  test("allowFrom adds the matching egress rule on the client's SG towards the DB SG", () => {
    const { stack, vpc, db } = build({ port: 3307 });
    db.allowFrom(fixtureClient(stack, "App", vpc));
    const t = Template.of(stack);
    const dbSg = t.resource("aws_security_group", "Database/SecurityGroup");
    const appSg = t.resource("aws_security_group", "App/InstanceSecurityGroup");
    const egress = t.find("aws_vpc_security_group_egress_rule", { security_group_id: Template.ref(appSg) });
    expect(egress).toHaveLength(1);
    expect(egress[0].values).toMatchObject({
      referenced_security_group_id: Template.ref(dbSg),
      ip_protocol: "tcp",
      from_port: 3307,
      to_port: 3307,
    });
  });

  test("allowFrom grants the client's role GetSecretValue and DescribeSecret on the master secret only", () => {
    const { stack, vpc, db } = build();
    db.allowFrom(fixtureClient(stack, "App", vpc));
    const t = Template.of(stack);
    const cluster = t.resource("aws_rds_cluster", "Database/Cluster");
    const role = t.resource("aws_iam_role", "App/InstanceRole");
    const policy = t.resource("aws_iam_role_policy", "Database/From-App-InstanceSecurityGroup/SecretReadPolicy");
    expect(policy.values.role).toBe(Template.ref(role, "id"));

    const docName = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy.values.policy)![1];
    const doc = t.json.data.aws_iam_policy_document[docName];
    expect(doc.statement).toEqual([
      expect.objectContaining({
        actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        resources: [`\${${cluster.address}.master_user_secret[0].secret_arn}`],
      }),
    ]);
  });

  test("GIVEN a customer-managed key THEN allowFrom also grants kms:Decrypt on that key through Secrets Manager only", () => {
    const key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { stack, vpc, db } = build({ masterUserSecretKmsKeyArn: key });
    db.allowFrom(fixtureClient(stack, "App", vpc));
    const t = Template.of(stack);
    const policy = t.resource("aws_iam_role_policy", "Database/From-App-InstanceSecurityGroup/SecretReadPolicy");
    const docName = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy.values.policy)![1];
    const statements = t.json.data.aws_iam_policy_document[docName].statement;
    expect(statements[1]).toMatchObject({
      actions: ["kms:Decrypt"],
      resources: [key],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["secretsmanager.us-east-1.amazonaws.com"] }],
    });
  });

  test("GIVEN IAM database authentication for a user THEN allowFrom grants rds-db:connect on this cluster's resource id and that user only", () => {
    const { stack, vpc, db } = build();
    db.allowFrom(fixtureClient(stack, "App", vpc), { iamDatabaseUser: "inventory_app" });
    const t = Template.of(stack);
    const cluster = t.resource("aws_rds_cluster", "Database/Cluster");
    const policy = t.resource("aws_iam_role_policy", "Database/From-App-InstanceSecurityGroup/IamConnectPolicy");
    expect(policy.values.role).toBe(Template.ref(t.resource("aws_iam_role", "App/InstanceRole"), "id"));
    const docName = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy.values.policy)![1];
    expect(t.json.data.aws_iam_policy_document[docName].statement).toEqual([
      expect.objectContaining({
        actions: ["rds-db:connect"],
        resources: [`arn:aws:rds-db:us-east-1:*:dbuser:\${${cluster.address}.cluster_resource_id}/inventory_app`],
      }),
    ]);
  });

  test("GIVEN no IAM database user THEN allowFrom grants no rds-db:connect", () => {
    const { stack, vpc, db } = build();
    db.allowFrom(fixtureClient(stack, "App", vpc));
    expect(JSON.stringify(Template.of(stack).json)).not.toContain("rds-db:connect");
  });

  test("wiring the same client twice adds nothing; two clients get a rule each", () => {
    const { stack, vpc, db } = build();
    const app = fixtureClient(stack, "App", vpc);
    db.allowFrom(app);
    db.allowFrom(app);
    db.allowFrom(fixtureClient(stack, "Worker", vpc));
    const t = Template.of(stack);
    expect(t.count("aws_vpc_security_group_ingress_rule")).toBe(2);
    expect(t.count("aws_vpc_security_group_egress_rule")).toBe(2);
    const secretPolicies = t.resources("aws_iam_role_policy").filter((p) => p.name.includes("SecretReadPolicy"));
    expect(secretPolicies.map((p) => p.values.role).sort()).toEqual(
      ["App/InstanceRole", "Worker/InstanceRole"].map((path) => Template.ref(t.resource("aws_iam_role", path), "id")).sort(),
    );
  });

  test("readonly attributes give a client what it needs to connect, with no writer-instance endpoint", () => {
    const { stack, db } = build({ databaseName: "shop", masterUsername: "shopadmin" });
    const t = Template.of(stack);
    const cluster = t.resource("aws_rds_cluster", "Database/Cluster");
    expect(
      rendered(stack, { endpoint: db.clusterEndpoint, reader: db.readerEndpoint, sg: db.securityGroup.id }),
    ).toEqual({
      endpoint: `\${${cluster.address}.endpoint}`,
      reader: `\${${cluster.address}.reader_endpoint}`,
      sg: Template.ref(t.resource("aws_security_group", "Database/SecurityGroup")),
    });
    expect(db.port).toBe(3306);
    expect(db.databaseName).toBe("shop");
    expect(db.masterUsername).toBe("shopadmin");
    expect(db.clusterIdentifier).toBe("test-database");
  });

  test("the lab stack outputs cluster endpoint, reader endpoint and secret ARN, and nothing that names a writer instance", () => {
    const lab = new LabStack(Testing.app(), "lab", loadStackConfig({}));
    const outputs = new Template(JSON.parse(Testing.synth(lab))).json.output as Record<string, { value: unknown }>;
    expect(outputs.database_cluster_endpoint.value).toMatch(/^\$\{aws_rds_cluster\.[^.]+\.endpoint\}$/);
    expect(outputs.database_reader_endpoint.value).toMatch(/^\$\{aws_rds_cluster\.[^.]+\.reader_endpoint\}$/);
    expect(outputs.database_secret_arn.value).toMatch(/master_user_secret\[0\]\.secret_arn/);
    expect(JSON.stringify(outputs)).not.toContain("aws_rds_cluster_instance");
  });
});

describe("AuroraCluster cluster settings", () => {
  test("cluster: Aurora MySQL at the pinned default version, encrypted, IAM auth, backups, tags to snapshots, log exports", () => {
    const { stack } = build();
    const cluster = Template.of(stack).resource("aws_rds_cluster", "Database/Cluster");
    expect(cluster.values).toMatchObject({
      cluster_identifier: "test-database",
      engine: "aurora-mysql",
      engine_version: DEFAULT_ENGINE_VERSION,
      database_name: "app",
      master_username: "dbadmin",
      storage_encrypted: true,
      iam_database_authentication_enabled: true,
      backup_retention_period: 7,
      preferred_backup_window: "03:00-04:00",
      preferred_maintenance_window: "sun:05:00-sun:06:00",
      copy_tags_to_snapshot: true,
      enabled_cloudwatch_logs_exports: ["audit", "error", "slowquery"],
    });
  });

  test("the engine version can be overridden", () => {
    const { stack } = build({ engineVersion: "8.0.mysql_aurora.3.08.2" });
    expect(Template.of(stack).resource("aws_rds_cluster", "Database/Cluster").values.engine_version).toBe(
      "8.0.mysql_aurora.3.08.2",
    );
  });

  test("the cluster parameter group requires TLS and turns on what the exported logs need", () => {
    const { stack } = build();
    const t = Template.of(stack);
    const group = t.resource("aws_rds_cluster_parameter_group", "Database/ParameterGroup");
    expect(t.resource("aws_rds_cluster", "Database/Cluster").values.db_cluster_parameter_group_name).toBe(
      Template.ref(group, "name"),
    );
    expect(group.values.family).toBe("aurora-mysql8.0");
    const params = Object.fromEntries(group.values.parameter.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(params).toMatchObject({
      require_secure_transport: "ON",
      server_audit_logging: "1",
      slow_query_log: "1",
      log_output: "FILE",
    });
    expect(params).not.toHaveProperty("general_log");
  });

  test("each exported log gets a log group with retention, created before the cluster", () => {
    const { stack } = build({ cloudwatchLogsExports: ["error", "general"], logRetentionDays: 30 });
    const t = Template.of(stack);
    const groups = t.resources("aws_cloudwatch_log_group").filter((g) => g.values.name.startsWith("/aws/rds/"));
    expect(groups.map((g) => g.values.name).sort()).toEqual([
      "/aws/rds/cluster/test-database/error",
      "/aws/rds/cluster/test-database/general",
    ]);
    expect(groups.every((g) => g.values.retention_in_days === 30)).toBe(true);
    expect(t.resource("aws_rds_cluster", "Database/Cluster").values.depends_on.sort()).toEqual(
      groups.map((g) => g.address).sort(),
    );
  });

  test("the DB subnet group spans the isolated subnet of every AZ", () => {
    const { stack } = build({}, { azs: THREE_AZS });
    const t = Template.of(stack);
    const group = t.resource("aws_db_subnet_group", "Database/SubnetGroup");
    expect(group.values.subnet_ids).toEqual(
      THREE_AZS.map((az) => Template.ref(t.resource("aws_subnet", `Net/${az}/IsolatedSubnet`))),
    );
    expect(t.resource("aws_rds_cluster", "Database/Cluster").values.db_subnet_group_name).toBe(Template.ref(group, "name"));
  });

  test("GIVEN a production stack THEN deletion protection is on and the final snapshot has a fixed name", () => {
    const { stack } = build({}, { intent: StackIntent.PRODUCTION });
    const text = Testing.synth(stack);
    const cluster = new Template(JSON.parse(text)).resource("aws_rds_cluster", "Database/Cluster");
    expect(cluster.values).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "test-database-final",
    });
    expect(text).not.toMatch(/timestamp\(/);
  });

  test("GIVEN a development stack THEN the cluster tears down: no deletion protection, no final snapshot", () => {
    const { stack } = build({}, { intent: StackIntent.DEVELOPMENT });
    const cluster = Template.of(stack).resource("aws_rds_cluster", "Database/Cluster");
    expect(cluster.values).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(cluster.values).not.toHaveProperty("final_snapshot_identifier");
  });

  test("GIVEN a production stack with deletion protection off for a stated reason THEN it builds, unprotected", () => {
    const { stack, db } = build({
      deletionProtection: false,
      deletionProtectionOffReason: "ephemeral load-test cluster, rebuilt nightly",
    });
    expect(db.deletionProtection).toBe(false);
    expect(Template.of(stack).resource("aws_rds_cluster", "Database/Cluster").values.deletion_protection).toBe(false);
  });

  test("GIVEN a production stack with finalSnapshot false THEN a warning says no snapshot is kept", () => {
    const { db } = build({ finalSnapshot: false });
    expect(warnings(db).join("\n")).toContain("finalSnapshot is false");
  });
});

describe("AuroraCluster monitoring", () => {
  test.each([
    ["db.r6g.large", true],
    ["db.t4g.medium", true],
    ["db.t3.medium", false],
    ["db.t4g.small", false],
  ])("Performance Insights by default on %s: %s", (instanceClass, enabled) => {
    const { stack } = build({ instanceClass });
    expect(instances(Template.of(stack))).toHaveLength(2);
    for (const instance of instances(Template.of(stack))) {
      expect(instance.values.performance_insights_enabled).toBe(enabled);
      if (enabled) expect(instance.values.performance_insights_retention_period).toBe(7);
      else expect(instance.values).not.toHaveProperty("performance_insights_retention_period");
    }
  });

  test("Enhanced Monitoring uses a role trusted by monitoring.rds.amazonaws.com with the AWS managed policy", () => {
    const { stack } = build();
    const t = Template.of(stack);
    const role = t.resource("aws_iam_role", "Database/MonitoringRole");
    const trustName = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(role.values.assume_role_policy)![1];
    expect(t.json.data.aws_iam_policy_document[trustName].statement[0]).toMatchObject({
      actions: ["sts:AssumeRole"],
      principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }],
    });
    expect(t.resource("aws_iam_role_policy_attachment", "Database/MonitoringPolicy").values).toMatchObject({
      role: Template.ref(role, "name"),
      policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });
    expect(instances(t)).toHaveLength(2);
    for (const instance of instances(t)) {
      expect(instance.values).toMatchObject({ monitoring_interval: 60, monitoring_role_arn: Template.ref(role, "arn") });
    }
  });

  test("GIVEN a GovCloud stack THEN the managed policy ARN uses the aws-us-gov partition", () => {
    const stack = testStack({ region: "us-gov-west-1" });
    const vpc = new HaVpc(stack, "Net", { azs: ["us-gov-west-1a", "us-gov-west-1b"] });
    new AuroraCluster(stack, "Database", { vpc });
    expect(Template.of(stack).resource("aws_iam_role_policy_attachment", "Database/MonitoringPolicy").values.policy_arn).toBe(
      "arn:aws-us-gov:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
  });

  test("GIVEN monitoringIntervalSeconds 0 THEN no monitoring role is created", () => {
    const { stack } = build({ monitoringIntervalSeconds: 0 });
    const t = Template.of(stack);
    expect(t.resources("aws_iam_role").filter((r) => r.name.includes("MonitoringRole"))).toEqual([]);
    expect(t.count("aws_iam_role_policy_attachment")).toBe(0);
    expect(instances(t)).toHaveLength(2);
    for (const instance of instances(t)) {
      expect(instance.values.monitoring_interval).toBe(0);
      expect(instance.values).not.toHaveProperty("monitoring_role_arn");
    }
  });
});
