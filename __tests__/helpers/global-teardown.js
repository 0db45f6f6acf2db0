// Removes the run's temporary directory made by global-setup.js.
const fs = require("fs");

module.exports = async function globalTeardown() {
  const runDir = process.env.CDKTF_AWS_HA_JEST_TMP;
  if (runDir && runDir.includes("cdktf-aws-ha-jest-")) fs.rmSync(runDir, { recursive: true, force: true });
};
