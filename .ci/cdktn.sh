#!/usr/bin/env bash
# CDK Terrain flavour (README "Use it on CDK Terrain"): the project, installed on cdktn through the
# npm alias a consumer uses ("cdktf": "npm:cdktn@VERSION", "overrides": { "cdktf": "$cdktf" }),
# keeping @cdktf/provider-aws 20.1.0 (AWS provider 5.100.0, the offline mirror's). It works on a
# copy in a temporary directory; the committed package.json and lockfile are not touched.
#   1. jest, a representative subset (the list below; README says why not all of it);
#   2. the consumer test from the packed tarball, with the README's cdktn setup block;
#   3. `cdktn synth` of the project's cdktf.json with cdktn-cli on Node 22 (the npm registry's
#      node binary package, see below);
#   4. provider 6 readiness: `tsc --noEmit` of the library against @cdktn/provider-aws 25.x.
# Needs what .ci/run needs (terraform + the provider mirror); run after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CHECKPOINT_DISABLE=1
export CI="${CI:-true}"

CDKTN_VERSION=0.24.0
CDKTN_PROVIDER_AWS=25.7.0 # AWS provider 6.66; only 25.x installs with cdktn 0.24
# Node 22 for cdktn-cli (needs >=22.19): the `node` npm package's preinstall only installs
# node-<os>-<arch>@<same version> (the binary at bin/node); npm 11 holds that install script for
# approval, so we install that binary package directly, by exact version.
NODE22_VERSION=22.23.3
# The subset run on cdktn: the files that build, synthesize, validate and plan through cdktf's API
# (App, TerraformStack, Testing, Aspects, Annotations, tokens, backends) for both stacks, plus the
# package checks (which learn the alias). The rest of the suite runs on cdktf only: CI's 15 minutes
# do not hold the whole suite twice, and the rest (the modules' own unit tests, the inventory app
# under PHP/MariaDB/Chromium, the emulator, docs, diagram) exercises no cdktf API these do not.
TESTS=(
  __tests__/package.test.ts
  __tests__/stacks.test.ts
  __tests__/plan-offline.test.ts
  __tests__/bad-input.test.ts
  __tests__/guardrails-aspect.test.ts
  __tests__/guardrails-stacks.test.ts
  __tests__/fast-resolve.test.ts # HaStack's resolver fast path reads cdktf internals: compared with cdktn's own resolve
)

started=$SECONDS
lap() { echo "cdktn: $1 ($((SECONDS - lap_start)) s)"; lap_start=$SECONDS; }
lap_start=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/cdktf-aws-ha-cdktn-XXXXXX")"
if [ -n "${KEEP_CDKTN_DIR:-}" ]; then echo "cdktn: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
copy="$work/project"
tools="$work/tools"
mkdir -p "$copy" "$tools"

# The working tree's files (tracked and new, not ignored): no node_modules, dist or cdktf.out.
git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$copy"
node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.devDependencies.cdktf = `npm:cdktn@${process.argv[2]}`;
  pkg.overrides = { ...(pkg.overrides ?? {}), cdktf: "$cdktf" };
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$copy/package.json" "$CDKTN_VERSION"
# In the background: cdktn-cli, Node 22 and the provider 6 bindings, in a separate tools directory
# (so the project's node_modules/.bin gets no `node` and its jest keeps the CI's Node).
arch="$(node -p 'process.arch')"
(cd "$tools" && npm init -y >/dev/null && npm install --prefer-offline --no-audit --no-fund --loglevel=error --legacy-peer-deps \
  "cdktn-cli@$CDKTN_VERSION" "node-linux-$arch@$NODE22_VERSION" "@cdktn/provider-aws@$CDKTN_PROVIDER_AWS" >/dev/null) &
tools_pid=$!
node22="$tools/node_modules/node-linux-$arch/bin/node"

# The project on cdktn. Fast path: hard-link the installed node_modules (seconds, no copy of its
# ~1 GB) and let npm swap only what the alias changes; npm replaces a changed package's folder
# rather than writing into it, and the one file it rewrites in place, node_modules/.package-lock.json,
# is unlinked first, so the clone's own node_modules is never written. Hard links need one file
# system; otherwise a full install from the npm cache.
if [ -d node_modules ] && cp -al node_modules "$copy/node_modules" 2>/dev/null; then
  rm -f "$copy/node_modules/.package-lock.json"
  how="hard-linked node_modules + npm install"
else
  rm -rf "$copy/node_modules"
  how="full npm install"
fi
(cd "$copy" && npm install --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
(cd "$copy" && npm ls cdktf constructs @cdktf/provider-aws --depth=0)
lap "installed the project on $(node -p 'const p = require(process.argv[1]); p.name + "@" + p.version' "$copy/node_modules/cdktf/package.json") as cdktf ($how)"

# 1. The subset of the suite.
(cd "$copy" && npm run build --silent && npx jest --ci "${TESTS[@]}" 2>&1 | grep -E '^(PASS|FAIL|Tests:)|●')
lap "jest on cdktn (${#TESTS[@]} files)"

wait "$tools_pid"
lap "installed (in the background) cdktn-cli $CDKTN_VERSION, Node $("$node22" --version), @cdktn/provider-aws $CDKTN_PROVIDER_AWS"

# 2. The consumer test: packed tarball, clean project, the README's cdktn recipe, offline plan.
(cd "$copy" && CONSUMER_FLAVOUR=cdktn CDKTN_NODE="$node22" node scripts/consumer-test.js)
lap "consumer test on cdktn"

# 3. `cdktn synth` of this project's cdktf.json, the CLI on Node 22.
(cd "$copy" && PATH="$(dirname "$node22"):$PATH" "$node22" "$tools/node_modules/cdktn-cli/bin/cdktn" synth >/dev/null)
for stack in dev lab; do
  test -s "$copy/cdktf.out/stacks/$stack/cdk.tf.json" || { echo "cdktn synth wrote no $stack stack" >&2; exit 1; }
done
lap "cdktn synth (dev, lab) on Node 22"

# 4. Provider 6: the library's sources against @cdktn/provider-aws 25.x under the @cdktf name.
cat >"$copy/tsconfig.provider6.json" <<JSON
{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "noEmit": true,
    "incremental": false,
    "baseUrl": ".",
    "paths": {
      "@cdktf/provider-aws/*": ["$tools/node_modules/@cdktn/provider-aws/*"],
      "cdktn": ["./node_modules/cdktf"],
      "constructs": ["./node_modules/constructs"]
    }
  }
}
JSON
(cd "$copy" && npx tsc -p tsconfig.provider6.json)
lap "tsc --noEmit against @cdktn/provider-aws $CDKTN_PROVIDER_AWS (AWS provider 6)"

# 5. One synth of dev + lab (`node scripts/app.js`, the project's app command) per flavour: time and
#    peak memory, for the README's figures (one run each: noisy on a loaded machine).
if [ -x /usr/bin/time ]; then
  for flavour in cdktf cdktn; do
    dir="$ROOT"; [ "$flavour" = cdktn ] && dir="$copy"
    (cd "$dir" && npm run build --silent && /usr/bin/time -f "cdktn: synth dev+lab on $flavour: %e s, peak RSS %M KB" node scripts/app.js >/dev/null)
  done
fi

echo "cdktn: passed on cdktn $CDKTN_VERSION in $((SECONDS - started)) s (jest subset, consumer test, cdktn synth on Node 22, provider 6 type-check)"
