/**
 * cloud-init user data for the inventory web app on Amazon Linux 2023:
 * installs Apache + PHP, writes the app and its config (no secret: the app
 * reads the database password from Secrets Manager at run time), and starts
 * the web server. See README.md beside this file.
 */
import * as zlib from "zlib";
import { IConstruct } from "constructs";
import { Token } from "cdktf";
import { Document, isSeq } from "yaml";
import { ValidationError, show } from "../../lib/errors";
import { HaStack } from "../../lib/ha-stack";
import { GatewayEndpointService, InterfaceEndpointService } from "../ha-vpc/endpoints";
import { readAppFiles, tarFiles } from "./bundle";
import {
  PORT_MAX,
  PORT_MIN,
  SECRET_CACHE_TTL_MAX_SECONDS,
  checkBoolean,
  checkDatabaseName,
  checkEndpoint,
  checkInteger,
  checkKnownProps,
  checkPath,
  checkPort,
  checkRegion,
  checkSecretArn,
  checkUrl,
  checkUserName,
  isToken,
} from "./validate";
import { ConnectionPoolSizing, registerConnectionPool } from "../../lib/connection-budget";
import { partitionOf } from "../../lib/iam";
import {
  HTTPD_SITE_PATH,
  MAX_CHILDREN_MAX,
  MAX_CHILDREN_MIN,
  PHP_FPM_POOL_PATH,
  PHP_INI_PATH,
  defaultMaxChildren,
  httpdSite,
  phpFpmPool,
  phpIni,
} from "./server-config";

export {
  HTTPD_SITE_PATH,
  MAX_CHILDREN_BY_SIZE,
  MAX_CHILDREN_LARGEST,
  MAX_CHILDREN_MAX,
  MAX_CHILDREN_MIN,
  PHP_ERROR_LOG,
  PHP_FPM_POOL_PATH,
  PHP_FPM_SOCKET,
  PHP_INI_PATH,
  POST_MAX_SIZE,
  WEB_USER,
  defaultMaxChildren,
} from "./server-config";

/** EC2 refuses user data above 16 KB (counted before base64 encoding). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/** Amazon Linux 2023 packages: Apache, PHP (run by php-fpm) and the MySQL driver behind mysqli. */
export const INVENTORY_PACKAGES: readonly string[] = ["httpd", "php", "php-fpm", "php-mysqlnd"];

/** Aurora MySQL's default port. */
export const DEFAULT_DATABASE_PORT = 3306;
export const DEFAULT_INVENTORY_APP_PORT = 80;
export const DEFAULT_APP_DIRECTORY = "/var/www/inventory-app";
export const DEFAULT_CONFIG_PATH = "/etc/inventory-app/config.json";
export const DEFAULT_CA_BUNDLE_PATH = "/etc/inventory-app/rds-ca-bundle.pem";
/** AWS's bundle of every RDS certificate authority of the commercial partition; the instance downloads it at boot. */
export const DEFAULT_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";

/**
 * The RDS CA bundle for the region's partition: the commercial global bundle, or in AWS GovCloud
 * (US) the region's own bundle (its CAs are not in the commercial one). Other partitions (China,
 * ISO) have no default here: the caller passes `databaseCaBundleUrl`. A token region (unknown at
 * synth) gets the commercial bundle.
 * Source: "Certificate bundles by AWS Region",
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
 */
export function defaultCaBundleUrl(region: string): string | undefined {
  if (isToken(region)) return DEFAULT_CA_BUNDLE_URL;
  switch (partitionOf(region)) {
    case "aws":
      return DEFAULT_CA_BUNDLE_URL;
    case "aws-us-gov":
      return `https://truststore.pki.${region}.rds.amazonaws.com/${region}/${region}-bundle.pem`;
    default:
      return undefined;
  }
}
/** Short enough that a rotated password is picked up soon even without an auth failure. */
export const DEFAULT_SECRET_CACHE_TTL_SECONDS = 300;
export const DEFAULT_IMDS_ENDPOINT = "http://169.254.169.254";

