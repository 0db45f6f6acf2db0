<?php
declare(strict_types=1);

// Front controller for every path (Apache FallbackResource, or `php -S host:port public/index.php`).
ini_set('display_errors', '0'); // errors go to the log, never into a page
ini_set('log_errors', '1');

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/';
$method = $_SERVER['REQUEST_METHOD'] ?? 'GET';

// Shallow ALB health check: no config, database or AWS call, so a database
// failover does not mark every instance unhealthy at once.
if ($path === '/health') {
    header('Content-Type: text/plain');
    header('Cache-Control: no-store');
    echo "ok\n";
    return;
}

foreach (['config', 'aws', 'db', 'web'] as $f) {
    require __DIR__ . "/../src/$f.php";
}
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
// No page needs a script, so none may run, even if escaping were ever missed.
header("Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
header('X-Content-Type-Options: nosniff');
header('Cache-Control: no-store');

try {
    $cfg = AppConfig::load();
} catch (ConfigError $e) {
    error_log('inventory-app: ' . $e->getMessage());
    http_response_code(500);
    header('Content-Type: text/plain');
    echo 'Configuration error: ', $e->getMessage(), "\n";
    return;
}
$cache = new FileCache($cfg->cacheDir);
$imds = new Imds($cfg->imds);
$identity = fn() => instance_identity($cfg, $cache, $imds);
$db = new Database($cfg, new DbSecret($cfg, $cache, $imds), $cache);

// Readiness for people: the secret, the database, TLS and the schema. It is reachable through the
// public ALB, so it says what works, never where (no endpoint, path or error text: those go to
// the instance's error log).
if ($path === '/ready') {
    header('Content-Type: text/plain');
    $id = $identity();
    $out = "instance: $id[id] ($id[az])\ndatabase: ";
    try {
        $s = $db->status();
        $ok = !$cfg->tls || $s['tls'] !== '';
        $out .= 'ok, ' . ($s['tls'] ? "TLS $s[tls]" : 'NOT encrypted') . ", $s[items] items";
    } catch (Throwable $e) {
        error_log('inventory-app: readiness: ' . $e->getMessage());
        $ok = false;
        $out .= 'FAILED (details in the error log)';
    }
    http_response_code($ok ? 200 : 503);
    echo $ok ? 'ready' : 'NOT ready', "\n$out\n";
    return;
}

$web = new Web(new InventoryRepo($db, $cfg->readAttempts), $identity);
try {
    $id = '([1-9]\d{0,17})';
    $allowed = [];
    foreach ([
        ['GET', '/', 'index'],
        ['POST', '/items', 'create'],
        ['GET', "/items/$id/edit", 'edit'],
        ['POST', "/items/$id", 'update'],
        ['POST', "/items/$id/delete", 'delete'],
    ] as [$verb, $pattern, $action]) {
        if (preg_match("#^$pattern$#", $path, $m)) {
            if ($verb === $method || ($verb === 'GET' && $method === 'HEAD')) {
                isset($m[1]) ? $web->$action((int) $m[1]) : $web->$action();
                return;
            }
            $allowed[] = $verb;
        }
    }
    throw $allowed
        ? new HttpError(405, "Method $method is not allowed here.", ['Allow' => implode(', ', $allowed)])
        : new HttpError(404, 'There is no such page or item.');
} catch (HttpError $e) {
    $web->error($e);
} catch (DbMisconfigured $e) {
    // Not an outage: retrying will not help until someone fixes the CA bundle or the endpoint.
    error_log('inventory-app: configuration error: ' . $e->getMessage());
    $web->error(new HttpError(500, 'The app is misconfigured: it cannot verify the database\'s TLS certificate. The operators can find the details in the error log.'));
} catch (DbUnavailable $e) {
    // Details go to the log; people learn what happened to their change and what to do.
    error_log('inventory-app: ' . $e->getMessage());
    $web->error(new HttpError(503, ($e->credentials
            ? 'The app cannot sign in to the database: its password was probably just rotated and the new one has not reached the app yet. '
            : 'The database is temporarily unavailable (it may be restarting or failing over). ')
        . ($method !== 'POST' ? 'Please reload in a few seconds.'
            : ($e->outcomeUnknown
                // The commit may have landed before the connection died: a blind resubmit could duplicate it.
                ? 'Your change may have been saved before the connection was lost: reload the list in a few seconds and check before submitting it again.'
                : 'Your change was NOT saved; please submit it again in a few seconds.')), ['Retry-After' => '5']));
} catch (Throwable $e) {
    error_log('inventory-app: ' . get_class($e) . ': ' . $e->getMessage());
    $web->error(new HttpError(500, 'Something went wrong on our side. If you were saving a change, reload the list to see whether it was saved.'));
}
