import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import {
  RdsClusterParameterGroup,
  RdsClusterParameterGroupParameter,
} from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HaVpc } from "../ha-vpc";
import { HaStack, StackIntent } from "../../lib/ha-stack";
import { auroraMysqlMaxConnections } from "../../lib/connection-budget";
import { describeType } from "../../lib/checks";
import { ValidationError, show } from "../../lib/errors";
import { partitionOf, serviceRole } from "../../lib/iam";
import { defaultClusterIdentifier, promotableAfterLosing } from "./placement";
import {
  AuroraClusterProps,
  AuroraMysqlLogType,
  DEFAULT_LONG_QUERY_TIME_SECONDS,
  DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS,
  DatabaseAvailability,
  DatabaseClient,
  InstancePlacement,
} from "./props";
import { ResolvedAuroraClusterConfig, resolveAuroraClusterConfig } from "./validation";

const ENGINE = "aurora-mysql";
/** A MySQL user name as IAM database authentication takes it. */
const IAM_DATABASE_USER = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

/** Options of {@link AuroraCluster.allowFrom}. */
export interface AllowFromOptions {
  /**
   * Database user the client signs in as with IAM database authentication (the cluster has it
   * enabled); grants `rds-db:connect` for that user on this cluster only.
   * @default - none: the client signs in with the master secret's password
   */
  readonly iamDatabaseUser?: string;
}
/** Audit what changes access and schema; QUERY_DML would log every row read and written. */
const AUDIT_EVENTS = "CONNECT,QUERY_DCL,QUERY_DDL";
/** RDS's own management account connects every few seconds; auditing it only adds noise. */
const AUDIT_EXCLUDED_USERS = "rdsadmin";

/**
 * An Aurora MySQL 3 cluster in the isolated subnets of an {@link HaVpc}: a writer and readers
 * pinned one per AZ in order, with explicit promotion tiers, so losing the writer or its AZ
 * promotes a reader in another AZ. The master password is generated and kept by Secrets Manager
 * (never in code, user data or state); TLS is required; the database port is open only to
 * security groups wired with {@link AuroraCluster.allowFrom}.
 *
 * Nothing here depends on which instance is the writer: after a failover any instance may be.
 * Connect through `clusterEndpoint` (always the current writer) and `readerEndpoint`.
 */
export class AuroraCluster extends Construct {
  /** Writer endpoint; after a failover it points at the promoted instance. */
  public readonly clusterEndpoint: string;
  /** Load-balanced endpoint over the readers (the writer when there is none). */
  public readonly readerEndpoint: string;
  public readonly port: number;
  public readonly databaseName: string;
  public readonly masterUsername: string;
  /** ARN of the Secrets Manager secret RDS keeps the master credentials in (`username`, `password`). */
  public readonly secretArn: string;
  /** The database's security group; it admits the port only from wired clients. */
  public readonly securityGroup: SecurityGroup;
  public readonly clusterIdentifier: string;
  public readonly clusterArn: string;
  /** Every instance's AZ and promotion tier, in creation order (`Instance1` first). */
  public readonly instancePlacements: readonly InstancePlacement[];
  public readonly availability: DatabaseAvailability;
  /** True when a reader in another AZ can take over from the writer. */
  public readonly highlyAvailable: boolean;
  public readonly engineVersion: string;
  public readonly instanceClass: string;
  /**
   * Default `max_connections` of `instanceClass` as AWS publishes it (every instance has the same
   * class, so it is the writer's after any failover); undefined for a class not in the library's
   * table (AURORA_MYSQL_MAX_CONNECTIONS). App tiers check their worker pools against it.
   */
  public readonly maxConnections?: number;
  public readonly deletionProtection: boolean;
  /** The cluster resource, for attributes not exposed above. */
  public readonly cluster: RdsCluster;
  /** The network the cluster lives in; clients such as the inventory app check what it can reach. */
  public readonly vpc: HaVpc;

  private readonly config: ResolvedAuroraClusterConfig;
  private readonly region?: string;
  private readonly wiredClients = new Set<string>();

