/**
 * scanForSecrets: what counts as a secret-looking literal, what does not, and a scan of the
 * synthesized lab and dev stacks (and any rendered user data in them) that fails the build on a hit.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { buildApp } from "../main";
import { EMULATOR_SECRET_KEY } from "../lib/local-endpoint";
import { App, TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { encodeUserData } from "../modules/app-tier/user-data";
import { evaluateRules } from "../modules/guardrails/evaluate";
import { SecLt4NoSecretsInUserData } from "../modules/guardrails/rules/sec-lt-4-no-secrets-in-user-data";
import {
  SecretKind,
  decodeBase64Text,
  decodeUserData,
  mayHoldSecret,
  scanForSecretWrites,
  scanForSecrets,
  scanTextAndDecoded,
} from "../modules/guardrails/secrets";
import { SynthesizedStack } from "../modules/guardrails/synthesized-stack";

describe("positives: each is reported with its kind, and the excerpt does not repeat the secret", () => {
  test.each([
    { text: "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", kind: SecretKind.AWS_ACCESS_KEY_ID, hidden: "IOSFODNN7EXAMPLE" },
    { text: '{"tags": {"k": "ASIAIOSFODNN7EXAMPLE"}}', kind: SecretKind.AWS_ACCESS_KEY_ID, hidden: "IOSFODNN7EXAMPLE" },
    {
      text: "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      kind: SecretKind.AWS_SECRET_ACCESS_KEY,
      hidden: "lrXUtnFEMI",
    },
    { text: 'AWS_SECRET_ACCESS_KEY="abcdEFGHijkl"', kind: SecretKind.AWS_SECRET_ACCESS_KEY, hidden: "cdEFGHijkl" },
    { text: 'password = "hunter22"', kind: SecretKind.PASSWORD, hidden: "nter22" },
    { text: '{"master_password": "correct-horse"}', kind: SecretKind.PASSWORD, hidden: "rrect-horse" },
    // Key names of every length up to the scan's 64-character prefix window.
    { text: 'inventory_db_password = "long-key-name"', kind: SecretKind.PASSWORD, hidden: "ng-key-name" },
    { text: `${"k".repeat(40)}_password: forty-char-prefix`, kind: SecretKind.PASSWORD, hidden: "rty-char-prefix" },
    { text: `${"x".repeat(64)}password="sixty-four"`, kind: SecretKind.PASSWORD, hidden: "xty-four" },
    { text: "pwpassword=short-prefix", kind: SecretKind.PASSWORD, hidden: "ort-prefix" },
    { text: "PASSWD: upper-case-key", kind: SecretKind.PASSWORD, hidden: "per-case-key" },
    { text: '{"user_data": "DB_PASSWORD=\\"from-json-escaped\\""}', kind: SecretKind.PASSWORD, hidden: "om-json-escaped" },
    { text: "users:\n  - name: app\n    passwd: s3cr3t-pass", kind: SecretKind.PASSWORD, hidden: "cr3t-pass" },
    { text: "-----BEGIN RSA PRIVATE KEY-----\nMIIE...", kind: SecretKind.PRIVATE_KEY, hidden: "MIIE" },
    { text: "-----BEGIN OPENSSH PRIVATE KEY-----", kind: SecretKind.PRIVATE_KEY, hidden: "@@" },
    { text: "-----BEGIN PRIVATE KEY-----", kind: SecretKind.PRIVATE_KEY, hidden: "@@" },
  ])("GIVEN $text THEN a $kind is found", ({ text, kind, hidden }) => {
    const findings = scanForSecrets(text);
    expect(findings.map((f) => f.kind)).toEqual([kind]);
    expect(findings[0].excerpt).not.toContain(hidden);
  });

  test("GIVEN a secret on line 3 THEN its line and column are reported", () => {
    expect(scanForSecrets('#!/bin/bash\nset -e\n  password="abc12345"\n')).toEqual([
      { kind: SecretKind.PASSWORD, line: 3, column: 3, excerpt: 'password="<redacted, 8 characters>"' },
    ]);
  });
});

describe("negatives: references, flags and look-alikes are not secrets", () => {
  test.each([
    '{"manage_master_user_password": true}',
    '{"master_password": "${random_password.db.result}"}',
    'password = "${var.db_password}"',
    "DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id db --query SecretString --output text)",
    "password: $DB_PASSWORD",
    'password = ""',
    "password_length = 16",
    '{"password_policy": "strict"}',
    "chpasswd: { expire: False }",
    "cat /etc/passwd",
    "unset AWS_SECRET_ACCESS_KEY",
    "-----BEGIN CERTIFICATE-----",
    "-----BEGIN PUBLIC KEY-----",
    "AKIA-not-a-key and akiaiosfodnn7example",
    '{"secret_key": "${var.secret_key}"}',
    "password: {{ lookup('env', 'DB_PASSWORD') }}",
  ])("GIVEN %s THEN nothing is found", (text) => {
    expect(scanForSecrets(text)).toEqual([]);
  });
});

describe("user data", () => {
  test("GIVEN base64 user data with a password THEN the decoded text is scanned", () => {
    const userData = Buffer.from('#!/bin/bash\nexport PGPASSWORD="letmein99"\n').toString("base64");
    expect(scanForSecrets(userData)).toEqual([]);
    expect(scanTextAndDecoded(userData).map((f) => [f.kind, f.line])).toEqual([[SecretKind.PASSWORD, 2]]);
  });

  test("GIVEN gzipped base64 user data THEN it is decoded too", () => {
    const userData = gzipSync("#cloud-config\nruncmd:\n  - echo AKIAIOSFODNN7EXAMPLE\n").toString("base64");
    expect(decodeBase64Text(userData)).toContain("#cloud-config");
    expect(scanTextAndDecoded(userData).map((f) => f.kind)).toEqual([SecretKind.AWS_ACCESS_KEY_ID]);
  });

  test("GIVEN base64 of binary data, or plain text THEN nothing is decoded", () => {
    expect(decodeBase64Text(Buffer.from([0, 1, 2, 3, 200, 201, 202, 203, 4]).toString("base64"))).toBeUndefined();
    expect(decodeBase64Text("not base64 at all")).toBeUndefined();
  });
});

describe("Terraform-rendered user data (references joined with base64decode'd literal parts)", () => {
  /** User data as AppTier renders it when the text holds a reference (here a variable). */
  function rendered(text: (ref: string) => string): string {
    const stack = new TerraformStack(new App(), "rendered");
    const arn = new TerraformVariable(stack, "secret_arn", { type: "string" }).stringValue;
    new TerraformOutput(stack, "user_data", { value: encodeUserData(text(arn)) });
    return JSON.parse(Testing.synth(stack)).output.user_data.value as string;
  }

  test("GIVEN such user data THEN the literal parts are decoded in order, the reference kept as a placeholder", () => {
    const userData = rendered((arn) => `#!/bin/bash\nSECRET_ARN=${arn}\necho "quote \\ and \${HOME}"\n`);
    expect(userData).toMatch(/^\$\{base64encode\(join\("", \[base64decode\("[A-Za-z0-9+/=]+"\), var\.secret_arn, base64decode\(/);
    expect(decodeUserData(userData)).toBe('#!/bin/bash\nSECRET_ARN=${var.secret_arn}\necho "quote \\ and ${HOME}"\n');
    expect(scanTextAndDecoded(userData)).toEqual([]);
  });

  test("GIVEN a password planted in a literal part THEN the scan finds it (and not in the raw expression)", () => {
    const userData = rendered((arn) => `#!/bin/bash\nSECRET_ARN=${arn}\nDB_PASSWORD="planted-secret"\n`);
    expect(scanForSecrets(userData)).toEqual([]);
    expect(scanTextAndDecoded(userData)).toEqual([
      { kind: SecretKind.PASSWORD, line: 3, column: 1, excerpt: 'DB_PASSWORD="<redacted, 14 characters>"' },
    ]);
  });

  test("GIVEN a password assigned from the reference itself THEN it is not a literal", () => {
    expect(scanTextAndDecoded(rendered((arn) => `DB_PASSWORD=${arn}\n`))).toEqual([]);
  });

  test.each([
    '${base64encode("#!/bin/bash\\nDB_PASSWORD=\\"in-a-string\\"\\n")}',
    '${base64encode(join("\\n", ["#!/bin/bash", "DB_PASSWORD=\\"in-a-string\\"", aws_x.y.id]))}',
  ])("GIVEN base64encode of HCL string literals (%s) THEN they are unescaped and scanned", (userData) => {
    expect(decodeUserData(userData)).toMatch(/^#!\/bin\/bash\nDB_PASSWORD="in-a-string"\n/);
    expect(scanForSecrets(decodeUserData(userData)!).map((f) => [f.kind, f.line])).toEqual([[SecretKind.PASSWORD, 2]]);
  });

  test("GIVEN an expression that is not base64encode(…) THEN nothing is decoded", () => {
    expect(decodeUserData("${var.user_data}")).toBeUndefined();
    expect(decodeUserData("#!/bin/bash\necho plain text\n")).toBeUndefined();
  });
});

describe("secrets written to disk (scanForSecretWrites)", () => {
  test.each([
    ["aws secretsmanager get-secret-value --secret-id db --query SecretString --output text > /etc/app/db.json", "/etc/app/db.json"],
    ['  - [ sh, -c, "aws secretsmanager get-secret-value --secret-id ${var.arn} --output text >> /etc/inventory-app/secret" ]', "/etc/inventory-app/secret"],
    ["aws secretsmanager get-secret-value --secret-id db | jq -r .SecretString | sudo tee -a /root/db.txt", "/root/db.txt"],
    ["aws ssm get-parameter --name /app/db --with-decryption --query Parameter.Value --output text >/opt/app/.env", "/opt/app/.env"],
    ['aws secretsmanager get-secret-value --secret-id db >| "/tmp/secret.json"', "/tmp/secret.json"],
  ])("GIVEN %s THEN it is reported, naming the file", (line, file) => {
    expect(scanForSecretWrites(`#!/bin/bash\n${line}\n`)).toEqual([
      expect.objectContaining({ kind: SecretKind.SECRET_WRITTEN_TO_DISK, line: 2, excerpt: `a secret is written to ${file}` }),
    ]);
  });

  test("GIVEN a variable assigned from get-secret-value and written out later THEN the write is reported", () => {
    const script = "#!/bin/bash\nDB=$(aws secretsmanager get-secret-value --secret-id db --output text)\nmkdir -p /etc/app\necho \"${DB}\" > /etc/app/db\n";
    expect(scanForSecretWrites(script).map((f) => [f.line, f.excerpt])).toEqual([[4, "a secret is written to /etc/app/db"]]);
  });

  test.each([
    "DB=$(aws secretsmanager get-secret-value --secret-id db --output text)",
    "aws secretsmanager get-secret-value --secret-id db > /dev/null 2>&1",
    "aws secretsmanager get-secret-value --secret-id db 2>/dev/null | jq -r .SecretString >&2",
    "aws ssm get-parameter --name /app/region --output text > /etc/app/region",
    "echo ready > /tmp/ready",
    "if command -v setsebool >/dev/null && selinuxenabled; then setsebool -P httpd_can_network_connect on; fi",
  ])("GIVEN %s THEN nothing is reported", (line) => {
    expect(scanForSecretWrites(`#!/bin/bash\n${line}\necho "$HOME" > /tmp/home\n`)).toEqual([]);
  });
});

describe("GIVEN the lab and dev stacks as synthesized", () => {
  // In beforeAll, not at collection: a run that selects none of these tests (e.g. StrykerJS running
  // only the tests that cover a mutant) does not synthesize the two stacks.
  let outdir = "";
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-scan-"));
    buildApp({ outdir }).synth();
  });
  const json = (stack: string): Record<string, any> => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));

  /** Everything the secret scan and SEC-LT-4 report for a stack's JSON. */
  function problems(stackJson: Record<string, any>): string[] {
    const text = JSON.stringify(stackJson);
    const userData = new SynthesizedStack(stackJson)
      .resources()
      .flatMap((r) => [r.values.user_data, r.values.user_data_base64])
      .filter((v): v is string => typeof v === "string");
    const decoded = userData.map((u) => decodeUserData(u));
    // The scan must read what it scans: every user data decodes.
    expect(userData.length).toBeGreaterThan(0);
    expect(decoded.filter((d) => d === undefined)).toEqual([]);
    const findings = [...scanForSecrets(text), ...userData.flatMap((u) => scanTextAndDecoded(u)), ...decoded.flatMap((d) => scanForSecretWrites(d!))];
    const rule = evaluateRules(new SynthesizedStack(stackJson), [SecLt4NoSecretsInUserData]).flatMap((e) => ("problems" in e.result ? e.result.problems : []));
    return [...findings.map((f) => `${f.kind} line ${f.line}: ${f.excerpt}`), ...rule];
  }

  /** Puts `text` into the stack's launch template user data, as a literal part of its Terraform expression. */
  function plant(stackJson: Record<string, any>, text: string): Record<string, any> {
    const copy = JSON.parse(JSON.stringify(stackJson));
    const templates = Object.values(copy.resource.aws_launch_template as Record<string, { user_data: string }>);
    expect(templates).toHaveLength(1);
    const part = `base64decode("${Buffer.from(text).toString("base64")}"), `;
    expect(templates[0].user_data).toContain('join("", [');
    templates[0].user_data = templates[0].user_data.replace('join("", [', `join("", [${part}`);
    return copy;
  }

  test.each(["lab", "dev"])("THEN %s's cdk.tf.json and its rendered user data hold no secret and write none to disk", (stack) => {
    const userData = Object.values(json(stack).resource.aws_launch_template as Record<string, { user_data: string }>)[0].user_data;
    expect(decodeUserData(userData)).toMatch(/^#cloud-config\n[\s\S]*"secret_arn": "\$\{aws_rds_cluster\.\w+\.master_user_secret\[0\]\.secret_arn\}"/);
    expect(problems(json(stack))).toEqual([]);
  });

  test.each(["lab", "dev"])("GIVEN a DB_PASSWORD literal planted in %s's user data THEN the scan and SEC-LT-4 both find it", (stack) => {
    const found = problems(plant(json(stack), '#!/bin/bash\nDB_PASSWORD="planted-in-user-data"\n'));
    expect(found).toEqual([
      'password line 2: DB_PASSWORD="<redacted, 20 characters>"',
      'decoded user data line 2 has a password literal (DB_PASSWORD="<redacted, 20 characters>"); read it at boot from Secrets Manager or SSM Parameter Store',
    ]);
  });

  test("GIVEN lab's user data made to write the secret under /etc THEN the scan and SEC-LT-4 both find it", () => {
    const found = problems(plant(json("lab"), "#!/bin/bash\naws secretsmanager get-secret-value --secret-id x --output text > /etc/inventory-app/db\n"));
    expect(found).toEqual([
      "secret-written-to-disk line 2: a secret is written to /etc/inventory-app/db",
      expect.stringMatching(/^decoded user data line 2: a secret is written to \/etc\/inventory-app\/db; /),
    ]);
  });
});

test("GIVEN user data with long base64 runs THEN the scan stays linear (no catastrophic backtracking)", () => {
  const blob = "QUJD".repeat(12_500); // 50 KB of one unbroken run of name-like characters
  const started = process.hrtime.bigint();
  const findings = scanForSecrets(`${blob}\ndb_password = "hunter2hunter2"\n${blob}`);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  expect(findings.map((f) => f.kind)).toEqual([SecretKind.PASSWORD]);
  expect(ms).toBeLessThan(250); // the unbounded pattern took over a second on 10 KB
});

describe("the scan's edges: what counts as a literal, exact excerpts and positions, every decoding path", () => {
  const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");
  /** Terraform-rendered user data around `parts`, the HCL elements of its join list. */
  const renderedFrom = (parts: string) => `\${base64encode(join("", [${parts}]))}`;

  test("GIVEN texts with and without the words every secret needs THEN mayHoldSecret tells them apart", () => {
    expect(["AKIA", "ASIA", "-----BEGIN X PRIVATE KEY-----", "Password", "PASSWD", "Secret_Key", "secret_access_key"].map(mayHoldSecret)).toEqual(
      Array(7).fill(true),
    );
    expect(["", "echo hello", "pass word", "secret key", "BEGIN PUBLIC KEY"].map(mayHoldSecret)).toEqual(Array(5).fill(false));
  });

  test.each([
    ['password = "pa$$word-1"', "a $ inside the value is still a literal"],
    ['password = "trueblue42"', "a value that only starts like a boolean"],
    ["password = 12ab", "a value that only starts with digits"],
    [`password = "${EMULATOR_SECRET_KEY}"`, "the emulator's public key, but as a password"],
  ])("GIVEN %s (%s) THEN it is a password literal", (text) => {
    expect(scanForSecrets(text).map((f) => f.kind)).toEqual([SecretKind.PASSWORD]);
  });

  test.each([['password = "   "'], ["password: 12"], [`aws_secret_access_key = ${EMULATOR_SECRET_KEY}`]])(
    "GIVEN %s (blank, a number, the emulator's public key) THEN nothing is found",
    (text) => {
      expect(scanForSecrets(text)).toEqual([]);
    },
  );

  test("GIVEN an access key id and a private key THEN the excerpts are exact: the key id cut to its prefix, the PEM header whole", () => {
    expect(scanForSecrets("-----BEGIN RSA PRIVATE KEY-----\nid AKIAIOSFODNN7EXAMPLE").map((f) => [f.kind, f.line, f.column, f.excerpt])).toEqual([
      [SecretKind.PRIVATE_KEY, 1, 1, "-----BEGIN RSA PRIVATE KEY-----"],
      [SecretKind.AWS_ACCESS_KEY_ID, 2, 4, "AKIA…(20 chars)"],
    ]);
  });

  test("GIVEN several findings out of the patterns' order THEN they come sorted by line, then column", () => {
    const text = 'password="first-line"\nkey AKIAIOSFODNN7EXAMPLE then passwd=same-line\nAKIAIOSFODNN7EXAMPLE';
    expect(scanForSecrets(text).map((f) => [f.line, f.column, f.kind])).toEqual([
      [1, 1, SecretKind.PASSWORD],
      [2, 5, SecretKind.AWS_ACCESS_KEY_ID],
      [2, 31, SecretKind.PASSWORD],
      [3, 1, SecretKind.AWS_ACCESS_KEY_ID],
    ]);
  });

  test("GIVEN two findings on one line, the later pattern's first THEN they come in column order", () => {
    // The access key pattern runs before the password one; the password sits first on the line.
    expect(scanForSecrets("passwd=hunter2hunter2 AKIAIOSFODNN7EXAMPLE").map((f) => [f.column, f.kind])).toEqual([
      [1, SecretKind.PASSWORD],
      [23, SecretKind.AWS_ACCESS_KEY_ID],
    ]);
  });

  test("GIVEN junk before a base64 value, or after a rendered ${base64encode(…)} THEN neither is decoded (the whole value must be one)", () => {
    // Node's decoder skips the junk and would read a text that is not there.
    expect(decodeBase64Text("@@@@QUJDREVGR0g=")).toBeUndefined();
    expect(decodeUserData(`\${base64encode(join("", ["A", var.x]))} # a comment`)).toBeUndefined();
  });

  test("GIVEN join parts that only look like a list or a string at one end THEN each is kept whole as a reference", () => {
    // A list indexed and then read: starts with [ but is no list literal.
    expect(decodeUserData(`\${base64encode(join("", [{ s = ["x"] }][0].s))}`)).toBe('${join("", [{ s = ["x"] }][0].s)}');
    // A conditional ends with a quote but is no string.
    expect(decodeUserData(renderedFrom('"A", var.on ? "yes" : "no"'))).toBe('A${var.on ? "yes" : "no"}');
    expect(decodeUserData(renderedFrom('var.on ? "yes" : "no", "B"'))).toBe('${var.on ? "yes" : "no"}B');
    // An object literal indexed, then a comma: the comma after its } splits the list.
    expect(decodeUserData(renderedFrom('{a = "x"}[var.k], "B"'))).toBe('${{a = "x"}[var.k]}B');
  });

  test("GIVEN base64 at the edges THEN 8 characters decode, shorter or ragged or trailing junk do not, line breaks are ignored", () => {
    expect(decodeBase64Text("QUJDREVG")).toBe("ABCDEF");
    expect(decodeBase64Text("QUJD")).toBeUndefined(); // 4 characters: too short to be user data
    expect(decodeBase64Text("QUJDREVGR")).toBeUndefined(); // not a multiple of 4
    expect(decodeBase64Text("QUJDREVGR0g=@@@@")).toBeUndefined();
    const wrapped = b64("#!/bin/bash\necho wrapped at 20 columns\n").replace(/(.{20})/g, "$1\n");
    expect(decodeBase64Text(wrapped)).toBe("#!/bin/bash\necho wrapped at 20 columns\n");
  });

  test("GIVEN decoded bytes THEN CRLF and tabs are readable text; control characters and invalid UTF-8 are not", () => {
    expect(decodeBase64Text(b64("#!/bin/bash\r\n\techo hi\r\n"))).toBe("#!/bin/bash\r\n\techo hi\r\n");
    expect(decodeBase64Text(b64("abc\u0001defgh"))).toBeUndefined();
    expect(decodeBase64Text(Buffer.from([0xff, 0xfe, 0x41, 0x42, 0x43, 0x44]).toString("base64"))).toBeUndefined();
    // A text whose second byte is 0x8b (gzip's second magic byte) is not taken for gzip.
    expect(decodeBase64Text(b64("ċ is a letter"))).toBe("ċ is a letter");
  });

  test("GIVEN Terraform-rendered user data with spaces around it and inside base64encode( ) THEN it still decodes", () => {
    const inner = `join("", [base64decode("${b64("#!/bin/bash\n")}"), var.x])`;
    expect(decodeUserData(`  \${base64encode( ${inner} )}\n`)).toBe("#!/bin/bash\n${var.x}");
    expect(decodeUserData(`echo \${base64encode(${inner})}`)).toBeUndefined(); // not the whole value
  });

  test("GIVEN join parts that are not literals THEN each is kept whole as a reference, never half-unquoted", () => {
    expect(decodeUserData(`\${base64encode(join(",", var.lines))}`)).toBe('${join(",", var.lines)}');
    expect(decodeUserData(`\${base64encode(join(var.separator, ["a", "b"]))}`)).toBe('${join(var.separator, ["a", "b"])}');
    expect(decodeUserData(`\${base64encode(join("", var.parts["k"]))}`)).toBe('${join("", var.parts["k"])}');
    expect(decodeUserData(renderedFrom('"a", var.m["key"]'))).toBe('a${var.m["key"]}');
    expect(decodeUserData(renderedFrom('"a", "x" == var.y ? "b" : var.z'))).toBe('a${"x" == var.y ? "b" : var.z}');
  });

  test("GIVEN join parts with commas, quotes and escapes inside strings, braces, and a trailing comma THEN they split where HCL does", () => {
    expect(decodeUserData(renderedFrom('"a,b", var.x'))).toBe("a,b${var.x}");
    expect(decodeUserData(renderedFrom('"say \\"hi, there\\"", var.x'))).toBe('say "hi, there"${var.x}');
    expect(decodeUserData(renderedFrom('"A", {a = "x", b = "y"}[var.k]'))).toBe('A${{a = "x", b = "y"}[var.k]}');
    expect(decodeUserData(renderedFrom('"a", "b",'))).toBe("ab");
  });

  test("GIVEN HCL escapes in a literal part THEN tab, CR, newline, $${ and %%{ come out as the instance sees them", () => {
    expect(decodeUserData(renderedFrom('"a\\tb\\r\\nc", "$${HOME} %%{x}"'))).toBe("a\tb\r\nc${HOME} %{x}");
  });

  test.each([
    ["aws secretsmanager get-secret-value --secret-id db |tee /etc/app/a", "/etc/app/a"],
    ["aws secretsmanager get-secret-value --secret-id db | tee /etc/app/b", "/etc/app/b"],
    ["aws secretsmanager get-secret-value --secret-id db | sudo  tee /etc/app/c", "/etc/app/c"],
    ["aws secretsmanager get-secret-value --secret-id db | tee  -ai  /etc/app/d", "/etc/app/d"],
    ["aws secretsmanager get-secret-value --secret-id db | tee --append /etc/app/e", "/etc/app/e"],
    ["aws secretsmanager get-secret-value --secret-id db > /var/tmp/dev/null", "/var/tmp/dev/null"],
    ["aws secretsmanager get-secret-value --secret-id db > /dev/null.bak", "/dev/null.bak"],
  ])("GIVEN %s THEN the write to %s is reported", (line, file) => {
    expect(scanForSecretWrites(`${line}\n`).map((f) => f.excerpt)).toEqual([`a secret is written to ${file}`]);
  });

  test("GIVEN a write to a file descriptor above 9 THEN it is not a write to disk", () => {
    expect(scanForSecretWrites("aws secretsmanager get-secret-value --secret-id db > /dev/fd/10\n")).toEqual([]);
  });

  test("GIVEN a long variable name, assigned in quotes, then written out THEN the write is reported at its column", () => {
    const script = 'DATABASE_SECRET="$(aws secretsmanager get-secret-value --secret-id db --output text)"\nprintf %s "$DATABASE_SECRET" > /etc/app/db\n';
    expect(scanForSecretWrites(script)).toEqual([
      { kind: SecretKind.SECRET_WRITTEN_TO_DISK, line: 2, column: 30, excerpt: "a secret is written to /etc/app/db" },
    ]);
  });
});
