/**
 * Serves the inventory app exactly as an instance gets it: the files are
 * taken out of the rendered user data (gz+b64 archive, unpacked with tar),
 * then served by PHP's built-in web server with the front controller as
 * router script. Only the config file differs: it points at the local stubs.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { execFileSync } from "child_process";
import { parse } from "yaml";
import { renderInventoryUserData, InventoryUserDataProps } from "../../../modules/inventory-app";
import { findProgram } from "./deps";
import { ManagedProcess } from "./procs";
import { LOOPBACK, freePort, waitFor } from "./net";

/** Props for rendering in tests: realistic, literal values. */
export const SAMPLE_PROPS: InventoryUserDataProps = {
  region: "eu-west-1",
  databaseEndpoint: "inventory.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com",
  databaseName: "inventory",
  masterUsername: "admin",
  secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-3f1c2b7a-9d8e-4c6b-a5f4-0e1d2c3b4a59-Ab12Cd",
};

export interface WriteFile {
  path: string;
  content: string;
  encoding?: string;
  permissions?: string;
}

export interface CloudConfig {
  packages: string[];
  write_files: WriteFile[];
  runcmd: (string | string[])[];
}

export function parseUserData(userData: string): CloudConfig {
  if (!userData.startsWith("#cloud-config\n")) throw new Error("user data does not start with #cloud-config");
  return parse(userData) as CloudConfig;
}

/** Writes the app files from rendered user data into `dir` (as the instance's runcmd would, with tar). */
export function extractApp(userData: string, dir: string): void {
  const archive = parseUserData(userData).write_files.find((f) => f.encoding === "gz+b64");
  if (!archive) throw new Error("user data has no gz+b64 app archive");
  const tarFile = path.join(dir, "app.tar");
  fs.writeFileSync(tarFile, zlib.gunzipSync(Buffer.from(archive.content, "base64")));
  execFileSync("tar", ["-x", "--no-same-owner", "-f", tarFile, "-C", dir]);
  fs.rmSync(tarFile);
}

export interface AppConfigFile {
  region: string;
  db_host: string;
  db_port: number | string;
  db_name: string;
  db_user: string;
  secret_arn: string;
  [key: string]: unknown;
}

export class PhpApp {
  /** Everything this app instance has on disk lives below it: web root, config, cache, temp dir, logs. */
  readonly dir: string;
  readonly appDir: string;
  readonly configFile: string;
  /** The app process's temporary directory (TMPDIR and PHP's sys_temp_dir), as /tmp is on an instance. */
  readonly tempDir: string;
  port = 0;
  url = "";
  private proc?: ManagedProcess;

  constructor(private readonly config: AppConfigFile) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "inv-php-"));
    this.appDir = path.join(this.dir, "app");
    this.configFile = path.join(this.dir, "config.json");
    this.tempDir = path.join(this.dir, "tmp");
  }

  /** Folders holding every file the app, its server or its installation wrote (scan these for leaks). */
  writtenDirs(): string[] {
    return [this.dir];
  }

  /**
   * Log files the web server and PHP write. None for PHP's built-in server: its error log (PHP's
   * error_log()) and access log are the process output, see {@link output}.
   */
  logFiles(): string[] {
    return [];
  }

  /** `workers` > 1 serves requests in parallel (PHP_CLI_SERVER_WORKERS), as php-fpm does. */
  async start(workers = 4): Promise<void> {
    fs.mkdirSync(this.appDir);
    fs.mkdirSync(this.tempDir);
    extractApp(renderInventoryUserData(SAMPLE_PROPS), this.appDir);
    fs.writeFileSync(this.configFile, JSON.stringify({ cache_dir: path.join(this.dir, "cache"), ...this.config }, null, 2));
    this.port = await freePort();
    this.url = `http://${LOOPBACK}:${this.port}`;
    const php = findProgram("php");
    if (!php) throw new Error("php not found");
    const env = { ...process.env, INVENTORY_APP_CONFIG: this.configFile, PHP_CLI_SERVER_WORKERS: String(workers), TMPDIR: this.tempDir };
    const publicDir = path.join(this.appDir, "public");
    this.proc = new ManagedProcess("php", php, ["-d", `sys_temp_dir=${this.tempDir}`, "-S", `${LOOPBACK}:${this.port}`, "-t", publicDir, path.join(publicDir, "index.php")], { env });
    await waitFor(
      "the PHP server to answer /health",
      async () => {
        if (!this.proc?.running) throw new Error(`php exited: ${this.output()}`);
        const r = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
        return r.status === 200;
      },
      15000,
    );
  }

  get pid(): number | undefined {
    return this.proc?.child.pid;
  }

  get running(): boolean {
    return this.proc?.running ?? false;
  }

  output(): string {
    return this.proc?.output() ?? "";
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
