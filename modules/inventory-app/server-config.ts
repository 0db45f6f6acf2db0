/**
 * The web server's files the user data writes: the Apache site, the php-fpm pool and the php.ini
 * drop-in. They are plain text (no token), and the tests run Debian's Apache 2.4 + php-fpm from
 * exactly these files, taken out of the rendered user data (paths mapped, content unchanged).
 */
import { ValidationError } from "../../lib/errors";

/** Where Amazon Linux 2023's httpd reads extra config (after conf.modules.d, so our limits win). */
export const HTTPD_SITE_PATH = "/etc/httpd/conf.d/inventory-app.conf";
/** Amazon Linux 2023's php-fpm includes every `/etc/php-fpm.d/*.conf`. */
export const PHP_FPM_POOL_PATH = "/etc/php-fpm.d/inventory-app.conf";
/** Scanned by PHP (CLI and php-fpm) on Amazon Linux 2023; `90-` sorts after the distribution's files. */
export const PHP_INI_PATH = "/etc/php.d/90-inventory-app.ini";
/** The pool's own socket: the site sends PHP there, not to the distribution's `www` pool. */
export const PHP_FPM_SOCKET = "/run/php-fpm/inventory-app.sock";
/** The app's PHP error log (error_log() of every request); php-fpm's own log stays /var/log/php-fpm/error.log. */
export const PHP_ERROR_LOG = "/var/log/php-fpm/inventory-app-error.log";
/** The account Apache and php-fpm run as on Amazon Linux 2023. */
export const WEB_USER = "apache";

/**
 * Largest form the app accepts. Names are at most 100 characters (400 bytes of UTF-8 each, then
 * percent-encoded): a few KB. Anything larger is refused by PHP before the app runs.
 */
export const POST_MAX_SIZE = "16K";

/** Bounds of `maxChildren`: every worker may hold one database connection. */
export const MAX_CHILDREN_MIN = 1;
export const MAX_CHILDREN_MAX = 500;
/**
 * php-fpm workers per instance size when `maxChildren` is not given. The app is I/O bound (it
 * waits on the database), so the limit is memory: about 40 MiB per worker within half the
 * instance's memory, leaving the rest to Apache, the OS and the page cache.
 */
export const MAX_CHILDREN_BY_SIZE: Readonly<Record<string, number>> = {
  nano: 4,
  micro: 8,
  small: 12,
  medium: 16,
  large: 24,
  xlarge: 32,
};
/** 2xlarge and up (and metal): the database budget, not the instance, is the limit there. */
export const MAX_CHILDREN_LARGEST = 48;
/** Apache's event MPM default; a smaller pool gets one process of that many threads. */
const APACHE_THREADS_PER_CHILD = 25;
/** Apache threads per php-fpm worker: the rest wait in Apache (cheap threads), not in php-fpm's backlog. */
const APACHE_THREADS_PER_PHP_WORKER = 2;
/** A worker is recycled after this many requests, so a slow leak cannot grow without bound. */
const PM_MAX_REQUESTS = 1000;
/** Backstop for a stuck request; the app's own database timeouts end every request well before. */
const REQUEST_TERMINATE_TIMEOUT = "60s";

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.([a-z0-9]+)$/;

/** Default `pm.max_children` for an EC2 instance type, e.g. 8 for "t3.micro". */
export function defaultMaxChildren(instanceType: string): number {
  const m = typeof instanceType === "string" ? INSTANCE_TYPE.exec(instanceType) : null;
  if (!m) {
    throw new ValidationError(
      `InventoryUserDataProps.instanceType: ${JSON.stringify(instanceType)} is not an EC2 instance type. ` +
        'Pass the app tier\'s instance type, e.g. "t3.micro", or set maxChildren explicitly.',
    );
  }
  return MAX_CHILDREN_BY_SIZE[m[1]] ?? MAX_CHILDREN_LARGEST;
}