/** Health check path for the ALB target group: 200 "ok" without touching the database. */
export const HEALTH_CHECK_PATH = "/health";
/** Deeper readiness page for people: checks the secret, the database connection, TLS and the schema. */
export const READINESS_PATH = "/ready";

/**
 * Worst-case length of a resolved Terraform token, per prop, used to check
 * the 16 KB limit before the real values are known. Longest DNS name for
 * the endpoint, MySQL's limits for names, a generous secret ARN.
 */
export const RESOLVED_TOKEN_MAX_BYTES: Readonly<Record<TokenProp, number>> = {
  region: 32,
  databaseEndpoint: 253,
  databasePort: 5,
  databaseName: 64,
  masterUsername: 32,
  secretArn: 600,
};
type TokenProp = "region" | "databaseEndpoint" | "databasePort" | "databaseName" | "masterUsername" | "secretArn";

/** cdktf's encoding of a string token. */
const TOKEN_PATTERN = /\$\{TfToken\[[^\]]+\]\}/g;
/** Temporary home of the app archive; cloud-init unpacks gz+b64 into it, tar extracts it. */
const ARCHIVE_PATH = "/var/lib/inventory-app/app.tar";
const GZIP_LEVEL = 9;
/** The CA download runs once at boot, when the network may still be settling. */
const CA_DOWNLOAD_RETRIES = 5;
const WORLD_READABLE = "0644";
const OWNER_ONLY = "0600";
/** The app tier's default instance type (AppTier's DEFAULT_INSTANCE_TYPE), which sizes the default pool. */
export const DEFAULT_APP_INSTANCE_TYPE = "t3.micro";

export interface InventoryUserDataProps {
  /** AWS region of the Aurora cluster and its secret, e.g. "eu-west-1". A cdktf token is allowed. */
  readonly region: string;
  /** Host name of the cluster's writer endpoint (no scheme, no port), e.g. `rdsCluster.endpoint`. A token is allowed. */
  readonly databaseEndpoint: string;
  /**
   * Database port. A number, a numeric string, or a (number or string) token such as `rdsCluster.port`.
   * @default 3306
   */
  readonly databasePort?: number | string;
  /** Database (schema) name the app uses; created if missing. A token is allowed. */
  readonly databaseName: string;
  /** Master user name; the app prefers the user name stored in the secret, this is the fallback. A token is allowed. */
  readonly masterUsername: string;
  /**
   * ARN of the RDS-managed master secret (SecretString `{"username","password"}`),
   * e.g. `rdsCluster.masterUserSecret.get(0).secretArn`. A token is allowed.
   * The instance role needs `secretsmanager:GetSecretValue` on it (and `kms:Decrypt` if it uses a customer key).
   */
  readonly secretArn: string;
  /**
   * Port Apache serves the app on (the ALB target group's port). Literal only.
   * @default 80
   */
  readonly appPort?: number;
  /**
   * Where the app is installed; Apache's document root is its `public` folder. Literal only.
   * @default "/var/www/inventory-app"
   */
  readonly appDirectory?: string;
  /**
   * Where the app's config file is written; passed to the app as INVENTORY_APP_CONFIG. Literal only.
   * @default "/etc/inventory-app/config.json"
   */
  readonly configPath?: string;
  /**
   * Require TLS to the database and verify its certificate against `databaseCaBundlePath`.
   * Turn off only for a database that cannot do TLS; credentials then cross the network in the clear.
   * @default true
   */
  readonly requireDatabaseTls?: boolean;
  /**
   * CA bundle the database certificate is verified against. Literal only.
   * @default "/etc/inventory-app/rds-ca-bundle.pem"
   */
  readonly databaseCaBundlePath?: string;
  /**
   * https URL the CA bundle is downloaded from at boot (needs outbound HTTPS, e.g. a NAT gateway);
   * `null` when the image already has the bundle at `databaseCaBundlePath`. Literal only.
   * @default "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
   */
  readonly databaseCaBundleUrl?: string | null;
  /**
   * How long the app caches the secret. After a rotation the app also refetches at once on an authentication failure.
   * @default 300
   */
  readonly secretCacheTtlSeconds?: number;
  /**
   * Secrets Manager endpoint, e.g. a VPC interface endpoint's URL. Literal only.
   * @default the app uses "https://secretsmanager.<region>.amazonaws.com" (".com.cn" in China regions)
   */
  readonly secretsManagerEndpoint?: string;
  /**
   * Instance metadata service base URL (IMDSv2). Literal only.
   * @default "http://169.254.169.254"
   */
  readonly imdsEndpoint?: string;
  /**
   * EC2 instance type of the app tier; sizes the default php-fpm pool (`maxChildren`). Pass the
   * same value as `AppTier`'s `instanceType` (AppTier refuses a mismatch when the pool was sized from it).
   * @default "t3.micro" (AppTier's default)
   */
  readonly instanceType?: string;
  /**
   * php-fpm workers per instance (`pm.max_children`; Apache's limits follow). Each worker may hold
   * one database connection, so `AppTier`'s maxCapacity × maxChildren (plus headroom for
   * administration) must fit the writer's `max_connections`; AppTier checks this at synth when
   * the user data came from {@link inventoryUserDataFor}.
   * @default - from the instance type: 8 for a micro, 16 for a medium, 24 for a large (MAX_CHILDREN_BY_SIZE)
   */
  readonly maxChildren?: number;
}

