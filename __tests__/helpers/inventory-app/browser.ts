/**
 * Headless Debian Chromium driven by playwright-core (no downloaded
 * browser), with a fresh temp profile and the flags that keep it off the
 * network: the only traffic is to the app on 127.0.0.1.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, BrowserContext } from "playwright-core";
import { findProgram } from "./deps";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = findProgram("chromium");
  if (!executablePath) throw new Error("chromium not found");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "inv-chromium-"));
  // launchPersistentContext is playwright's way to pass --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