  constructor(scope: Construct, id: string, props: AuroraClusterProps) {
    super(scope, id);
    const stack = HaStack.find(this);
    const intent = HaStack.intentOf(this);
    const resolved = resolveAuroraClusterConfig(props, {
      defaultIdentifier: defaultClusterIdentifier(stack?.node.id, id),
      intent,
      scope: this,
    });
    // A stack built for teardown (HaStack teardown: true) lifts what makes a destroy fail or
    // leave a snapshot behind; the props are still checked as given.
    const teardown = HaStack.teardownOf(this);
    const config = teardown ? { ...resolved, deletionProtection: false, finalSnapshot: false } : resolved;
    this.config = config;
    this.region = stack?.region;
    this.vpc = props.vpc;
    const name = config.identifier;

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      namePrefix: `${name}-db-`,
      description: `Aurora cluster ${name}: port ${config.port} from wired client security groups only`,
      vpcId: props.vpc.vpcId,
      tags: { Name: `${name}-db` },
      lifecycle: { createBeforeDestroy: true },
    });

    // A fixed name, not a prefix: the cluster's subnet group cannot change without replacing the
    // cluster, so this resource must never be replaced either.
    const subnetGroup = new DbSubnetGroup(this, "SubnetGroup", {
      name,
      description: `Isolated subnets of every AZ for Aurora cluster ${name}`,
      subnetIds: props.vpc.isolatedSubnetIds,
      tags: { Name: name },
    });

    // A prefix and create-before-destroy: a major upgrade needs a new family's group while the
    // old one is still attached.
    const parameterGroup = new RdsClusterParameterGroup(this, "ParameterGroup", {
      namePrefix: `${name}-`,
      family: config.parameterGroupFamily,
      description: `Aurora cluster ${name}: TLS required, logging for the exported logs`,
      parameter: clusterParameters(config.logExports),
      tags: { Name: name },
      lifecycle: { createBeforeDestroy: true },
    });

    // Created here, before the cluster, so retention is ours; RDS would create them never-expiring.
    const logGroups = config.logExports.map(
      (log) =>
        new CloudwatchLogGroup(this, `${capitalize(log)}LogGroup`, {
          name: `/aws/rds/cluster/${name}/${log}`,
          retentionInDays: config.logRetentionDays,
        }),
    );

    this.cluster = new RdsCluster(this, "Cluster", {
      clusterIdentifier: name,
      engine: ENGINE,
      engineVersion: config.engineVersion,
      databaseName: config.databaseName,
      masterUsername: config.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: config.masterUserSecretKmsKeyArn,
      port: config.port,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: parameterGroup.name,
      storageEncrypted: true,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: config.backupRetentionDays,
      preferredBackupWindow: config.preferredBackupWindow,
      preferredMaintenanceWindow: config.preferredMaintenanceWindow,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: [...config.logExports],
      deletionProtection: config.deletionProtection,
      skipFinalSnapshot: !config.finalSnapshot,
      finalSnapshotIdentifier: config.finalSnapshot ? config.finalSnapshotIdentifier : undefined,
      // No availability_zones: the provider replaces the cluster whenever AWS reports a different
      // AZ list than configured. Placement lives on the instances.
      tags: { Name: name },
      dependsOn: logGroups,
      // AWS's own minor upgrades would otherwise read as drift that plans a refused downgrade.
      lifecycle: config.autoMinorVersionUpgrade ? { ignoreChanges: ["engine_version"] } : undefined,
    });

    const monitoringRole = config.monitoringIntervalSeconds > 0 ? this.createMonitoringRole(name) : undefined;
    let firstInstance: RdsClusterInstance | undefined;
    for (const placement of config.placements) {
      const instance = new RdsClusterInstance(this, placement.id, {
        identifier: placement.identifier,
        clusterIdentifier: this.cluster.id,
        engine: ENGINE,
        instanceClass: config.instanceClass,
        availabilityZone: placement.az,
        promotionTier: placement.promotionTier,
        dbSubnetGroupName: subnetGroup.name,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: config.autoMinorVersionUpgrade,
        preferredMaintenanceWindow: config.preferredMaintenanceWindow,
        performanceInsightsEnabled: config.performanceInsights,
        performanceInsightsRetentionPeriod: config.performanceInsights
          ? DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS
          : undefined,
        monitoringInterval: config.monitoringIntervalSeconds,
        monitoringRoleArn: monitoringRole?.arn,
        tags: { Name: placement.identifier },
        // The first instance to join a cluster becomes its writer; making the others wait for
        // Instance1 puts the initial writer in its AZ, as the promotion tiers describe.
        dependsOn: firstInstance ? [firstInstance] : undefined,
      });
      firstInstance ??= instance;
    }

    this.clusterEndpoint = this.cluster.endpoint;
    this.readerEndpoint = this.cluster.readerEndpoint;
    this.port = config.port;
    this.databaseName = config.databaseName;
    this.masterUsername = config.masterUsername;
    this.secretArn = this.cluster.masterUserSecret.get(0).secretArn;
    this.clusterIdentifier = name;
    this.clusterArn = this.cluster.arn;
    this.instancePlacements = config.placements;
    this.availability = config.availability;
    this.highlyAvailable = new Set(config.placements.map((p) => p.az)).size > 1;
    this.engineVersion = config.engineVersion;
    this.instanceClass = config.instanceClass;
    this.maxConnections = auroraMysqlMaxConnections(config.instanceClass);
    this.deletionProtection = config.deletionProtection;

    if (config.availability === DatabaseAvailability.SINGLE_INSTANCE) {
      Annotations.of(this).addWarning(
        `AuroraCluster ${name}: availability SINGLE_INSTANCE keeps no failover replica, so the database is not HA. ` +
          `If its instance or AZ (${config.placements[0].az}) fails, the database is down until Aurora re-creates ` +
          `the instance, which is best-effort while the AZ is impaired. Use DatabaseAvailability.MULTI_AZ for HA.`,
      );
    }
    const wrapped = config.placements.slice(props.vpc.azs.length);
    if (props.instanceAzs === undefined && wrapped.length > 0) {
      Annotations.of(this).addWarning(
        `AuroraCluster ${name}: ${config.placements.length} instances over ${props.vpc.azs.length} AZs wrap, so adding ` +
          `an AZ later would move ${wrapped.map((p) => p.id).join(", ")} into it (a replacement). Pin the placement ` +
          `now with instanceAzs: ${JSON.stringify(config.placements.map((p) => p.az))}; a new AZ then receives only new instances.`,
      );
    }
    if (intent === StackIntent.PRODUCTION && !config.finalSnapshot && !teardown) {
      Annotations.of(this).addWarning(
        `AuroraCluster ${name}: finalSnapshot is false in a production stack; deleting the cluster keeps no snapshot ` +
          `and its automated backups are deleted with it.`,
      );
    }
  }

  /**
   * Lets a client connect: opens the database port on the database's security group from the
   * client's security group (never a CIDR), adds the matching egress rule on the client's group,
   * and lets the client's instance role read the master secret (that secret only). Calling it
   * again with the same client changes nothing.
   *
   * With `options.iamDatabaseUser` the role may also sign in as that database user with IAM
   * database authentication (`rds-db:connect` on this cluster's resource id and that user only).
   */
  public allowFrom(client: DatabaseClient, options: AllowFromOptions = {}): void {
    checkDatabaseClient(client, this);
    const iamUser = options.iamDatabaseUser;
    if (iamUser !== undefined && (typeof iamUser !== "string" || !IAM_DATABASE_USER.test(iamUser))) {
      throw new ValidationError(
        `AuroraCluster.allowFrom: iamDatabaseUser (${JSON.stringify(iamUser)}) is not a MySQL user name; ` +
          "pass the literal name of a user created WITH AWSAuthenticationPlugin (letters, digits and _, at most 32 characters)",
        this,
      );
    }
    const clientPath = client.securityGroup.node.path;
    if (this.wiredClients.has(clientPath)) return;
    this.wiredClients.add(clientPath);
    // Keyed by the client's construct path (below the stack), so ids stay stable whatever order clients are wired in.
    const key = clientPath.split("/").slice(1).join("-") || clientPath;
    const scope = new Construct(this, `From-${key}`);
    const port = this.config.port;

    new VpcSecurityGroupIngressRule(scope, "Ingress", {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: client.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: `MySQL from ${key}`,
      tags: { Name: `${this.clusterIdentifier}-from-${key}` },
    });
    new VpcSecurityGroupEgressRule(scope, "Egress", {
      securityGroupId: client.securityGroup.id,
      referencedSecurityGroupId: this.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: `MySQL to Aurora cluster ${this.clusterIdentifier}`,
      tags: { Name: `${key}-to-${this.clusterIdentifier}` },
    });

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "ReadDatabaseMasterSecret",
        actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        resources: [this.secretArn],
      },
    ];
    const kmsKey = this.config.masterUserSecretKmsKeyArn;
    if (kmsKey) {
      statements.push({
        sid: "DecryptDatabaseMasterSecret",
        actions: ["kms:Decrypt"],
        resources: [kmsKey],
        // Only to decrypt the secret through Secrets Manager, not arbitrary data under the key.
        condition: this.region
          ? [{ test: "StringEquals", variable: "kms:ViaService", values: [`secretsmanager.${this.region}.amazonaws.com`] }]
          : undefined,
      });
    }
    const policy = new DataAwsIamPolicyDocument(scope, "SecretReadPolicyDocument", { statement: statements });
    new IamRolePolicy(scope, "SecretReadPolicy", {
      // A prefix: two clients may share one role, and inline policy names are unique per role.
      namePrefix: `${this.clusterIdentifier}-master-secret-read-`,
      role: client.instanceRole.id,
      policy: policy.json,
    });
    if (iamUser !== undefined) {
      // IAM database authentication: the token is checked against this ARN (any account id matches
      // only this cluster's resource id, which is unique).
      const dbUserArn = `arn:${partitionOf(this.region)}:rds-db:${this.region ?? "*"}:*:dbuser:${this.cluster.clusterResourceId}/${iamUser}`;
      const connect = new DataAwsIamPolicyDocument(scope, "IamConnectPolicyDocument", {
        statement: [{ sid: "ConnectAsDatabaseUser", actions: ["rds-db:connect"], resources: [dbUserArn] }],
      });
      new IamRolePolicy(scope, "IamConnectPolicy", {
        namePrefix: `${this.clusterIdentifier}-iam-connect-`,
        role: client.instanceRole.id,
        policy: connect.json,
      });
    }
  }

  /**
   * The instances still running when `az` is lost, in the order Aurora would promote them.
   * Empty means the database is down until that AZ recovers.
   */
  public promotableAfterLosing(az: string): InstancePlacement[] {
    return promotableAfterLosing(this.instancePlacements, az);
  }

  /** Enhanced Monitoring publishes OS metrics through a role RDS's monitoring service assumes. */
  private createMonitoringRole(name: string): IamRole {
    const role = serviceRole(this, "MonitoringRole", {
      service: "monitoring.rds.amazonaws.com",
      namePrefix: "rds-monitoring-",
      description: `Enhanced Monitoring of Aurora cluster ${name}`,
    });
    new IamRolePolicyAttachment(this, "MonitoringPolicy", {
      role: role.name,
      policyArn: `arn:${partitionOf(this.region)}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    return role;
  }
}

/**
 * TLS always; then what each exported log needs to exist at all: the audit plugin for `audit`,
 * the slow query log for `slowquery`, the general log for `general`, written to files (which is
 * what RDS exports to CloudWatch Logs).
 */
function clusterParameters(logs: readonly AuroraMysqlLogType[]): RdsClusterParameterGroupParameter[] {
  const parameters: RdsClusterParameterGroupParameter[] = [{ name: "require_secure_transport", value: "ON" }];
  if (logs.includes("audit")) {
    parameters.push(
      { name: "server_audit_logging", value: "1" },
      { name: "server_audit_events", value: AUDIT_EVENTS },
      { name: "server_audit_excl_users", value: AUDIT_EXCLUDED_USERS },
    );
  }
  if (logs.includes("slowquery")) {
    parameters.push(
      { name: "slow_query_log", value: "1" },
      { name: "long_query_time", value: String(DEFAULT_LONG_QUERY_TIME_SECONDS) },
    );
  }
  if (logs.includes("general")) parameters.push({ name: "general_log", value: "1" });
  if (logs.includes("slowquery") || logs.includes("general")) parameters.push({ name: "log_output", value: "FILE" });
  return parameters;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** allowFrom's argument, checked at run time: JavaScript callers can pass anything. */
function checkDatabaseClient(client: DatabaseClient, scope: AuroraCluster): void {
  const fail = (message: string): never => {
    throw new ValidationError(`AuroraCluster: ${message}`, scope);
  };
  const fix = "pass the AppTier (or any object with a securityGroup and an instanceRole construct), e.g. database.allowFrom(app)";
  if (client === null || typeof client !== "object") fail(`allowFrom(${show(client)}) needs a database client; ${fix}`);
  // Constructs by their global marker rather than instanceof, which a second copy of the provider
  // package in node_modules would defeat.
  for (const key of ["securityGroup", "instanceRole"] as const) {
    const value: unknown = client[key];
    if (!Construct.isConstruct(value)) {
      fail(`allowFrom(client).${key} (${show(value)}) is ${describeType(value)}, not a construct; ${fix}`);
    }
  }
}
