<?php
declare(strict_types=1);

/** The database cannot be reached right now (failover, restart, rotation in progress): answer 503. */
final class DbUnavailable extends RuntimeException
{
    /** True when a write may have been committed before the connection was lost (its reply never came). */
    public bool $outcomeUnknown = false;
    /** True when the database refused the password from the secret (a rotation not finished yet). */
    public bool $credentials = false;
}

/** The database's TLS certificate is not trusted by the configured CA bundle: retrying cannot help. */
final class DbMisconfigured extends RuntimeException {}

/**
 * Connections to the Aurora writer with bounded retries. Every request opens
 * a new connection, so a failover is survived by reconnecting: the cluster
 * endpoint's DNS then points at the new writer.
 */
final class Database
{
    // MySQL/MariaDB error numbers.
    private const ER_ACCESS_DENIED = 1045;
    private const ER_BAD_DB = 1049;
    private const ER_NO_SUCH_TABLE = 1146;
    /**
     * The connection died while a statement was in flight: it may have run, even committed, with
     * the reply lost. Any other error (read-only, deadlock, lock wait) means it did not run.
     */
    private const CONNECTION_LOST = [1927, 2006, 2013, 2055, 4031];
    /** Transient: the writer is restarting, failing over, or was demoted to a read-only reader. */
    private const RETRYABLE = [
        1040, // too many connections
        1053, // server shutdown in progress
        1205, // lock wait timeout
        1213, // deadlock
        1290, // --read-only (Aurora reader after failover)
        1792, // read-only transaction
        1836, // read-only mode
        1927, // connection killed (MariaDB)
        2002, 2003, 2005, // cannot connect / unknown host while DNS moves
        2006, 2013, 2055, // server gone away / lost connection
        4031, // disconnected for inactivity
    ];
    private const MAX_BACKOFF_MS = 2000;
    /** Inventory queries are tiny; a writer that stops answering must not hold the request for long. */
    private const READ_TIMEOUT_SECONDS = 10;

    private bool $schemaChecked = false;

    public function __construct(private readonly AppConfig $cfg, private readonly DbSecret $secret, private readonly FileCache $cache) {}

