/**
 * `npm run update:addresses`: rewrites __tests__/helpers/lab-addresses.txt, the pinned Terraform
 * addresses of `lab` (public API: a renamed address destroys and recreates the resource). Run it
 * only after a deliberate, `moved`-block-backed rename; `__tests__/stacks.test.ts` compares lab
 * with the file and never writes it.
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { SynthesizedStack } from "../modules/guardrails/synthesized-stack";
import { LabStack } from "../stacks/lab";

/** The AZs the pinned list is taken with (two, as lab's default). */
export const PINNED_AZS = ["us-east-1a", "us-east-1b"];
/** Where the list lives, relative to the package root. */
export const ADDRESSES_FILE = path.join("__tests__", "helpers", "lab-addresses.txt");

/** lab's resource addresses, sorted, as the pinned file lists them. */
export function labAddresses(azs: readonly string[] = PINNED_AZS): string[] {
  const stack = new LabStack(Testing.app(), "lab", { region: "us-east-1", azs: [...azs] });
  return new SynthesizedStack(JSON.parse(Testing.synth(stack)))
    .resources()
    .map((r) => r.address)
    .sort();
}

if (require.main === module) {
  // dist/scripts/lab-addresses.js → the package root is two folders up.
  const file = path.join(__dirname, "..", "..", ADDRESSES_FILE);
  const addresses = labAddresses();
  fs.writeFileSync(file, addresses.join("\n") + "\n");
  process.stdout.write(`wrote ${addresses.length} addresses to ${path.relative(process.cwd(), file)}\n`);
}