const KNOWN_PROPS: readonly (keyof InventoryUserDataProps)[] = [
  "region",
  "databaseEndpoint",
  "databasePort",
  "databaseName",
  "masterUsername",
  "secretArn",
  "appPort",
  "appDirectory",
  "configPath",
  "requireDatabaseTls",
  "databaseCaBundlePath",
  "databaseCaBundleUrl",
  "secretCacheTtlSeconds",
  "secretsManagerEndpoint",
  "imdsEndpoint",
  "instanceType",
  "maxChildren",
];

/** The app's config file (keys as the PHP app reads them). Plain JSON text: it may hold tokens, so it is never compressed. */
export interface InventoryAppConfig {
  readonly region: string;
  readonly db_host: string;
  readonly db_port: string;
  readonly db_name: string;
  readonly db_user: string;
  readonly secret_arn: string;
  readonly db_tls: boolean;
  readonly db_ca_file: string;
  readonly imds_endpoint: string;
  readonly secret_cache_ttl_seconds: number;
  readonly secretsmanager_endpoint?: string;
}

/** Validates the props (throwing an Error that names field, value and fix) and builds the app's config. */
export function inventoryAppConfig(props: InventoryUserDataProps): InventoryAppConfig {
  if (props === null || typeof props !== "object") throw new Error("InventoryUserDataProps: props must be an object");
  checkKnownProps(props, KNOWN_PROPS);
  const endpoint = props.secretsManagerEndpoint;
  return {
    region: checkRegion(props.region),
    db_host: checkEndpoint(props.databaseEndpoint),
    db_port: checkPort("databasePort", props.databasePort ?? DEFAULT_DATABASE_PORT, true),
    db_name: checkDatabaseName(props.databaseName),
    db_user: checkUserName(props.masterUsername),
    secret_arn: checkSecretArn(props.secretArn),
    db_tls: checkBoolean("requireDatabaseTls", props.requireDatabaseTls ?? true),
    db_ca_file: checkPath("databaseCaBundlePath", props.databaseCaBundlePath ?? DEFAULT_CA_BUNDLE_PATH),
    imds_endpoint: checkUrl("imdsEndpoint", props.imdsEndpoint ?? DEFAULT_IMDS_ENDPOINT, false),
    secret_cache_ttl_seconds: checkInteger("secretCacheTtlSeconds", props.secretCacheTtlSeconds ?? DEFAULT_SECRET_CACHE_TTL_SECONDS, 0, SECRET_CACHE_TTL_MAX_SECONDS),
    ...(endpoint === undefined ? {} : { secretsmanager_endpoint: checkUrl("secretsManagerEndpoint", endpoint, true) }),
  };
}

