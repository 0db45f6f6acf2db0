/**
 * The whole test system: a MariaDB server with a TLS-only app user, the
 * IMDS/Secrets Manager stub holding that user's password, and the app served
 * by Apache + php-fpm from the user data's files, configured (through its
 * config file only) to use both.
 */
import * as crypto from "crypto";
import { AwsStub } from "./aws-stub";
import { MariaDb } from "./mariadb";
import { LOOPBACK } from "./net";
import { ApacheApp } from "./apache-app";
import { AppConfigFile } from "./php-app";

/** Programs the integration suites need (chromium only for the browser suite). */
export const STACK_PROGRAMS = ["php", "php-fpm8.2", "apache2", "mariadbd", "mariadb-install-db", "mariadb", "openssl", "tar"];
export const STACK_PHP_EXTENSIONS = ["mysqli", "mysqlnd", "curl", "openssl", "json"];

export const REGION = "eu-west-1";
export const DB_NAME = "inventory";
export const DB_USER = "inventory_app";
export const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:123456789012:secret:rds!cluster-0d9c8b7a-6f5e-4d3c-2b1a-098765432100-XyZ123`;

/** A small php-fpm pool (pm.max_children). */
export const DEFAULT_WORKERS = 4;

export const newPassword = (): string => `Pw-${crypto.randomBytes(12).toString("base64url")}!`;

export class Stack {
  readonly db = new MariaDb();
  readonly aws: AwsStub;
  app!: ApacheApp;
  private readonly apps: ApacheApp[] = [];

  constructor(readonly initialPassword = newPassword()) {
    this.aws = new AwsStub({ region: REGION, secretArn: SECRET_ARN, username: DB_USER, password: initialPassword });
  }

  /** `workers`: parallel PHP processes of the first app instance. */
  async start(appConfig: Partial<AppConfigFile> = {}, workers = DEFAULT_WORKERS): Promise<void> {
    await this.db.init();
    await this.db.start();
    await this.db.createAppUser(DB_USER, this.initialPassword, DB_NAME);
    await this.aws.start();
    this.app = await this.startApp(appConfig, workers);
  }

  /** The config an instance would get from the user data, pointed at the local database and stubs. */
  appConfig(overrides: Partial<AppConfigFile> = {}): AppConfigFile {
    return {
      region: REGION,
      db_host: LOOPBACK,
      db_port: String(this.db.port), // as a resolved Terraform token would be: text
      db_name: DB_NAME,
      db_user: DB_USER,
      secret_arn: SECRET_ARN,
      db_tls: true,
      db_ca_file: this.db.tls.caFile,
      imds_endpoint: this.aws.url,
      secretsmanager_endpoint: this.aws.url,
      ...overrides,
    };
  }

  /** Another app instance (its own process and cache), e.g. to show a second instance shares the data. */
  async startApp(overrides: Partial<AppConfigFile> = {}, workers = DEFAULT_WORKERS): Promise<ApacheApp> {
    const app = new ApacheApp(this.appConfig(overrides));
    this.apps.push(app);
    await app.start(workers);
    return app;
  }

  /** Rows of the inventory table, straight from the server (not through the app). */
  async rows(): Promise<{ id: number; store: string; item: string; quantity: number }[]> {
    const exists = await this.db.sql(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='${DB_NAME}' AND table_name='inventory'`);
    if (exists[0][0] === "0") return [];
    // HEX keeps tabs, newlines and any bytes intact through the mariadb client's batch output.
    const rows = await this.db.sql(`SELECT id, HEX(store), HEX(item), quantity FROM \`${DB_NAME}\`.inventory ORDER BY id`);
    const text = (hex: string): string => Buffer.from(hex, "hex").toString("utf8");
    return rows.map(([id, store, item, quantity]) => ({ id: Number(id), store: text(store), item: text(item), quantity: Number(quantity) }));
  }

  /** Output of every app process, for failure messages. */
  logs(): string {
    return this.apps.map((a) => a.output().slice(-3000)).join("\n---\n") + "\n--- mariadb ---\n" + this.db.errorLog();
  }

  /** Stops everything that was started; safe to call after a partial start. */
  async destroy(): Promise<void> {
    const results = await Promise.allSettled([...this.apps.map((a) => a.destroy()), this.aws.stop(), this.db.destroy()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }
}
