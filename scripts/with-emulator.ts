/**
 * `npm run with-emulator -- <command...>`: starts the local AWS emulator on a free loopback port,
 * runs the command with `HA_AWS_ENDPOINT` pointing at it (and, unless it names an existing file,
 * `TF_CLI_CONFIG_FILE` installing providers from the local mirror), then stops the emulator by its
 * PID, whatever the command did. Example:
 *   npm run with-emulator -- sh -c 'npx cdktf deploy dev --auto-approve --skip-provider-lock && npx cdktf destroy dev --auto-approve --skip-provider-lock'
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EMULATOR_INSTALL_HINT, findEmulator, RunningEmulator, startEmulator } from "../lib/local-emulator";
import { cliConfigText, providerMirror } from "../lib/terraform-run";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

async function main(): Promise<number> {
  const argv = process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--"));
  if (argv.length === 0) {
    console.error("with-emulator: give the command to run, e.g. npm run with-emulator -- npx cdktf deploy dev");
    return 2;
  }
  const command = findEmulator(PROJECT_ROOT);
  if (!command) {
    console.error(`with-emulator: ${EMULATOR_INSTALL_HINT}`);
    return 1;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-aws-ha-with-emulator-"));
  let emulator: RunningEmulator | undefined;
  const stop = async () => {
    await emulator?.stop();
    emulator = undefined;
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    emulator = await startEmulator({ command });
    const env: NodeJS.ProcessEnv = { ...process.env, HA_AWS_ENDPOINT: emulator.endpoint, CHECKPOINT_DISABLE: "1" };
    // A CLI config of the user's own is kept; none (or a dangling path) gets the mirror's.
    if (!env.TF_CLI_CONFIG_FILE || !fs.existsSync(env.TF_CLI_CONFIG_FILE)) {
      const cliConfig = path.join(scratch, "terraform.rc");
      fs.writeFileSync(cliConfig, cliConfigText(providerMirror(undefined, "with-emulator", (m) => new Error(m))));
      env.TF_CLI_CONFIG_FILE = cliConfig;
    }
    console.log(`with-emulator: HA_AWS_ENDPOINT=${emulator.endpoint} (pid ${emulator.pid}): ${argv.join(" ")}`);
    const child = spawn(argv[0], argv.slice(1), { env, stdio: "inherit" });
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.once(signal, () => {
        child.kill(signal);
        void stop().finally(() => process.exit(130));
      });
    }
    return await new Promise<number>((resolve) => {
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
      child.once("error", (error) => {
        console.error(`with-emulator: ${error.message}`);
        resolve(127);
      });
    });
  } finally {
    await stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`with-emulator: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  },
);
