/**
 * The rendered cloud-init user data: cloud-init's own schema check, the
 * 16 KB limit, no secret, cdktf tokens kept resolvable, prop validation,
 * and the shipped PHP (stripped, archived) still valid.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { execFileSync, spawnSync } from "child_process";
import { App, TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { parse } from "yaml";
import {
  HEALTH_CHECK_PATH,
  INVENTORY_PACKAGES,
  InventoryUserDataProps,
  USER_DATA_LIMIT_BYTES,
  estimateInventoryUserDataSize,
  renderInventoryUserData,
  userDataByteSize,
} from "../modules/inventory-app";
// Internal (not exported by the package): tested from the module file.
import { stripPhp } from "../modules/inventory-app/bundle";
import { findProgram, isCi, missingPrograms, testUnless } from "./helpers/inventory-app/deps";
import { SAMPLE_PROPS, extractApp, parseUserData } from "./helpers/inventory-app/php-app";
import { sigv4Signature } from "./helpers/inventory-app/aws-stub";
import { scanForSecretWrites } from "../modules/guardrails/secrets";

/** The installed program (call only inside a test guarded by testUnless(missingPrograms([name]), …)). */
function program(name: string): string {
  const p = findProgram(name);
  if (!p) throw new Error(`${name} is not installed`);
  return p;
}

/** Why the compiled module cannot be compared: dist/ missing or older than the source. */
function staleDist(): string | undefined {
  const root = path.resolve(__dirname, "..");
  const compiled = path.join(root, "dist", "modules", "inventory-app", "index.js");
  const sourceDir = path.join(root, "modules", "inventory-app");
  const sources = fs.readdirSync(sourceDir).filter((f) => f.endsWith(".ts"));
  const stale = !fs.existsSync(compiled) || sources.some((f) => fs.statSync(path.join(sourceDir, f)).mtimeMs > fs.statSync(compiled).mtimeMs);
  return stale ? "dist/modules/inventory-app is missing or older than its source; run `npm run build` (npm test does)" : undefined;
}

/** A valid host name of the maximum length (253 characters). */
const LONGEST_HOSTNAME = [..."abc"].map((c) => c.repeat(63)).join(".") + "." + "d".repeat(61);

/** Realistic worst-case literal values, longer than any real cluster's. */
const LONG_PROPS: InventoryUserDataProps = {
  region: "ap-southeast-5",
  databaseEndpoint: LONGEST_HOSTNAME,
  databasePort: 3306,
  databaseName: "inventory_" + "x".repeat(54),
  masterUsername: "inventory_admin_user_0123456789a",
  secretArn: `arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:${"long/path/".repeat(40)}rds!cluster-3f1c2b7a-9d8e-4c6b-a5f4-0e1d2c3b4a59-Ab12Cd`,
};

function configOf(userData: string): Record<string, unknown> {
  const f = parseUserData(userData).write_files.find((w) => w.path === "/etc/inventory-app/config.json");
  if (!f) throw new Error("no config file in user data");
  return JSON.parse(f.content) as Record<string, unknown>;
}

/** The user data without the compressed app: the part a person (or a leaked log) can read directly. */
function readableText(userData: string): string {
  const cc = parseUserData(userData);
  return JSON.stringify({ ...cc, write_files: cc.write_files.filter((f) => f.encoding !== "gz+b64") });
}