/**
 * The packed app, base64 of gzip of tar. The files ship with the package and do not change while
 * a process runs, so every stack of an app (a platform team may synth dozens) shares one archive.
 */
let cachedArchive: string | undefined;
function appArchive(): string {
  cachedArchive ??= zlib.gzipSync(tarFiles(readAppFiles()), { level: GZIP_LEVEL }).toString("base64");
  return cachedArchive;
}

/**
 * What the app needs to know of its network, as `HaVpc` exposes it: whether it has NAT, and which
 * AWS services it reaches through endpoints.
 */
export interface InventoryNetwork {
  /** `NatGatewayMode`; `"NONE"` means no internet egress. */
  readonly natGatewayMode: string;
  readonly interfaceEndpointServices: readonly string[];
  readonly gatewayEndpointServices: readonly string[];
}

/** What the app needs from its database, as `AuroraCluster` exposes it (wire by object). */
export interface InventoryDatabase {
  readonly clusterEndpoint: string;
  readonly port: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly secretArn: string;
  /**
   * The network the database (and so the app) lives in; when given, the app's needs are checked
   * against it at synth.
   * @default - unchecked
   */
  readonly vpc?: InventoryNetwork;
  /** Construct path, named in the connection-budget error (an `AuroraCluster` has it). */
  readonly node?: { readonly path: string };
  /** Instance class of the writer, e.g. "db.t4g.medium" (`AuroraCluster` has it). */
  readonly instanceClass?: string;
  /** The writer's `max_connections`, when known (`AuroraCluster.maxConnections`). */
  readonly maxConnections?: number;
}

/**
 * The props of {@link renderInventoryUserData} that do not come from the database; `region` is
 * optional here because it comes from the `HaStack` the database is in.
 */
export type InventoryAppOptions = Omit<
  InventoryUserDataProps,
  "region" | "databaseEndpoint" | "databasePort" | "databaseName" | "masterUsername" | "secretArn"
> & {
  /**
   * AWS region of the cluster and its secret.
   * @default - the region of the `HaStack` that `database` is in
   */
  readonly region?: string;
};

/**
 * User data for app instances that use `database` (an `AuroraCluster`): its writer endpoint, port,
 * database name, master user name and master secret ARN, as Terraform references, and the region
 * of its `HaStack`. Give the result to `AppTier`'s `userData`, and call `database.allowFrom(appTier)`
 * so the instances may reach the database and read the secret.
 */
export function inventoryUserDataFor(database: InventoryDatabase, options: InventoryAppOptions = {}): string {
  if (database.vpc) checkNetworkReach(database.vpc, options);
  const userData = renderInventoryUserData({
    ...options,
    region: regionFor(database, options.region),
    databaseEndpoint: database.clusterEndpoint,
    databasePort: database.port,
    databaseName: database.databaseName,
    masterUsername: database.masterUsername,
    secretArn: database.secretArn,
  });
  // AppTier finds this by its user data and checks the pool against the database's connection budget.
  const pool: ConnectionPoolSizing = {
    perInstance: poolSize(options),
    sizedForInstanceType: options.maxChildren === undefined ? (options.instanceType ?? DEFAULT_APP_INSTANCE_TYPE) : undefined,
    defaultFor: defaultMaxChildren,
    database: {
      path: database.node?.path ?? "the database",
      instanceClass: database.instanceClass,
      maxConnections: database.maxConnections,
    },
  };
  // A database that says nothing of its size (a plain object with the endpoint only) cannot be budgeted here.
  if (database.instanceClass !== undefined || database.maxConnections !== undefined) registerConnectionPool(userData, pool);
  return userData;
}

