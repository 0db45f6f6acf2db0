<?php
declare(strict_types=1);

final class ConfigError extends RuntimeException {}

/**
 * Runtime configuration, written at boot by cloud-init (no secret in it).
 * The file path comes from INVENTORY_APP_CONFIG so tests and other hosts
 * point the app at their own file (and their own stubs) without editing it.
 */
final class AppConfig
{
    public const DEFAULT_PATH = '/etc/inventory-app/config.json';
    /** Optional keys and their defaults; the type of each default is the type required. */
    private const DEFAULTS = [
        'db_port' => 3306,
        'db_tls' => true,
        'db_ca_file' => '/etc/inventory-app/rds-ca-bundle.pem',
        'imds_endpoint' => 'http://169.254.169.254',
        'secretsmanager_endpoint' => '', // empty: the regional public endpoint
        'cache_dir' => '', // empty: a private folder in the temp directory
        'secret_cache_ttl_seconds' => 300,
        'metadata_cache_ttl_seconds' => 21600,
        'db_connect_timeout_seconds' => 3,
        'db_retry_attempts' => 6,
        'db_read_retry_attempts' => 3,
        'db_retry_base_delay_ms' => 250,
    ];
    /** Required keys and the form of their value. */
    private const REQUIRED = [
        'region' => '/^[a-z]{2}(-[a-z]+)+-\d+$/',
        'db_host' => '/^[A-Za-z0-9.:-]+$/',
        'db_name' => '/^[A-Za-z]\w{0,63}$/', // it is interpolated into CREATE DATABASE, so identifiers only
        'db_user' => '/^\S+$/',
        'secret_arn' => '/^arn:\S+$/',
    ];

    public readonly string $region, $dbHost, $dbName, $dbUser, $secretArn, $caFile, $imds, $secretsEndpoint, $cacheDir;
    public readonly int $dbPort, $secretTtl, $metadataTtl, $connectTimeout, $attempts, $readAttempts, $retryDelayMs;
    public readonly bool $tls;

    private function __construct(array $c, string $path)
    {
        $c += self::DEFAULTS;
        foreach (self::REQUIRED as $k => $re) {
            if (!is_string($c[$k] ?? null) || !preg_match($re, $c[$k])) {
                throw new ConfigError("$path: \"$k\" is missing or malformed");
            }
        }
        foreach (self::DEFAULTS as $k => $d) {
            // Numbers may arrive as text: Terraform tokens resolve to strings.
            if (is_int($d) && is_string($c[$k]) && preg_match('/^\d{1,9}$/', $c[$k])) {
                $c[$k] = (int) $c[$k];
            }
            if (gettype($c[$k]) !== gettype($d) || (is_int($d) && $c[$k] < 0)) {
                throw new ConfigError("$path: \"$k\" must be a" . (is_int($d) ? ' whole number' : ' ' . gettype($d)));
            }
        }
        $this->region = $c['region'];
        $this->dbHost = $c['db_host'];
        $this->dbName = $c['db_name'];
        $this->dbUser = $c['db_user'];
        $this->secretArn = $c['secret_arn'];
        $this->tls = $c['db_tls'];
        $this->caFile = $c['db_ca_file'];
        $this->imds = rtrim($c['imds_endpoint'], '/');
        $this->secretsEndpoint = rtrim($c['secretsmanager_endpoint'] ?: "https://secretsmanager.{$c['region']}.amazonaws.com" . (str_starts_with($c['region'], 'cn-') ? '.cn' : ''), '/');
        $this->cacheDir = $c['cache_dir'] ?: sys_get_temp_dir() . '/inventory-app-cache';
        $this->dbPort = $c['db_port'];
        $this->secretTtl = $c['secret_cache_ttl_seconds'];
        $this->metadataTtl = $c['metadata_cache_ttl_seconds'];
        $this->connectTimeout = max(1, $c['db_connect_timeout_seconds']);
        $this->attempts = max(1, $c['db_retry_attempts']);
        $this->readAttempts = max(1, min($this->attempts, $c['db_read_retry_attempts']));
        $this->retryDelayMs = $c['db_retry_base_delay_ms'];
    }

    public static function path(): string
    {
        // php-fpm gets Apache's SetEnv as a FastCGI param ($_SERVER); the CLI server has the process env.
        $p = $_SERVER['INVENTORY_APP_CONFIG'] ?? getenv('INVENTORY_APP_CONFIG');
        return is_string($p) && $p !== '' ? $p : self::DEFAULT_PATH;
    }

    public static function load(): self
    {
        $path = self::path();
        $c = json_decode((string) @file_get_contents($path), true);
        if (!is_array($c)) {
            throw new ConfigError("$path is missing or not a JSON object");
        }
        return new self($c, $path);
    }
}

/**
 * Small TTL cache in private files, so values survive between requests
 * (each PHP request starts empty). Files are 0600 in a 0700 folder that
 * must belong to this user, because the secret cache holds a password.
 */
final class FileCache
{
    public function __construct(private readonly string $dir) {}

    private function file(string $key): string
    {
        return $this->dir . '/' . hash('sha256', $key);
    }

    /** $stale: also return an expired value (a fallback when its source is down). */
    public function get(string $key, bool $stale = false): mixed
    {
        // Trust only what set() makes: a real folder closed to group and others, holding files of
        // the folder's owner. A folder planted in a shared /tmp by another user fails one of these
        // (and one of theirs that is 0700 is unreadable to us anyway).
        $file = $this->file($key);
        clearstatcache();
        if (is_link($this->dir) || !is_dir($this->dir) || (@fileperms($this->dir) & 0077) !== 0
            || @fileowner($file) !== @fileowner($this->dir)) {
            return null;
        }
        $d = json_decode((string) @file_get_contents($file), true);
        return is_array($d) && ($stale || ($d['expires'] ?? 0) >= time()) ? $d['value'] : null;
    }

    public function set(string $key, mixed $value, int $ttl): void
    {
        if ($ttl <= 0) {
            return;
        }
        @mkdir($this->dir, 0700, true);
        $tmp = @tempnam($this->dir, 'tmp'); // created 0600
        // Refuse a folder planted by another user (or a symlink) in a shared /tmp: our new file's owner must own it.
        if (!$tmp || is_link($this->dir) || fileowner($tmp) !== fileowner($this->dir) || realpath(dirname($tmp)) !== realpath($this->dir)
            // write then rename, so concurrent readers never see half a file
            || @file_put_contents($tmp, json_encode(['expires' => time() + $ttl, 'value' => $value])) === false || !@rename($tmp, $this->file($key))) {
            $tmp && @unlink($tmp);
        }
    }
}
