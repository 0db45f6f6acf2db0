<?php
declare(strict_types=1);

/**
 * The few AWS calls the app needs, without an SDK: the IMDSv2 token flow,
 * instance-role credentials, and Secrets Manager GetSecretValue signed with
 * Signature Version 4. Endpoints come from the config so tests use stubs.
 */
final class AwsError extends RuntimeException {}

/** @return array{0:int,1:string} status and body */
function http_call(string $method, string $url, array $headers, ?string $body, int $timeoutMs): array
{
    $h = ['Expect:']; // no 100-continue round trip
    foreach ($headers as $k => $v) {
        $h[] = "$k: $v";
    }
    $ch = curl_init($url);
    curl_setopt_array($ch, [
        CURLOPT_CUSTOMREQUEST => $method,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_HTTPHEADER => $h,
        CURLOPT_TIMEOUT_MS => $timeoutMs,
        CURLOPT_NOPROXY => '*', // a proxy from the environment must see neither IMDS nor credentials
    ]);
    if ($body !== null) {
        curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
    }
    $out = curl_exec($ch);
    $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    if ($out === false) {
        throw new AwsError("$method " . parse_url($url, PHP_URL_HOST) . ': ' . curl_error($ch));
    }
    return [$status, $out];
}

final class Imds
{
    private const TIMEOUT_MS = 2000;
    private ?string $token = null;

    public function __construct(private readonly string $base) {}

    public function get(string $path, bool $retry = true): string
    {
        $this->token ??= $this->call('PUT', 'api/token', ['X-aws-ec2-metadata-token-ttl-seconds' => '21600']);
        try {
            return $this->call('GET', "meta-data/$path", ['X-aws-ec2-metadata-token' => $this->token]);
        } catch (AwsError $e) {
            // The token may have expired: get a new one, once.
            $this->token = null;
            if ($retry) {
                return $this->get($path, false);
            }
            throw $e;
        }
    }

    private function call(string $method, string $path, array $headers): string
    {
        [$s, $b] = http_call($method, "$this->base/latest/$path", $headers, $method === 'PUT' ? '' : null, self::TIMEOUT_MS);
        if ($s !== 200 || $b === '') {
            throw new AwsError("IMDS $path: HTTP $s");
        }
        return trim($b);
    }

    /** Instance-role credentials; never stored, they are only needed to fetch the secret. */
    public function credentials(): array
    {
        $role = strtok($this->get('iam/security-credentials/'), "\n");
        $c = json_decode($this->get('iam/security-credentials/' . rawurlencode((string) $role)), true);
        if (!isset($c['AccessKeyId'], $c['SecretAccessKey'])) {
            throw new AwsError("IMDS gave no credentials for role $role");
        }
        return $c;
    }
}

/**
 * Signature Version 4 for a request to the path "/" without query string,
 * the only form the app sends. Returns $headers plus the signing headers.
 */
function sigv4(string $method, string $url, array $headers, string $body, string $region, string $service, array $creds, int $now): array
{
    $u = parse_url($url);
    $amzDate = gmdate('Ymd\THis\Z', $now);
    $scope = substr($amzDate, 0, 8) . "/$region/$service/aws4_request";
    $headers += ['host' => $u['host'] . (isset($u['port']) ? ":$u[port]" : ''), 'x-amz-date' => $amzDate];
    if (!empty($creds['Token'])) {
        $headers['x-amz-security-token'] = $creds['Token'];
    }
    $canon = [];
    foreach ($headers as $k => $v) {
        $canon[strtolower($k)] = preg_replace('/\s+/', ' ', trim($v));
    }
    ksort($canon, SORT_STRING);
    $signed = implode(';', array_keys($canon));
    $creq = "$method\n/\n\n";
    foreach ($canon as $k => $v) {
        $creq .= "$k:$v\n";
    }
    $creq .= "\n$signed\n" . hash('sha256', $body);
    $key = 'AWS4' . $creds['SecretAccessKey'];
    foreach (explode('/', $scope) as $part) {
        $key = hash_hmac('sha256', $part, $key, true);
    }
    $sig = hash_hmac('sha256', "AWS4-HMAC-SHA256\n$amzDate\n$scope\n" . hash('sha256', $creq), $key);
    $headers['Authorization'] = "AWS4-HMAC-SHA256 Credential=$creds[AccessKeyId]/$scope, SignedHeaders=$signed, Signature=$sig";
    return $headers;
}

/** The database credentials from the RDS-managed secret, cached briefly so a rotation needs no redeploy. */
final class DbSecret
{
    private const TIMEOUT_MS = 5000;
    /** While Secrets Manager is unreachable, ask it again at most this often. */
    private const STALE_RETRY_SECONDS = 60;

    public function __construct(private readonly AppConfig $cfg, private readonly FileCache $cache, private readonly Imds $imds) {}

    /**
     * $fresh: the cached password was just refused (error 1045), so skip the cache.
     * @return array{username:string,password:string}
     */
    public function get(bool $fresh = false): array
    {
        $key = 'secret:' . $this->cfg->secretArn;
        $v = $fresh ? null : $this->cache->get($key);
        if (isset($v['password'])) {
            return $v;
        }
        try {
            $v = $this->fetch();
        } catch (AwsError $e) {
            // Secrets Manager (or IMDS) is down: the last password still works, unless it was just refused.
            $v = $fresh ? null : $this->cache->get($key, true);
            if (!isset($v['password'])) {
                throw $e;
            }
            error_log('inventory-app: using the cached secret, ' . $e->getMessage());
            $this->cache->set($key, $v, self::STALE_RETRY_SECONDS);
            return $v;
        }
        $this->cache->set($key, $v, $this->cfg->secretTtl);
        return $v;
    }

    private function fetch(): array
    {
        // Secrets Manager's JSON 1.1 protocol: POST / with the operation in X-Amz-Target.
        $body = json_encode(['SecretId' => $this->cfg->secretArn]);
        $url = $this->cfg->secretsEndpoint . '/';
        $headers = sigv4('POST', $url, ['content-type' => 'application/x-amz-json-1.1', 'x-amz-target' => 'secretsmanager.GetSecretValue'], $body, $this->cfg->region, 'secretsmanager', $this->imds->credentials(), time());
        [$s, $b] = http_call('POST', $url, $headers, $body, self::TIMEOUT_MS);
        $d = json_decode($b, true);
        $secret = json_decode((string) ($d['SecretString'] ?? ''), true);
        if ($s !== 200 || !is_string($secret['password'] ?? null)) {
            throw new AwsError("GetSecretValue: HTTP $s " . ($d['__type'] ?? 'no JSON SecretString with a password'));
        }
        // The secret's user name goes with its password; the config's is the fallback.
        return ['username' => $secret['username'] ?? '' ?: $this->cfg->dbUser, 'password' => $secret['password']];
    }
}

/** Instance ID and AZ for the footer; cached, they never change while the instance runs. */
function instance_identity(AppConfig $cfg, FileCache $cache, Imds $imds): array
{
    $key = 'identity:' . $cfg->imds;
    $v = $cache->get($key);
    if (!$v) {
        try {
            $v = ['id' => $imds->get('instance-id'), 'az' => $imds->get('placement/availability-zone')];
            $cache->set($key, $v, $cfg->metadataTtl);
        } catch (AwsError $e) {
            error_log('inventory-app: instance metadata: ' . $e->getMessage());
            $v = ['id' => 'unknown', 'az' => 'unknown'];
            $cache->set($key, $v, 60); // ask an unreachable IMDS again at most once a minute
        }
    }
    return $v;
}
