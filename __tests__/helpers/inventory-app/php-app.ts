/**
 * The app exactly as an instance gets it: the rendered user data, parsed as
 * cloud-init does, and the app's files taken out of it (gz+b64 archive,
 * unpacked with tar). apache-app.ts serves them with Apache + php-fpm.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { execFileSync } from "child_process";
import { parse } from "yaml";
import { InventoryUserDataProps } from "../../../modules/inventory-app";

/** Props for rendering in tests: realistic, literal values. */
export const SAMPLE_PROPS: InventoryUserDataProps = {
  region: "eu-west-1",
  databaseEndpoint: "inventory.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com",
  databaseName: "inventory",
  masterUsername: "admin",
  secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-3f1c2b7a-9d8e-4c6b-a5f4-0e1d2c3b4a59-Ab12Cd",
};

export interface WriteFile {
  path: string;
  content: string;
  encoding?: string;
  permissions?: string;
}

export interface CloudConfig {
  packages: string[];
  write_files: WriteFile[];
  runcmd: (string | string[])[];
}

export function parseUserData(userData: string): CloudConfig {
  if (!userData.startsWith("#cloud-config\n")) throw new Error("user data does not start with #cloud-config");
  return parse(userData) as CloudConfig;
}

/** Writes the app files from rendered user data into `dir` (as the instance's runcmd would, with tar). */
export function extractApp(userData: string, dir: string): void {
  const archive = parseUserData(userData).write_files.find((f) => f.encoding === "gz+b64");
  if (!archive) throw new Error("user data has no gz+b64 app archive");
  const tarFile = path.join(dir, "app.tar");
  fs.writeFileSync(tarFile, zlib.gunzipSync(Buffer.from(archive.content, "base64")));
  execFileSync("tar", ["-x", "--no-same-owner", "-f", tarFile, "-C", dir]);
  fs.rmSync(tarFile);
}

export interface AppConfigFile {
  region: string;
  db_host: string;
  db_port: number | string;
  db_name: string;
  db_user: string;
  secret_arn: string;
  [key: string]: unknown;
}