/** No bundle URL is known for the region's partition: refuse rather than download one that cannot verify the database. */
function noCaDefault(config: InventoryAppConfig): never {
  throw new ValidationError(
    `InventoryUserDataProps.databaseCaBundleUrl: undefined has no default for region ${JSON.stringify(config.region)} ` +
      `(partition ${partitionOf(config.region)}). Pass the RDS certificate bundle URL of that partition from AWS's documentation, ` +
      "or null with the bundle already at databaseCaBundlePath on the image.",
  );
}

/** php-fpm's pm.max_children for the props: the explicit value, or the instance type's default. */
function poolSize(props: Pick<InventoryUserDataProps, "maxChildren" | "instanceType">): number {
  if (props.maxChildren !== undefined) return checkInteger("maxChildren", props.maxChildren, MAX_CHILDREN_MIN, MAX_CHILDREN_MAX);
  return defaultMaxChildren(props.instanceType ?? DEFAULT_APP_INSTANCE_TYPE);
}

/** `options.region`, or the region of the HaStack the database is in; they must agree when both are known. */
function regionFor(database: InventoryDatabase, given: string | undefined): string {
  const construct = (database as Partial<IConstruct>).node ? (database as unknown as IConstruct) : undefined;
  const stackRegion = construct ? HaStack.find(construct)?.region : undefined;
  if (given === undefined) {
    if (stackRegion === undefined) {
      throw new ValidationError(
        "inventoryUserDataFor: options.region (undefined) cannot default: the database is not in an HaStack; pass options.region, e.g. { region: \"eu-west-1\" }",
      );
    }
    return stackRegion;
  }
  if (stackRegion !== undefined && typeof given === "string" && !Token.isUnresolved(given) && given !== stackRegion) {
    throw new ValidationError(
      `inventoryUserDataFor: options.region (${show(given)}) differs from the region of the database's HaStack (${show(stackRegion)}); omit options.region, or pass ${show(stackRegion)}`,
    );
  }
  return given;
}

/**
 * Without NAT (`NatGatewayMode.NONE`) the instances reach only what the VPC's endpoints give them.
 * The app needs Secrets Manager at run time (its database password), and at boot the Amazon Linux
 * packages (on S3) and, with TLS, the RDS CA bundle (on the internet). Each missing path would be
 * a boot or login failure on the instance; here it is a synth error naming the missing endpoint.
 * HaVpc knows the NAT mode and endpoints, this helper knows what the app needs, so the check lives
 * where both meet.
 */
function checkNetworkReach(network: InventoryNetwork, options: InventoryAppOptions): void {
  if (network.natGatewayMode !== "NONE") return;
  const scope = "node" in network ? (network as unknown as IConstruct) : undefined;
  const noNat = "the network has no NAT gateway (natGateways: NatGatewayMode.NONE)";
  if (options.secretsManagerEndpoint === undefined && !network.interfaceEndpointServices.includes(SECRETS_MANAGER_SERVICE)) {
    throw new ValidationError(
      `inventory-app: ${noNat} and its interfaceEndpoints (${show(network.interfaceEndpointServices)}) lack ` +
        `"${SECRETS_MANAGER_SERVICE}", so the app could not read its database password from Secrets Manager. ` +
        "Add InterfaceEndpointService.SECRETS_MANAGER to the HaVpc's interfaceEndpoints, or give it NAT gateways",
      scope,
    );
  }
  if (!network.gatewayEndpointServices.includes(S3_SERVICE)) {
    throw new ValidationError(
      `inventory-app: ${noNat} and its gatewayEndpoints (${show(network.gatewayEndpointServices)}) lack "${S3_SERVICE}", ` +
        "so the instances could not install packages from the Amazon Linux repositories (hosted on S3). " +
        "Keep the HaVpc's default gatewayEndpoints ([GatewayEndpointService.S3])",
      scope,
    );
  }
  if ((options.requireDatabaseTls ?? true) && options.databaseCaBundleUrl !== null) {
    throw new ValidationError(
      `inventory-app: databaseCaBundleUrl (${show(options.databaseCaBundleUrl ?? DEFAULT_CA_BUNDLE_URL)}) is downloaded ` +
        `from the internet at boot, and ${noNat}. Bake the RDS CA bundle into the image at databaseCaBundlePath ` +
        "and set databaseCaBundleUrl: null, or give the network NAT gateways",
      scope,
    );
  }
}

