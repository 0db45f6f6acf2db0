import { StateBackendConfig } from "../lib/ha-stack";
import { bucketNameProblem, regionProblem } from "../lib/checks";
import { ValidationError, show } from "../lib/errors";
import { checkAzList } from "../modules/ha-vpc/validation";

/**
 * The one place stacks take their configuration from. Defaults make `cdktf synth` work with no
 * setup; environment variables override them for a real account:
 *
 * | variable            | meaning                                   | default                      |
 * |---------------------|-------------------------------------------|------------------------------|
 * | `HA_REGION`         | AWS region of both stacks                 | `us-east-1`                  |
 * | `HA_AZS`            | comma-separated AZ names (2–6)            | `<region>a,<region>b`        |
 * | `HA_STATE_BUCKET`   | S3 bucket for state (S3 backend, locked)  | unset: local state           |
 * | `HA_STATE_REGION`   | region of the state bucket                | the stack region             |
 * | `HA_AWS_ENDPOINT`   | local AWS emulator URL (`http://127.0.0.1:PORT`) for `cdktf deploy`; mock keys, local state only | unset: AWS |
 * | `HA_TEARDOWN`       | `1`: build the stacks for teardown (apply, then destroy; see HaStack `teardown`) | unset |
 */
export interface StackConfig {
  readonly region: string;
  readonly azs: string[];
  readonly backend: StateBackendConfig;
  /** The local emulator the provider talks to (`HA_AWS_ENDPOINT`); HaStack validates it. */
  readonly localEndpoint?: string;
  /** Built to be destroyed next (`HA_TEARDOWN=1`). */
  readonly teardown?: boolean;
}

export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_AZ_LETTERS = ["a", "b"];

/** What may separate AZ names by mistake; only commas do. */
const WRONG_AZ_SEPARATOR = /[;|\s]/;

/**
 * Reads the configuration from the environment, falling back to the defaults above. Each variable
 * is checked here, so a bad one fails naming the variable (not the construct prop it feeds).
 */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const fail = (message: string): never => {
    throw new ValidationError(`loadStackConfig: ${message}`);
  };
  const region = env.HA_REGION || DEFAULT_REGION;
  if (env.HA_REGION) {
    const problem = regionProblem(region);
    if (problem) fail(`HA_REGION (${show(region)}) ${problem}; set it to one like "us-east-1", or unset it for ${DEFAULT_REGION}`);
  }

  let azs = DEFAULT_AZ_LETTERS.map((letter) => `${region}${letter}`);
  if (env.HA_AZS !== undefined && env.HA_AZS !== "") {
    const raw = env.HA_AZS;
    azs = raw.split(",").map((az) => az.trim()).filter(Boolean);
    const separator = azs.map((az) => WRONG_AZ_SEPARATOR.exec(az)?.[0]).find(Boolean);
    if (separator) {
      fail(
        `HA_AZS (${show(raw)}) separates AZ names with ${show(separator)}; separate them with commas, ` +
          `e.g. "${region}a,${region}b"`,
      );
    }
    checkAzList(azs, fail, {
      field: "HA_AZS",
      shown: (list) => `${show(raw)}, read as ${show(list)}`,
      expectedRegion: region,
      regionSource: `HA_REGION ${env.HA_REGION ? "is" : `is unset, so the region is`} ${region}`,
      allowSingleAz: false,
      singleAzFix: `List 2 or more AZs separated by commas, e.g. "${region}a,${region}b"`,
      emptyFix: `set it to 2 or more AZ names separated by commas, e.g. "${region}a,${region}b", or unset it for ${region}${DEFAULT_AZ_LETTERS.join(`, ${region}`)}`,
    });
  }

  if (env.HA_STATE_REGION) {
    const problem = regionProblem(env.HA_STATE_REGION);
    if (problem) {
      fail(`HA_STATE_REGION (${show(env.HA_STATE_REGION)}) ${problem}; set it to the state bucket's region, e.g. "us-east-1", or unset it for the stack's`);
    }
  }
  let backend: StateBackendConfig = { type: "local" };
  if (env.HA_STATE_BUCKET) {
    const problem = bucketNameProblem(env.HA_STATE_BUCKET);
    if (problem) fail(`HA_STATE_BUCKET (${show(env.HA_STATE_BUCKET)}) ${problem}; set it to the name of the S3 bucket that holds state`);
    backend = { type: "s3", bucket: env.HA_STATE_BUCKET, region: env.HA_STATE_REGION || undefined };
  }
  const config: StackConfig = { region, azs, backend };
  // Only set when asked, so the synthesized JSON of a normal run does not change.
  return {
    ...config,
    ...(env.HA_AWS_ENDPOINT ? { localEndpoint: env.HA_AWS_ENDPOINT } : {}),
    ...(env.HA_TEARDOWN === "1" ? { teardown: true } : {}),
  };
}

/** The reference stacks' project name: their `project` tag and S3 state key prefix. */
export const REFERENCE_PROJECT = "cdktf-aws-ha";