    private function connect(array $cred, bool $withDb): mysqli
    {
        $m = mysqli_init();
        $m->options(MYSQLI_OPT_CONNECT_TIMEOUT, $this->cfg->connectTimeout);
        $m->options(MYSQLI_OPT_READ_TIMEOUT, self::READ_TIMEOUT_SECONDS);
        $m->options(MYSQLI_SET_CHARSET_NAME, 'utf8mb4');
        $m->options(MYSQLI_INIT_COMMAND, "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
        // FOUND_ROWS: affected rows count matched rows, so an update that changes nothing is not "not found".
        $flags = MYSQLI_CLIENT_FOUND_ROWS;
        if ($this->cfg->tls) {
            // With a CA bundle mysqlnd verifies the server certificate and its host name.
            $m->ssl_set(null, null, $this->cfg->caFile, null, null);
            $flags |= MYSQLI_CLIENT_SSL;
        }
        $m->real_connect($this->cfg->dbHost, $cred['username'], $cred['password'], $withDb ? $this->cfg->dbName : null, $this->cfg->dbPort, null, $flags);
        return $m;
    }

    private function ensureSchema(mysqli $m, bool $force): void
    {
        $key = "schema:v1:{$this->cfg->dbHost}:{$this->cfg->dbPort}:{$this->cfg->dbName}";
        if (!$force && ($this->schemaChecked || $this->cache->get($key))) {
            return;
        }
        // Idempotent: safe to run from many instances at once on first start.
        $m->query('CREATE TABLE IF NOT EXISTS inventory (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
            store VARCHAR(100) NOT NULL,
            item VARCHAR(100) NOT NULL,
            quantity INT UNSIGNED NOT NULL,
            request_token CHAR(32) NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
            PRIMARY KEY (id),
            UNIQUE KEY uq_inventory_request_token (request_token)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');
        $this->schemaChecked = true;
        $this->cache->set($key, true, 3600);
    }

    /**
     * Runs $fn(mysqli, bool $mayHaveRun) with a fresh connection, retrying
     * transient failures. $mayHaveRun tells $fn that an earlier attempt died
     * after sending its statements, so their outcome is unknown. $fn must be
     * safe to repeat (see InventoryRepo).
     */
    public function run(callable $fn, ?int $attempts = null): mixed
    {
        $attempts ??= $this->cfg->attempts;
        $freshSecret = false;
        $refreshedSecret = false;
        $withDb = true;
        $forceSchema = false;
        $last = null;
        $mayHaveRun = false;
        for ($attempt = 1; $attempt <= $attempts; $attempt++) {
            $m = null;
            $inFn = false;
            try {
                try {
                    $cred = $this->secret->get($freshSecret);
                } catch (AwsError $e) {
                    throw new DbUnavailable('the database secret could not be read: ' . $e->getMessage(), 0, $e);
                }
                $freshSecret = false;
                $m = $this->connect($cred, $withDb);
                if (!$withDb) {
                    $m->query("CREATE DATABASE IF NOT EXISTS `{$this->cfg->dbName}`");
                    $m->select_db($this->cfg->dbName);
                    $withDb = true;
                }
                $this->ensureSchema($m, $forceSchema);
                $forceSchema = false;
                $inFn = true;
                $result = $fn($m, $mayHaveRun);
                $m->close();
                return $result;
            } catch (mysqli_sql_exception $e) {
                $last = $e;
                $mayHaveRun = $mayHaveRun || ($inFn && in_array($e->getCode(), self::CONNECTION_LOST, true));
                if ($m instanceof mysqli) {
                    @$m->close();
                }
                $code = $e->getCode();
                if ($code === self::ER_ACCESS_DENIED && !$refreshedSecret) {
                    // The password was probably rotated: fetch the secret again, once, without waiting.
                    error_log('inventory-app: access denied, fetching the secret again');
                    $freshSecret = $refreshedSecret = true;
                    continue;
                }
                if ($code === self::ER_ACCESS_DENIED) {
                    $error = new DbUnavailable('the database refused the credentials from the secret (is a rotation still in progress?)', $code, $e);
                    $error->credentials = true;
                    throw $error;
                }
                if ($code === 2002 && str_contains(error_get_last()['message'] ?? '', 'certificate verify failed')) {
                    throw new DbMisconfigured("the database's TLS certificate is not trusted by {$this->cfg->caFile}", $code, $e);
                }
                if ($code === self::ER_BAD_DB) {
                    $withDb = false;
                    continue;
                }
                if ($code === self::ER_NO_SUCH_TABLE) {
                    $forceSchema = true;
                    continue;
                }
                if (!in_array($code, self::RETRYABLE, true)) {
                    throw $e;
                }
                error_log("inventory-app: database attempt $attempt of $attempts failed ($code " . $e->getMessage() . ($attempt < $attempts ? '), retrying' : '), giving up'));
                if ($attempt < $attempts) {
                    usleep(1000 * min(self::MAX_BACKOFF_MS, $this->cfg->retryDelayMs * (2 ** ($attempt - 1))));
                }
            }
        }
        $error = new DbUnavailable("the database did not answer after $attempts attempts: " . ($last?->getMessage() ?? ''), 0, $last);
        $error->outcomeUnknown = $mayHaveRun;
        throw $error;
    }

    /** For the readiness page: proves connection, TLS and schema. */
    public function status(): array
    {
        return $this->run(fn(mysqli $m): array => [
            'tls' => $m->query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")->fetch_row()[1] ?? '',
            'items' => (int) $m->query('SELECT COUNT(*) FROM inventory')->fetch_row()[0],
        ], $this->cfg->readAttempts);
    }
}

/** Inventory queries; every write is written so that a retry after an unknown outcome is harmless. */
final class InventoryRepo
{
    private const ER_DUP_ENTRY = 1062;

    /** Reads give up sooner than writes: a person waits on them, and a reload is harmless. */
    public function __construct(private readonly Database $db, private readonly int $readAttempts) {}

    public function all(): array
    {
        return $this->db->run(fn(mysqli $m) => $m->query('SELECT id, store, item, quantity FROM inventory ORDER BY store, item, id')->fetch_all(MYSQLI_ASSOC), $this->readAttempts);
    }

    public function find(int $id): ?array
    {
        return $this->db->run(function (mysqli $m) use ($id): ?array {
            $st = $m->prepare('SELECT id, store, item, quantity FROM inventory WHERE id = ?');
            $st->bind_param('i', $id);
            $st->execute();
            return $st->get_result()->fetch_assoc() ?: null;
        }, $this->readAttempts);
    }

    /**
     * Inserts once per request token. If the connection dies after COMMIT
     * but before the answer, the retry hits the unique key: already saved.
     */
    public function create(string $store, string $item, int $quantity, string $token): void
    {
        $this->db->run(function (mysqli $m) use ($store, $item, $quantity, $token): void {
            try {
                $m->begin_transaction();
                $st = $m->prepare('INSERT INTO inventory (store, item, quantity, request_token) VALUES (?, ?, ?, ?)');
                $st->bind_param('ssis', $store, $item, $quantity, $token);
                $st->execute();
                $m->commit(); // the caller acknowledges only after this returns
            } catch (mysqli_sql_exception $e) {
                if ($e->getCode() === self::ER_DUP_ENTRY && str_contains($e->getMessage(), 'uq_inventory_request_token')) {
                    return; // this form was already saved (a retry or a double submit)
                }
                throw $e;
            }
        });
    }

    /** Setting the same values twice is harmless, so retries are safe. @return bool false if no such item */
    public function update(int $id, string $store, string $item, int $quantity): bool
    {
        return $this->db->run(function (mysqli $m) use ($id, $store, $item, $quantity): bool {
            $st = $m->prepare('UPDATE inventory SET store = ?, item = ?, quantity = ? WHERE id = ?');
            $st->bind_param('ssii', $store, $item, $quantity, $id);
            $st->execute();
            return $st->affected_rows > 0;
        });
    }

    /** @return bool false if no such item */
    public function delete(int $id): bool
    {
        return $this->db->run(function (mysqli $m, bool $mayHaveRun) use ($id): bool {
            $st = $m->prepare('DELETE FROM inventory WHERE id = ?');
            $st->bind_param('i', $id);
            $st->execute();
            // An earlier attempt may already have deleted it: that is success, not "not found".
            return $st->affected_rows > 0 || $mayHaveRun;
        });
    }
}
