import { StateBackendConfig } from "../lib/ha-stack";

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

/** Reads the configuration from the environment, falling back to the defaults above. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const region = env.HA_REGION || DEFAULT_REGION;
  const azs = env.HA_AZS
    ? env.HA_AZS.split(",").map((az) => az.trim()).filter(Boolean)
    : DEFAULT_AZ_LETTERS.map((letter) => `${region}${letter}`);
  const backend: StateBackendConfig = env.HA_STATE_BUCKET
    ? { type: "s3", bucket: env.HA_STATE_BUCKET, region: env.HA_STATE_REGION || undefined }
    : { type: "local" };
  const config: StackConfig = { region, azs, backend };
  // Only set when asked, so the synthesized JSON of a normal run does not change.
  return {
    ...config,
    ...(env.HA_AWS_ENDPOINT ? { localEndpoint: env.HA_AWS_ENDPOINT } : {}),
    ...(env.HA_TEARDOWN === "1" ? { teardown: true } : {}),
  };
}
