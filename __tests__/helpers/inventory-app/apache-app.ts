/**
 * Serves the inventory app as an instance does: Debian's Apache 2.4 (event MPM) and php-fpm 8.2,
 * configured from the very files the rendered user data writes — the Apache site, the php-fpm
 * pool and the php.ini drop-in — taken out of its cloud-init write_files, with only paths (and
 * the service account, and the listen address) mapped; the app itself is the user data's archive.
 *
 * Unprivileged: a high port on 127.0.0.1, ServerRoot, PidFile, sockets and logs in a temp dir, and
 * both servers stopped by PID. When the tests run as root (CI), Apache and php-fpm run as the
 * `www-data` account, as they run as `apache` on the instance.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import {
  DEFAULT_APP_DIRECTORY,
  DEFAULT_CONFIG_PATH,
  HTTPD_SITE_PATH,
  PHP_ERROR_LOG,
  PHP_FPM_POOL_PATH,
  PHP_FPM_SOCKET,
  PHP_INI_PATH,
  WEB_USER,
  renderInventoryUserData,
} from "../../../modules/inventory-app";
import { findProgram } from "./programs";
import { ManagedProcess } from "./procs";
import { LOOPBACK, freePort, waitFor } from "./net";
import { AppConfigFile, SAMPLE_PROPS, extractApp, parseUserData } from "./php-app";

/** Debian's names for the programs and the folder of Apache's modules. */
export const APACHE_PROGRAM = "apache2";
export const PHP_FPM_PROGRAM = "php-fpm8.2";
const APACHE_MODULES_DIR = "/usr/lib/apache2/modules";
/** What the site needs: the event MPM (Amazon Linux 2023's default), env, dir, authz and the FastCGI proxy. */
const APACHE_MODULES: readonly [string, string][] = [
  ["mpm_event_module", "mod_mpm_event.so"],
  ["authz_core_module", "mod_authz_core.so"],
  ["dir_module", "mod_dir.so"],
  ["env_module", "mod_env.so"],
  ["proxy_module", "mod_proxy.so"],
  ["proxy_fcgi_module", "mod_proxy_fcgi.so"],
];
/** The unprivileged account Debian's Apache runs as; used when the tests run as root. */
const UNPRIVILEGED_USER = "www-data";
const START_TIMEOUT_MS = 30000;

/** Where each server writes its log, so tests can read or scan them. */
export interface ServerLogFiles {
  /** Apache's error log (also FastCGI errors, e.g. a pool that does not answer). */
  readonly apacheError: string;
  /** Apache's access log, one line per request with its duration in microseconds. */
  readonly apacheAccess: string;
  /** php-fpm's own log (pool start and stop, worker crashes, slow or killed requests). */
  readonly phpFpm: string;
  /** The app's PHP error log (`error_log()` of every request): the pool's php_admin_value[error_log]. */
  readonly php: string;
}

