// One temporary directory per jest run: every test's temp files (cdktf's Testing outdirs, synth
// outputs, MariaDB data dirs, browser profiles, plan work dirs) go below it via TMPDIR, and
// global-teardown.js removes it, so runs leave nothing behind in the machine's /tmp.
// The previous TMPDIR is kept so global-teardown.js can put it back: StrykerJS runs jest many
// times in one process, and each run must start from the real temporary directory, not the
// previous run's deleted one.
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function globalSetup() {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-aws-ha-jest-"));
  process.env.CDKTF_AWS_HA_JEST_PREVIOUS_TMPDIR = process.env.TMPDIR ?? "";
  process.env.CDKTF_AWS_HA_JEST_TMP = runDir;
  process.env.TMPDIR = runDir; // os.tmpdir() in the workers, which start after this
};
