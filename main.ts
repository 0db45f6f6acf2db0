import { App } from "cdktf";
import { loadStackConfig } from "./stacks/config";
import { DevStack } from "./stacks/dev";
import { LabStack } from "./stacks/lab";

/** Builds the app with both stacks; `outdir` defaults to cdktf's (CDKTF_OUTDIR or cdktf.out). */
export function buildApp(options: { outdir?: string } = {}): App {
  // No stack traces in annotation metadata: construct paths locate findings, and traces would
  // write absolute paths of this machine into manifest.json.
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const config = loadStackConfig();
  new DevStack(app, "dev", config);
  new LabStack(app, "lab", config);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