interface Account {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Who the servers run as: ourselves, or www-data when we are root (Apache refuses to serve as root). */
function serverAccount(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${UNPRIVILEGED_USER}:`));
  if (!line) throw new Error(`running as root, but there is no ${UNPRIVILEGED_USER} account to run Apache and php-fpm as`);
  const [, , uid, gid] = line.split(":");
  return { name: UNPRIVILEGED_USER, uid: Number(uid), gid: Number(gid) };
}

/**
 * Lets the server account reach `file` when we are root: o+x on our temp folders above it (mkdtemp
 * makes them 0700) and o+r on the file. Only folders below the temp directory are touched.
 */
export function shareWithServers(file: string): void {
  if (process.getuid?.() !== 0) return;
  const tmp = fs.realpathSync(os.tmpdir());
  let p = fs.realpathSync(file);
  if (fs.statSync(p).isFile()) fs.chmodSync(p, fs.statSync(p).mode | 0o004);
  for (p = path.dirname(p); p.startsWith(tmp) && p.length >= tmp.length; p = path.dirname(p)) {
    fs.chmodSync(p, fs.statSync(p).mode | 0o001);
    if (p === tmp) break;
  }
}

/** Replaces each `from` with `to`; every `from` must occur, so a renamed path cannot slip through unmapped. */
export function mapContent(name: string, text: string, pairs: readonly [string | RegExp, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    const found = typeof from === "string" ? out.includes(from) : from.test(out);
    if (!found) throw new Error(`${name}: expected ${String(from)} in the file from the user data`);
    out = typeof from === "string" ? out.split(from).join(to) : out.replace(new RegExp(from.source, from.flags.includes("g") ? from.flags : from.flags + "g"), to);
  }
  return out;
}

/** The file the user data writes at `target`, as cloud-init would write it. */
export function userDataFile(userData: string, target: string): string {
  const f = parseUserData(userData).write_files.find((w) => w.path === target);
  if (!f) throw new Error(`the user data writes no ${target}`);
  return f.content;
}

export class ApacheApp {
  readonly dir: string;
  readonly appDir: string;
  readonly configFile: string;
  readonly logs: ServerLogFiles;
  /** php-fpm's temporary directory (TMPDIR and PHP's sys_temp_dir), as /tmp is on an instance. */
  readonly tempDir: string;
  /** The account the pool runs as (www-data when the tests run as root), which owns what PHP writes. */
  appUid: number = process.getuid?.() ?? 0;
  port = 0;
  url = "";
  /** The rendered user data the servers were configured from. */
  userData = "";
  private apache?: ManagedProcess;
  private fpm?: ManagedProcess;

  constructor(private readonly config: AppConfigFile) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "inv-apache-"));
    this.appDir = path.join(this.dir, "app");
    this.configFile = path.join(this.dir, "config.json");
    this.tempDir = path.join(this.dir, "tmp");
    const log = (n: string): string => path.join(this.dir, "log", n);
    this.logs = { apacheError: log("apache-error.log"), apacheAccess: log("apache-access.log"), phpFpm: log("php-fpm.log"), php: log(path.basename(PHP_ERROR_LOG)) };
  }

  /** `workers`: the pool size (pm.max_children), rendered into the user data like any prop. */
  async start(workers = 4): Promise<void> {
    const apache = findProgram(APACHE_PROGRAM);
    const fpm = findProgram(PHP_FPM_PROGRAM);
    if (!apache || !fpm) throw new Error(`${APACHE_PROGRAM} or ${PHP_FPM_PROGRAM} not found`);
    this.port = await freePort();
    this.url = `http://${LOOPBACK}:${this.port}`;
    this.userData = renderInventoryUserData({ ...SAMPLE_PROPS, appPort: this.port, maxChildren: workers });

    const d = (...p: string[]): string => path.join(this.dir, ...p);
    for (const sub of ["app", "run", "log", "conf", "php-fpm.d", "php.d", "tmp"]) fs.mkdirSync(d(sub));
    extractApp(this.userData, this.appDir);
    fs.writeFileSync(this.configFile, JSON.stringify({ cache_dir: d("cache"), ...this.config }, null, 2));

    const account = serverAccount();
    const user = account?.name ?? os.userInfo().username;
    const group = account?.name ?? execFileSync("id", ["-gn"], { encoding: "utf8" }).trim();
    const paths: [string, string][] = [
      [DEFAULT_APP_DIRECTORY, this.appDir],
      [path.dirname(PHP_FPM_SOCKET) + "/", d("run") + "/"],
      [path.dirname(PHP_ERROR_LOG) + "/", d("log") + "/"],
    ];
    // The three files, as the user data writes them, with paths, account and address mapped.
    const site = mapContent(HTTPD_SITE_PATH, userDataFile(this.userData, HTTPD_SITE_PATH), [
      ...paths.filter(([from]) => !from.startsWith("/var/log")),
      [DEFAULT_CONFIG_PATH, this.configFile],
      [`Listen ${this.port}\n`, `Listen ${LOOPBACK}:${this.port}\n`],
    ]);
    const pool = mapContent(PHP_FPM_POOL_PATH, userDataFile(this.userData, PHP_FPM_POOL_PATH), [
      ...paths.filter(([from]) => from !== DEFAULT_APP_DIRECTORY),
      [new RegExp(`^((?:listen\\.)?(?:user|owner)) = ${WEB_USER}$`, "m"), `$1 = ${user}`],
      [new RegExp(`^((?:listen\\.)?group) = ${WEB_USER}$`, "m"), `$1 = ${group}`],
    ]);
    fs.writeFileSync(d("conf", path.basename(HTTPD_SITE_PATH)), site);
    fs.writeFileSync(d("php-fpm.d", path.basename(PHP_FPM_POOL_PATH)), pool);
    fs.writeFileSync(d("php.d", path.basename(PHP_INI_PATH)), userDataFile(this.userData, PHP_INI_PATH));

    // The distribution's main files (httpd.conf, php-fpm.conf), reduced to what a temp dir needs.
    fs.writeFileSync(
      d("httpd.conf"),
      [
        `ServerRoot "${this.dir}"`,
        `ServerName ${LOOPBACK}`,
        `DefaultRuntimeDir ${d("run")}`,
        `PidFile ${d("run", "httpd.pid")}`,
        `ErrorLog ${this.logs.apacheError}`,
        "LogLevel warn",
        ...APACHE_MODULES.map(([name, file]) => `LoadModule ${name} ${APACHE_MODULES_DIR}/${file}`),
        'LogFormat "%h %t \\"%r\\" %>s %b %D" timed',
        `CustomLog ${this.logs.apacheAccess} timed`,
        `Include ${d("conf", "*.conf")}`,
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      d("php-fpm.conf"),
      ["[global]", `pid = ${d("run", "php-fpm.pid")}`, `error_log = ${this.logs.phpFpm}`, "daemonize = no", `include = ${d("php-fpm.d", "*.conf")}`, ""].join("\n"),
    );

    const spawnAs = account ? { uid: account.uid, gid: account.gid } : {};
    if (account) this.appUid = account.uid;
    if (account) {
      execFileSync("chown", ["-R", `${account.uid}:${account.gid}`, this.dir]);
      fs.chmodSync(this.dir, 0o755);
      shareWithServers(this.configFile);
      if (typeof this.config.db_ca_file === "string" && fs.existsSync(this.config.db_ca_file)) shareWithServers(this.config.db_ca_file);
    }
    // A leading ":" keeps the distribution's extension .ini files and adds the drop-in, as /etc/php.d does.
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", PHP_INI_SCAN_DIR: `:${d("php.d")}`, TMPDIR: this.tempDir };
    this.fpm = new ManagedProcess("php-fpm", fpm, ["--nodaemonize", "--fpm-config", d("php-fpm.conf"), "-d", `sys_temp_dir=${this.tempDir}`], { env, ...spawnAs });
    await waitFor(
      "php-fpm's socket",
      async () => {
        if (!this.fpm?.running) throw new Error(`php-fpm exited: ${this.output()}`);
        return fs.existsSync(d("run", path.basename(PHP_FPM_SOCKET)));
      },
      START_TIMEOUT_MS,
    );
    this.apache = new ManagedProcess("apache2", apache, ["-f", d("httpd.conf"), "-DFOREGROUND"], { env: { PATH: env.PATH }, ...spawnAs });
    await waitFor(
      "Apache to answer /health",
      async () => {
        if (!this.apache?.running) throw new Error(`apache2 exited: ${this.output()}`);
        const r = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
        return r.status === 200;
      },
      START_TIMEOUT_MS,
    );
  }

  /** Apache's parent process: unchanged as long as the server was not restarted. */
  get pid(): number | undefined {
    return this.apache?.child.pid;
  }

  get fpmPid(): number | undefined {
    return this.fpm?.child.pid;
  }

  get running(): boolean {
    return (this.apache?.running ?? false) && (this.fpm?.running ?? false);
  }

  /** Folders holding every file the app, its servers or its installation wrote (scan these for leaks). */
  writtenDirs(): string[] {
    return [this.dir];
  }

  /** The log files Apache, php-fpm and PHP write. */
  logFiles(): string[] {
    return Object.values(this.logs).filter((f) => fs.existsSync(f));
  }

  /** The app's PHP error log, then php-fpm's and Apache's logs and the servers' own output (tails). */
  output(): string {
    const tail = (f: string): string => {
      try {
        return fs.readFileSync(f, "utf8").slice(-8000);
      } catch {
        return "";
      }
    };
    return [tail(this.logs.php), tail(this.logs.phpFpm), tail(this.logs.apacheError), this.fpm?.output() ?? "", this.apache?.output() ?? ""].join("\n");
  }

  async stop(): Promise<void> {
    await this.apache?.stop();
    await this.fpm?.stop();
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
