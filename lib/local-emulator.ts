/**
 * The local AWS emulator (moto in server mode): finding it, starting it on a free loopback port,
 * and stopping it by its PID on every exit path.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";

/** Environment variable naming the emulator command (a `moto_server`-compatible executable). */
export const EMULATOR_ENV = "CDKTF_AWS_HA_EMULATOR";
/** The moto release the stacks and the gap list were checked against. */
export const EMULATOR_VERSION = "5.2.3";
/** One line telling a user how to get the emulator. */
export const EMULATOR_INSTALL_HINT =
  `no local AWS emulator found: install it with \`pip install "moto[server]==${EMULATOR_VERSION}"\` ` +
  `(puts moto_server on the PATH), or set ${EMULATOR_ENV} to a moto_server executable`;
/** Where the project's pinned snapshot lives, relative to the project root (CI and these machines). */
export const SHARED_EMULATOR = path.join("..", "shared", "emulator", "moto-server");

/**
 * The emulator command: $CDKTF_AWS_HA_EMULATOR, else the pinned snapshot at
 * `../shared/emulator/moto-server` beside the project, else `moto_server` on the PATH.
 * The snapshot comes before the PATH because machines that have it may also carry an older moto.
 */
export function findEmulator(projectRoot: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env[EMULATOR_ENV];
  if (fromEnv) return fromEnv;
  const shared = path.resolve(projectRoot, SHARED_EMULATOR);
  if (isExecutable(shared)) return shared;
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, "moto_server");
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A running emulator. */
export interface RunningEmulator {
  /** e.g. http://127.0.0.1:45123 */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Whether it runs with the fixes patch (MOTO_FIXES=1, only the shared snapshot reads it). */
  readonly fixes: boolean;
  /** Stops it by its PID; safe to call more than once. */
  stop(): Promise<void>;
}

/** Options of {@link startEmulator}. */
export interface StartEmulatorOptions {
  /** @default - findEmulator() */
  readonly command?: string;
  /** @default - process.cwd() (where `../shared/emulator` is looked for) */
  readonly projectRoot?: string;
  /**
   * Port to try first; if it is busy, a free one is used instead.
   * @default - a free port chosen by the system
   */
  readonly port?: number;
  /** How long the emulator may take to answer. @default 90 s (the first start unpacks the snapshot) */
  readonly startTimeoutMs?: number;
}

/** Thrown when no emulator is installed; its message is the one-line install hint. */
export class EmulatorMissingError extends Error {
  constructor() {
    super(EMULATOR_INSTALL_HINT);
    this.name = "EmulatorMissingError";
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** On any exit of this process, no emulator it started is left running. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) if (child.pid) killQuietly(child.pid);
  });
}

function killQuietly(pid: number, signal: NodeJS.Signals = "SIGTERM"): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts the emulator on a free 127.0.0.1 port (never any other address) with AWS managed
 * policies loaded, and waits until it answers. A busy port (the one asked for, or one taken
 * between choosing and binding) is replaced by another (up to 5 tries).
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const command = options.command ?? findEmulator(options.projectRoot);
  if (!command) throw new EmulatorMissingError();
  installExitHook();
  let lastError = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    // Checked first: an emulator already answering there must not be mistaken for ours.
    const port = attempt === 0 && options.port !== undefined && (await canBind(options.port)) ? options.port : await freePort();
    const child = spawn(command, ["-H", "127.0.0.1", "-p", String(port)], {
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    running.add(child);
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString();
    });
    const exited = new Promise<number | string>((resolve) => {
      child.once("exit", (code, signal) => resolve(code ?? signal ?? "?"));
      child.once("error", (error) => resolve(error.message));
    });
    const up = await Promise.race([
      waitUntilAnswering(port, options.startTimeoutMs ?? 90_000).then((ok) => (ok ? "up" : "timeout")),
      exited.then(() => "exited"),
    ]);
    if (up === "up") {
      const pid = child.pid!;
      return {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        pid,
        fixes: process.env.MOTO_FIXES === "1",
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            killQuietly(pid);
            const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
            if (!gone) killQuietly(pid, "SIGKILL");
          }
          running.delete(child);
        },
      };
    }
    if (child.pid) killQuietly(child.pid, "SIGKILL");
    running.delete(child);
    lastError = stderr.trim().split("\n").slice(-3).join("\n");
    if (up === "timeout") throw new Error(`emulator ${command} did not answer on 127.0.0.1:${port}\n${lastError}`);
    if (!/address already in use|errno 98/i.test(stderr)) {
      throw new Error(`emulator ${command} exited at start (${await exited})\n${lastError}`);
    }
  }
  throw new Error(`emulator ${command}: no free port after 5 tries\n${lastError}`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(port)) return true;
    await delay(250);
  }
  return false;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/moto-api/", timeout: 2000 }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 500);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => {
      request.destroy();
      resolve(false);
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
