/** Child processes that the tests start and must stop, even when a test fails. */
import { ChildProcess, spawn, SpawnOptions } from "child_process";

/** Keeps the tail of a process's output for error messages, without growing without bound. */
const LOG_TAIL_BYTES = 64 * 1024;
const STOP_GRACE_MS = 15000;

export class ManagedProcess {
  private log = "";
  readonly child: ChildProcess;
  private exited: Promise<number | null>;
  exitCode: number | null | undefined = undefined;

  constructor(readonly name: string, command: string, args: readonly string[], options: SpawnOptions = {}) {
    // Its own process group, so stop() also reaches any children (php -S forks worker processes).
    this.child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, ...options });
    const keep = (chunk: Buffer): void => {
      this.log = (this.log + chunk.toString("utf8")).slice(-LOG_TAIL_BYTES);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      });
      this.child.once("error", (e) => {
        this.log += `\nspawn error: ${e.message}`;
        this.exitCode = null;
        resolve(null);
      });
    });
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  output(): string {
    return this.log;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, signal);
    } catch {
      // the group is already gone
    }
  }

  /** SIGTERM to the process group, then SIGKILL if the leader has not exited within the grace period. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.running) {
      this.signalGroup("SIGTERM");
      const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), graceMs).unref());
      if ((await Promise.race([this.exited, timer])) === "timeout") {
        this.signalGroup("SIGKILL");
        await this.exited;
      }
    }
    // Children that outlived the leader (e.g. php -S workers) must not keep running.
    this.signalGroup("SIGKILL");
  }

  wait(): Promise<number | null> {
    return this.exited;
  }
}