/** Apache's matching limits for a pool of `maxChildren` workers (event MPM). */
export function apacheLimits(maxChildren: number): { threadsPerChild: number; serverLimit: number; maxRequestWorkers: number } {
  const wanted = maxChildren * APACHE_THREADS_PER_PHP_WORKER;
  const threadsPerChild = Math.min(APACHE_THREADS_PER_CHILD, wanted);
  const processes = Math.ceil(wanted / threadsPerChild);
  // One spare process slot so a graceful restart can start a new process while an old one drains.
  return { threadsPerChild, serverLimit: processes + 1, maxRequestWorkers: processes * threadsPerChild };
}

export interface ServerConfigOptions {
  readonly appDirectory: string;
  readonly appPort: number;
  readonly configPath: string;
  readonly maxChildren: number;
  /** The default port needs no Listen line: the distribution's httpd.conf has `Listen 80`. */
  readonly defaultPort: number;
}

/** The Apache site: the vhost, every path to the front controller, PHP to our pool, limits matching the pool. */
export function httpdSite(o: ServerConfigOptions): string {
  const docRoot = `${o.appDirectory}/public`;
  const limits = apacheLimits(o.maxChildren);
  return [
    // Every byte counts against EC2's 16 KB user data limit, and these files are not compressed: few comments.
    ...(o.appPort === o.defaultPort ? [] : [`Listen ${o.appPort}`]),
    `# Sized for the php-fpm pool (${o.maxChildren})`,
    "<IfModule mpm_event_module>",
    `  ThreadsPerChild ${limits.threadsPerChild}`,
    `  ServerLimit ${limits.serverLimit}`,
    `  MaxRequestWorkers ${limits.maxRequestWorkers}`,
    "</IfModule>",
    `<VirtualHost *:${o.appPort}>`,
    `  DocumentRoot ${docRoot}`,
    // php-fpm gets this as a FastCGI parameter; its own environment is cleared.
    `  SetEnv INVENTORY_APP_CONFIG ${o.configPath}`,
    // Inside the vhost, so it wins over the distribution's php.conf (which targets the www pool).
    '  <FilesMatch "\\.php$">',
    `    SetHandler "proxy:unix:${PHP_FPM_SOCKET}|fcgi://inventory-app"`,
    "  </FilesMatch>",
    `  <Directory ${docRoot}>`,
    "    AllowOverride None",
    "    Require all granted",
    "    DirectoryIndex index.php",
    // every path, /health included, goes to the front controller
    "    FallbackResource /index.php",
    "  </Directory>",
    "</VirtualHost>",
    "",
  ].join("\n");
}

/** The php-fpm pool: a fixed number of workers, so the database connections per instance are bounded. */
export function phpFpmPool(maxChildren: number): string {
  return [
    "[inventory-app]",
    `user = ${WEB_USER}`,
    `group = ${WEB_USER}`,
    `listen = ${PHP_FPM_SOCKET}`,
    `listen.owner = ${WEB_USER}`,
    `listen.group = ${WEB_USER}`,
    "listen.mode = 0660",
    // static: every worker exists from boot, so a spike finds them ready; the count is the budget.
    "pm = static",
    `pm.max_children = ${maxChildren}`,
    `pm.max_requests = ${PM_MAX_REQUESTS}`,
    `request_terminate_timeout = ${REQUEST_TERMINATE_TIMEOUT}`,
    `php_admin_value[error_log] = ${PHP_ERROR_LOG}`,
    "php_admin_flag[log_errors] = on",
    "",
  ].join("\n");
}

/** php.ini settings for the app (PHP reads them for php-fpm and the CLI). */
export function phpIni(): string {
  return [
    "expose_php = Off",
    "display_errors = Off",
    "log_errors = On",
    "file_uploads = Off",
    `post_max_size = ${POST_MAX_SIZE}`,
    "max_input_vars = 100",
    "memory_limit = 64M",
    "",
  ].join("\n");
}
