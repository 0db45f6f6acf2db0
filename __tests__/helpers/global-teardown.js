// Removes the run's temporary directory made by global-setup.js and restores TMPDIR (for tools
// such as StrykerJS that run jest again in the same process).
const fs = require("fs");

module.exports = async function globalTeardown() {
  const runDir = process.env.CDKTF_AWS_HA_JEST_TMP;
  if (runDir && runDir.includes("cdktf-aws-ha-jest-")) fs.rmSync(runDir, { recursive: true, force: true });
  if (process.env.CDKTF_AWS_HA_JEST_PREVIOUS_TMPDIR !== undefined) {
    if (process.env.CDKTF_AWS_HA_JEST_PREVIOUS_TMPDIR) process.env.TMPDIR = process.env.CDKTF_AWS_HA_JEST_PREVIOUS_TMPDIR;
    else delete process.env.TMPDIR;
    delete process.env.CDKTF_AWS_HA_JEST_PREVIOUS_TMPDIR;
    delete process.env.CDKTF_AWS_HA_JEST_TMP;
  }
};
