/**
 * A real MariaDB server for the tests: its own temp datadir, socket and
 * loopback port, TLS with a CA and server certificate made by openssl, and a
 * real application user with a password (REQUIRE SSL, so the app must use TLS).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { findProgram } from "./programs";
import { ManagedProcess } from "./procs";
import { LOOPBACK, canConnect, freePort, waitFor } from "./net";

const run = promisify(execFile);
const START_TIMEOUT_MS = 30000;
const CERT_DAYS = "2";

export interface TlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

function program(name: string): string {
  const p = findProgram(name);
  if (!p) throw new Error(`${name} not found`);
  return p;
}

/** A CA and a server certificate for 127.0.0.1 (the name the app connects to), signed by it. */
export async function makeTls(dir: string, caName = "inventory-test-ca"): Promise<TlsFiles> {
  const openssl = program("openssl");
  const f = (n: string): string => path.join(dir, n);
  await run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca-key.pem"), "-out", f("ca.pem"), "-subj", `/CN=${caName}`, "-days", CERT_DAYS]);
  await run(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("server-key.pem"), "-out", f("server.csr"), "-subj", `/CN=${LOOPBACK}`]);
  fs.writeFileSync(f("ext.cnf"), `subjectAltName=IP:${LOOPBACK},DNS:localhost\n`);
  await run(openssl, ["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca-key.pem"), "-CAcreateserial", "-out", f("server.pem"), "-days", CERT_DAYS, "-extfile", f("ext.cnf")]);
  return { caFile: f("ca.pem"), certFile: f("server.pem"), keyFile: f("server-key.pem") };
}

export class MariaDb {
  readonly dir: string;
  readonly datadir: string;
  readonly socket: string;
  port = 0;
  tls!: TlsFiles;
  /** max_connections of the server (set before start); undefined: MariaDB's default (151). */
  maxConnections?: number;
  private proc?: ManagedProcess;
  /** Output of every server run, for failure messages. */
  private logs: string[] = [];

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "inv-mariadb-"));
    this.datadir = path.join(this.dir, "data");
    this.socket = path.join(this.dir, "mysqld.sock");
  }

  async init(): Promise<void> {
    this.port = await freePort();
    this.tls = await makeTls(this.dir);
    const args = ["--no-defaults", `--datadir=${this.datadir}`, "--skip-test-db", "--auth-root-authentication-method=socket"];
    if (process.getuid?.() === 0) args.push("--user=root");
    await run(program("mariadb-install-db"), args, { maxBuffer: 16 * 1024 * 1024 });
  }

  async start(): Promise<void> {
    const args = [
      "--no-defaults",
      `--datadir=${this.datadir}`,
      `--socket=${this.socket}`,
      `--pid-file=${path.join(this.dir, "mysqld.pid")}`,
      `--port=${this.port}`,
      `--bind-address=${LOOPBACK}`,
      "--skip-name-resolve",
      `--ssl-ca=${this.tls.caFile}`,
      `--ssl-cert=${this.tls.certFile}`,
      `--ssl-key=${this.tls.keyFile}`,
      "--innodb-buffer-pool-size=32M",
      "--innodb-flush-log-at-trx-commit=1", // every acknowledged commit is on disk: the failover test relies on it
      "--skip-log-bin",
      `--log-error=${path.join(this.dir, "error.log")}`,
      ...(this.maxConnections === undefined ? [] : [`--max-connections=${this.maxConnections}`]),
    ];
    if (process.getuid?.() === 0) args.push("--user=root");
    this.proc = new ManagedProcess("mariadbd", program("mariadbd"), args);
    await waitFor(
      "mariadbd to accept connections",
      async () => {
        if (!this.proc?.running) throw new Error(`mariadbd exited: ${this.errorLog()}`);
        return (await canConnect(this.port)) && fs.existsSync(this.socket);
      },
      START_TIMEOUT_MS,
    );
  }

  /** Stops the server process (SIGTERM: a clean shutdown, as during a planned failover). */
  async stop(): Promise<void> {
    if (this.proc) {
      await this.proc.stop();
      this.logs.push(this.proc.output());
      this.proc = undefined;
    }
  }

  get running(): boolean {
    return this.proc?.running ?? false;
  }

  errorLog(): string {
    try {
      return fs.readFileSync(path.join(this.dir, "error.log"), "utf8").slice(-4000);
    } catch {
      return this.logs.join("\n").slice(-4000);
    }
  }

  /** Runs SQL as root over the unix socket; returns tab-separated rows. */
  async sql(statement: string): Promise<string[][]> {
    const { stdout } = await run(program("mariadb"), ["--no-defaults", `--socket=${this.socket}`, "-uroot", "-N", "-B", "-e", statement], { maxBuffer: 16 * 1024 * 1024 });
    return stdout
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("\t"));
  }

  /** A real user with a password that may only connect over TLS from the loopback address. */
  async createAppUser(user: string, password: string, database: string): Promise<void> {
    await this.sql(`CREATE USER '${user}'@'${LOOPBACK}' IDENTIFIED BY '${password}' REQUIRE SSL; GRANT ALL ON \`${database}\`.* TO '${user}'@'${LOOPBACK}';`);
  }

  async setPassword(user: string, password: string): Promise<void> {
    await this.sql(`ALTER USER '${user}'@'${LOOPBACK}' IDENTIFIED BY '${password}';`);
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
