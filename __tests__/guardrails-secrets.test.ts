/**
 * scanForSecrets: what counts as a secret-looking literal, what does not, and a scan of the
 * synthesized lab and dev stacks (and any rendered user data in them) that fails the build on a hit.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { buildApp } from "../main";
import { SecretKind, decodeBase64Text, scanForSecrets, scanTextAndDecoded } from "../modules/guardrails/secrets";
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

describe("GIVEN the lab and dev stacks as synthesized", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-scan-"));
  buildApp({ outdir }).synth();

  test.each(["lab", "dev"])("THEN %s's cdk.tf.json and its rendered user data hold no secret-looking literal", (stack) => {
    const text = fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
    const userData = new SynthesizedStack(JSON.parse(text))
      .resources()
      .flatMap((r) => [r.values.user_data, r.values.user_data_base64])
      .filter((v): v is string => typeof v === "string");
    const findings = [...scanForSecrets(text), ...userData.flatMap((u) => scanTextAndDecoded(u))];
    expect(findings).toEqual([]);
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