const SECRETS_MANAGER_SERVICE = InterfaceEndpointService.SECRETS_MANAGER;
const S3_SERVICE = GatewayEndpointService.S3;

/**
 * Renders `#cloud-config` user data for the inventory app. `AppTier` takes it as `userData` and
 * encodes it; for your own launch template use `encodeUserData` from `cdktf-aws-ha/app-tier`
 * (`Fn.base64encode` refuses the JSON's double quotes in cdktf 0.21).
 * Throws if a prop is invalid or the data could exceed {@link USER_DATA_LIMIT_BYTES}
 * once Terraform resolves its tokens.
 */
export function renderInventoryUserData(props: InventoryUserDataProps): string {
  const config = inventoryAppConfig(props);
  const appPort = checkInteger("appPort", props.appPort ?? DEFAULT_INVENTORY_APP_PORT, PORT_MIN, PORT_MAX);
  const appDirectory = checkPath("appDirectory", props.appDirectory ?? DEFAULT_APP_DIRECTORY);
  const configPath = checkPath("configPath", props.configPath ?? DEFAULT_CONFIG_PATH);
  const maxChildren = poolSize(props);
  const givenCaUrl = props.databaseCaBundleUrl;
  const caUrl =
    givenCaUrl === null ? null
    : givenCaUrl !== undefined ? checkUrl("databaseCaBundleUrl", givenCaUrl, true)
    : config.db_tls ? (defaultCaBundleUrl(config.region) ?? noCaDefault(config))
    : null;

  // Only the static app is compressed: it holds no token, so compressing it now cannot hide one from Terraform.
  const archive = appArchive();
  const runcmd: (string | string[])[] = [
    ["mkdir", "-p", appDirectory],
    ["tar", "-x", "--no-same-owner", "-f", ARCHIVE_PATH, "-C", appDirectory],
    ["rm", "-f", ARCHIVE_PATH],
  ];
  if (config.db_tls && caUrl !== null) {
    runcmd.push(["curl", "-fsS", "--retry", String(CA_DOWNLOAD_RETRIES), "--retry-connrefused", "-o", config.db_ca_file, caUrl]);
  }
  // In enforcing mode SELinux would stop Apache's PHP from calling the database and Secrets Manager.
  runcmd.push("if command -v setsebool >/dev/null && selinuxenabled; then setsebool -P httpd_can_network_connect on; fi");
  runcmd.push(["systemctl", "enable", "--now", "php-fpm", "httpd"]);

  const cloudConfig = {
    packages: [...INVENTORY_PACKAGES],
    write_files: [
      // Plain text because it may hold Terraform tokens; no secret in it, so world-readable is fine.
      { path: configPath, permissions: WORLD_READABLE, content: JSON.stringify(config, null, 2) + "\n" },
      { path: HTTPD_SITE_PATH, permissions: WORLD_READABLE, content: httpdSite({ appDirectory, appPort, configPath, maxChildren, defaultPort: DEFAULT_INVENTORY_APP_PORT }) },
      { path: PHP_FPM_POOL_PATH, permissions: WORLD_READABLE, content: phpFpmPool(maxChildren) },
      { path: PHP_INI_PATH, permissions: WORLD_READABLE, content: phpIni() },
      { path: ARCHIVE_PATH, permissions: OWNER_ONLY, encoding: "gz+b64", content: archive },
    ],
    runcmd,
  };
  const doc = new Document(cloudConfig);
  // Short lists on one line ("- [systemctl, enable, ...]"): easier to read, and every byte counts against the limit.
  for (const key of ["packages", "runcmd"]) {
    const node = doc.get(key, true);
    if (isSeq(node)) {
      if (key === "packages") node.flow = true;
      else for (const item of node.items) if (isSeq(item)) item.flow = true;
    }
  }
  // lineWidth 0: never fold lines, so a token is never split.
  const userData = "#cloud-config\n" + doc.toString({ lineWidth: 0 });

  // Terraform would read any other "${" or "%{" as its own template syntax.
  if (/[$%]\{/.test(userData.replace(TOKEN_PATTERN, ""))) {
    throw new Error("inventory-app: rendered user data contains Terraform template syntax outside tokens; this is a bug in the renderer");
  }
  const worstCase = worstCaseByteSize(userData, config);
  if (worstCase > USER_DATA_LIMIT_BYTES) {
    throw new Error(
      `inventory-app: user data may reach ${worstCase} bytes once Terraform resolves its tokens, over EC2's limit of ${USER_DATA_LIMIT_BYTES}; ` +
        "shorten the app in workload/inventory-app or pass literal values instead of tokens where you can",
    );
  }
  return userData;
}

/** Size in bytes of rendered user data, as EC2 counts it (UTF-8, before base64). Tokens count as their placeholder text. */
export function userDataByteSize(userData: string): number {
  return Buffer.byteLength(userData, "utf8");
}

/** Size report for rendered user data; see {@link estimateInventoryUserDataSize}. */
export interface InventoryUserDataSize {
  /** Bytes as rendered, tokens counted as their placeholder text. */
  readonly bytes: number;
  /** Upper bound once Terraform resolves the tokens (each at its prop's longest value, {@link RESOLVED_TOKEN_MAX_BYTES}). */
  readonly worstCaseBytes: number;
  /** {@link USER_DATA_LIMIT_BYTES} */
  readonly limitBytes: number;
}

/** Renders the user data for `props` and reports its size (throws like {@link renderInventoryUserData}). */
export function estimateInventoryUserDataSize(props: InventoryUserDataProps): InventoryUserDataSize {
  const userData = renderInventoryUserData(props);
  const config = inventoryAppConfig(props);
  return {
    bytes: userDataByteSize(userData),
    worstCaseBytes: worstCaseByteSize(userData, config),
    limitBytes: USER_DATA_LIMIT_BYTES,
  };
}

/** Counts every token found in each value at that value's maximum resolved length. */
function worstCaseByteSize(userData: string, config: InventoryAppConfig): number {
  const values: [string, number][] = [
    [config.region, RESOLVED_TOKEN_MAX_BYTES.region],
    [config.db_host, RESOLVED_TOKEN_MAX_BYTES.databaseEndpoint],
    [config.db_port, RESOLVED_TOKEN_MAX_BYTES.databasePort],
    [config.db_name, RESOLVED_TOKEN_MAX_BYTES.databaseName],
    [config.db_user, RESOLVED_TOKEN_MAX_BYTES.masterUsername],
    [config.secret_arn, RESOLVED_TOKEN_MAX_BYTES.secretArn],
  ];
  let size = userDataByteSize(userData);
  const seen = new Set<string>();
  for (const [value, max] of values) {
    for (const token of value.match(TOKEN_PATTERN) ?? []) {
      if (seen.has(token)) continue; // a token used by two props: its occurrences are counted once
      seen.add(token);
      const occurrences = userData.split(token).length - 1;
      size += occurrences * (max - Buffer.byteLength(token));
    }
  }
  return size;
}