describe("renderInventoryUserData", () => {
  const userData = renderInventoryUserData(SAMPLE_PROPS);

  test("installs Apache + PHP, writes config, app and Apache site, then starts the services", () => {
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    const cc = parseUserData(userData);
    expect(cc.packages).toEqual(expect.arrayContaining(["httpd", "php", "php-mysqlnd"]));
    expect(cc.packages).toEqual([...INVENTORY_PACKAGES]);

    expect(configOf(userData)).toEqual({
      region: SAMPLE_PROPS.region,
      db_host: SAMPLE_PROPS.databaseEndpoint,
      db_port: "3306",
      db_name: SAMPLE_PROPS.databaseName,
      db_user: SAMPLE_PROPS.masterUsername,
      secret_arn: SAMPLE_PROPS.secretArn,
      db_tls: true,
      db_ca_file: "/etc/inventory-app/rds-ca-bundle.pem",
      imds_endpoint: "http://169.254.169.254",
      secret_cache_ttl_seconds: 300,
    });

    const site = cc.write_files.find((f) => f.path === "/etc/httpd/conf.d/inventory-app.conf")!.content;
    expect(site).toContain("DocumentRoot /var/www/inventory-app/public");
    expect(site).toContain("SetEnv INVENTORY_APP_CONFIG /etc/inventory-app/config.json");
    expect(site).toContain("FallbackResource /index.php");

    const archive = cc.write_files.find((f) => f.encoding === "gz+b64")!;
    expect(archive.path).toBe("/var/lib/inventory-app/app.tar");
    const commands = cc.runcmd.map((c) => (Array.isArray(c) ? c.join(" ") : c));
    expect(commands).toContain("tar -x --no-same-owner -f /var/lib/inventory-app/app.tar -C /var/www/inventory-app");
    expect(commands).toContain("curl -fsS --retry 5 --retry-connrefused -o /etc/inventory-app/rds-ca-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
    expect(commands[commands.length - 1]).toBe("systemctl enable --now php-fpm httpd");
    expect(HEALTH_CHECK_PATH).toBe("/health");
  });

  test("honours the optional props", () => {
    const ud = renderInventoryUserData({
      ...SAMPLE_PROPS,
      databasePort: "3307",
      appPort: 8080,
      appDirectory: "/opt/inventory",
      configPath: "/etc/inv/app.json",
      databaseCaBundleUrl: null,
      databaseCaBundlePath: "/etc/pki/rds.pem",
      secretCacheTtlSeconds: 60,
      secretsManagerEndpoint: "https://vpce-0123.secretsmanager.eu-west-1.vpce.amazonaws.com",
    });
    const cc = parseUserData(ud);
    const site = cc.write_files.find((f) => f.path === "/etc/httpd/conf.d/inventory-app.conf")!.content;
    expect(site).toMatch(/^Listen 8080$/m);
    expect(site).toContain("<VirtualHost *:8080>");
    expect(site).toContain("DocumentRoot /opt/inventory/public");
    expect(site).toContain("SetEnv INVENTORY_APP_CONFIG /etc/inv/app.json");
    expect(cc.write_files.map((f) => f.path)).toContain("/etc/inv/app.json");
    const config = JSON.parse(cc.write_files.find((f) => f.path === "/etc/inv/app.json")!.content);
    expect(config).toMatchObject({ db_port: "3307", db_ca_file: "/etc/pki/rds.pem", secret_cache_ttl_seconds: 60, secretsmanager_endpoint: "https://vpce-0123.secretsmanager.eu-west-1.vpce.amazonaws.com" });
    expect(JSON.stringify(cc.runcmd)).not.toContain("curl");
    expect(JSON.stringify(cc.runcmd)).toContain("/opt/inventory");
  });

  testUnless(missingPrograms(["cloud-init"]), "passes cloud-init's schema validation", () => {
    const cloudInit = program("cloud-init");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inv-userdata-"));
    try {
      for (const [name, ud] of [
        ["sample", userData],
        ["long", renderInventoryUserData(LONG_PROPS)],
        ["options", renderInventoryUserData({ ...SAMPLE_PROPS, appPort: 8080, databaseCaBundleUrl: null })],
      ] as const) {
        const file = path.join(dir, `${name}.yaml`);
        fs.writeFileSync(file, ud);
        const r = spawnSync(cloudInit, ["schema", "--config-file", file], { encoding: "utf8" });
        expect({ name, status: r.status, out: (r.stdout + r.stderr).trim() }).toEqual({ name, status: 0, out: `Valid cloud-config: ${file}` });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("stays under EC2's 16 KB limit, also with the longest realistic values", () => {
    expect(USER_DATA_LIMIT_BYTES).toBe(16384);
    const sample = estimateInventoryUserDataSize(SAMPLE_PROPS);
    expect(sample.bytes).toBe(userDataByteSize(userData));
    expect(sample.bytes).toBe(Buffer.byteLength(userData));
    const long = estimateInventoryUserDataSize(LONG_PROPS);
    // eslint-disable-next-line no-console
    console.log(`inventory user data: ${sample.bytes} bytes (sample props), ${long.bytes} bytes (longest values), limit ${USER_DATA_LIMIT_BYTES}`);
    expect(long.bytes).toBeLessThan(USER_DATA_LIMIT_BYTES);
    expect(long.worstCaseBytes).toBe(long.bytes); // no tokens: nothing to expand
  });

  test("contains no secret, and refuses props that would put one in", () => {
    const password = "S3cr3t-Passw0rd!x";
    const text = readableText(userData);
    expect(text).not.toMatch(/password|passwd|pwd/i);
    // The secret is read by the app at run time, into memory: no boot command fetches it into a file.
    expect(scanForSecretWrites(userData)).toEqual([]);
    expect(JSON.stringify(parseUserData(userData).runcmd)).not.toMatch(/get-secret-value|secretsmanager|--with-decryption/);
    expect(userData).not.toMatch(/AKIA|ASIA|aws_secret_access_key/i);
    const config = configOf(userData);
    expect(Object.keys(config).filter((k) => /pass|pwd|key|token|credential/i.test(k))).toEqual([]);

    const withPassword = { ...SAMPLE_PROPS, masterPassword: password } as InventoryUserDataProps;
    expect(() => renderInventoryUserData(withPassword)).toThrow(/InventoryUserDataProps\.masterPassword: .*looks like a credential.*pass secretArn instead/);
    // A password passed where the secret ARN belongs: refused, and not echoed into CI logs.
    let message = "";
    try {
      renderInventoryUserData({ ...SAMPLE_PROPS, secretArn: password });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^InventoryUserDataProps\.secretArn: <redacted, 17 characters> is not a Secrets Manager secret ARN\. Pass the ARN/);
    expect(message).not.toContain(password);
  });

  test("keeps cdktf tokens as plain text (never compressed) and they resolve into valid YAML and JSON", () => {
    const app = new App();
    const stack = new TerraformStack(app, "inventory");
    const v = (name: string, type: string) => new TerraformVariable(stack, name, { type });
    const props: InventoryUserDataProps = {
      region: v("region", "string").stringValue,
      databaseEndpoint: v("endpoint", "string").stringValue,
      databasePort: v("port", "number").numberValue,
      databaseName: v("db_name", "string").stringValue,
      masterUsername: v("user", "string").stringValue,
      secretArn: v("secret_arn", "string").stringValue,
    };
    const ud = renderInventoryUserData(props);
    expect(ud).toMatch(/"db_host": "\$\{TfToken\[TOKEN\.\d+\]\}"/);
    const archive = parseUserData(ud).write_files.find((f) => f.encoding === "gz+b64")!;
    expect(zlib.gunzipSync(Buffer.from(archive.content, "base64")).toString("latin1")).not.toContain("TfToken");

    const size = estimateInventoryUserDataSize(props);
    expect(size.worstCaseBytes).toBeGreaterThan(size.bytes);
    expect(size.worstCaseBytes).toBeLessThan(USER_DATA_LIMIT_BYTES);

    new TerraformOutput(stack, "user_data", { value: ud });
    const synthesized = JSON.parse(Testing.synth(stack)).output.user_data.value as string;
    for (const name of ["region", "endpoint", "port", "db_name", "user", "secret_arn"]) expect(synthesized).toContain(`\${var.${name}}`);
    // No other "${" or "%{": Terraform would try to interpolate them.
    expect(synthesized.replace(/\$\{var\.[a-z_]+\}/g, "")).not.toMatch(/[$%]\{/);

    const values: Record<string, string> = {
      region: SAMPLE_PROPS.region,
      endpoint: SAMPLE_PROPS.databaseEndpoint,
      port: "3306",
      db_name: "inventory",
      user: "admin",
      secret_arn: SAMPLE_PROPS.secretArn,
    };
    const resolved = synthesized.replace(/\$\{var\.([a-z_]+)\}/g, (_, name: string) => values[name]);
    expect(configOf(resolved)).toMatchObject({ region: values.region, db_host: values.endpoint, db_port: "3306", db_name: "inventory", db_user: "admin", secret_arn: values.secret_arn });
    expect(parse(resolved).packages).toEqual([...INVENTORY_PACKAGES]);
  });

  test("validates props at call time, naming the field, the value and the fix", () => {
    const cases: [Partial<Record<keyof InventoryUserDataProps | "extra", unknown>>, RegExp][] = [
      [{ databaseEndpoint: "" }, /^InventoryUserDataProps\.databaseEndpoint: "" is empty\. Pass the cluster's writer endpoint/],
      [{ databaseEndpoint: "db.example.com:3306" }, /databaseEndpoint: "db\.example\.com:3306" is not a host name\. .*the port goes in databasePort/],
      [{ databaseEndpoint: "mysql://db.example.com" }, /databaseEndpoint: "mysql:\/\/db\.example\.com" is not a host name/],
      [{ region: "Europe" }, /^InventoryUserDataProps\.region: "Europe" is not an AWS region name\. Pass the region/],
      [{ region: undefined }, /region: undefined is not a string/],
      [{ databasePort: 0 }, /databasePort: 0 is not a TCP port\. Pass a whole number from 1 to 65535/],
      [{ databasePort: "33o6" }, /databasePort: "33o6" is not a TCP port/],
      [{ databaseName: "inventory; DROP" }, /databaseName: "inventory; DROP" is not a plain database name/],
      [{ masterUsername: "admin:hunter2" }, /masterUsername: <redacted, 13 characters> is not a user name/],
      [{ secretArn: "arn:aws:s3:::bucket" }, /secretArn: .* is not a Secrets Manager secret ARN\. Pass the ARN of the RDS-managed master secret/],
      [{ appPort: 70000 }, /appPort: 70000 is not a whole number from 1 to 65535/],
      [{ appDirectory: "var/www" }, /appDirectory: "var\/www" is not an absolute path/],
      [{ configPath: "/etc/../tmp/x.json" }, /configPath: .* is not an absolute path/],
      [{ databaseCaBundleUrl: "http://example.com/ca.pem" }, /databaseCaBundleUrl: .* is not a literal https URL/],
      [{ secretCacheTtlSeconds: -1 }, /secretCacheTtlSeconds: -1 is not a whole number from 0 to 86400/],
      [{ requireDatabaseTls: "yes" }, /requireDatabaseTls: "yes" is not true or false/],
      [{ extra: 1 }, /^InventoryUserDataProps\.extra: 1 is not a known prop\. Use one of: region, databaseEndpoint/],
    ];
    for (const [override, message] of cases) {
      expect(() => renderInventoryUserData({ ...SAMPLE_PROPS, ...override } as InventoryUserDataProps)).toThrow(message);
    }
  });

  test("is deterministic", () => {
    expect(renderInventoryUserData(SAMPLE_PROPS)).toBe(userData);
  });

  testUnless(staleDist(), "the compiled module (dist/) renders the same as the source", () => {
    const compiled = path.join(path.resolve(__dirname, ".."), "dist", "modules", "inventory-app", "index.js");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fromDist = require(compiled) as typeof import("../modules/inventory-app");
    expect(fromDist.renderInventoryUserData(SAMPLE_PROPS)).toBe(userData);
  });
});

describe("the shipped PHP", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "inv-shipped-"));
    extractApp(renderInventoryUserData(SAMPLE_PROPS), dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const SHIPPED = ["public/index.php", "src/aws.php", "src/config.php", "src/db.php", "src/web.php"];

  test("holds the front controller and the sources", () => {
    const files = execFileSync("tar", ["-tf", "-"], {
      input: zlib.gunzipSync(Buffer.from(parseUserData(renderInventoryUserData(SAMPLE_PROPS)).write_files.find((f) => f.encoding === "gz+b64")!.content, "base64")),
    })
      .toString()
      .trim()
      .split("\n");
    expect(files).toEqual(SHIPPED);
  });

  testUnless(missingPrograms(["php"]), "each shipped file is valid PHP (php -l)", () => {
    const php = program("php");
    for (const f of SHIPPED) {
      const r = spawnSync(php, ["-l", path.join(dir, f)], { encoding: "utf8" });
      expect({ f, status: r.status, out: r.stdout.trim() }).toEqual({ f, status: 0, out: `No syntax errors detected in ${path.join(dir, f)}` });
    }
  });

  test("stripping removes comments and indentation but never string contents", () => {
    const src = `<?php\n// line comment\n$a = 'it\\'s // not a comment'; # hash comment\n/* block\n comment */ $b = "# \\" /* kept */";\n    $c = $a/**/. $b; #[Attr]\n`;
    expect(stripPhp(src, "t.php")).toBe(`<?php\n$a = 'it\\'s // not a comment';\n$b = "# \\" /* kept */";\n$c = $a . $b; #[Attr]\n`);
    expect(() => stripPhp("<?php\n$x = <<<EOT\nhi\nEOT;\n", "h.php")).toThrow(/h\.php: unsupported PHP syntax "<<<"/);
    expect(() => stripPhp("<?php echo 1; ?>", "c.php")).toThrow(/unsupported PHP syntax "\?>"/);
    expect(() => stripPhp("hello <?php", "n.php")).toThrow(/must start with "<\?php"/);
  });

  // AWS SigV4 test suite, get-vanilla and post-vanilla.
  const SIGV4_VECTORS = [
    ["GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"],
    ["POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"],
  ];
  const SIGV4_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  test("the test stub's SigV4 verifier reproduces AWS's test-suite signatures", () => {
    for (const [method, signature] of SIGV4_VECTORS) {
      const headers = { host: "example.amazonaws.com", "x-amz-date": "20150830T123600Z" };
      expect(sigv4Signature({ method, path: "/", query: "", headers, signedHeaders: ["host", "x-amz-date"], body: "", amzDate: headers["x-amz-date"], region: "us-east-1", service: "service", secretAccessKey: SIGV4_SECRET })).toBe(signature);
    }
  });

  testUnless(missingPrograms(["php"]), "the app's PHP SigV4 signer reproduces AWS's test-suite signatures", () => {
    const php = program("php");
    for (const [method, signature] of SIGV4_VECTORS) {
      const code = `require $argv[1]; echo sigv4($argv[2], 'https://example.amazonaws.com/', [], '', 'us-east-1', 'service', ['AccessKeyId' => 'AKIDEXAMPLE', 'SecretAccessKey' => '${SIGV4_SECRET}'], gmmktime(12, 36, 0, 8, 30, 2015))['Authorization'];`;
      const out = execFileSync(php, ["-r", code, path.join(dir, "src", "aws.php"), method], { encoding: "utf8" });
      expect(out).toBe(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`);
    }
  });
});

describe("the test harness's CI detection (a missing program fails under CI, never skips)", () => {
  test.each([
    ["true", true],
    ["1", true],
    ["yes", true],
    ["True", true],
    ["woodpecker", true],
    [" true ", true],
    ["", false],
    [undefined, false],
    ["0", false],
    ["false", false],
    ["no", false],
    ["off", false],
  ])("GIVEN CI=%p THEN isCi() is %p", (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });
});
