/**
 * A team's own cdktf project using cdktf-aws-ha as a library, the way the README tells it to.
 * scripts/consumer-test.js installs the packed tarball and the peers in a clean directory outside
 * the repository, compiles this file with that project's tsconfig and runs it: it builds a stack
 * with non-default props through the package's exports only, synthesizes it, and plans it offline
 * with the harness the package exports. Any missing export, type or file fails it.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { Construct } from "constructs";
import { HaStack, HaVpc, NatGatewayMode, StackIntent, ValidationError, planOffline } from "cdktf-aws-ha";
import { HaVpc as HaVpcFromSubpath, HaVpcProps } from "cdktf-aws-ha/ha-vpc";
import { AppTier } from "cdktf-aws-ha/app-tier";
import { AuroraCluster, DatabaseAvailability } from "cdktf-aws-ha/aurora-cluster";
import { Guardrails } from "cdktf-aws-ha/guardrails";
import { inventoryUserDataFor } from "cdktf-aws-ha/inventory-app";
import { PlanSummary, formatPlanSummary, planOffline as planOfflineFromTesting } from "cdktf-aws-ha/testing";
import { describeArchitecture, stackDiagram } from "cdktf-aws-ha/diagram";

const REGION = "eu-west-1";
const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const CIDR = "10.50.0.0/16";

/**
 * The team's staging system: three AZs in Ireland, its own address block, one NAT gateway (a
 * named, suppressed trade-off), an app tier with its own sizes and health path, and an Aurora
 * cluster with a writer and two readers, one per AZ.
 */
class ShopStagingStack extends HaStack {
  public readonly network: HaVpc;
  public readonly app: AppTier;
  public readonly database: AuroraCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id, { region: REGION, environment: "staging", project: "shop", intent: StackIntent.DEVELOPMENT });
    const props: HaVpcProps = { name: "shop", azs: AZS, cidr: CIDR, natGateways: NatGatewayMode.SINGLE };
    this.network = new HaVpcFromSubpath(this, "Network", props);
    Guardrails.suppress(this.network, "HA-NAT-1", "staging shares one NAT gateway to save cost; an AZ loss there is acceptable");
    this.database = new AuroraCluster(this, "Database", {
      vpc: this.network,
      availability: DatabaseAvailability.MULTI_AZ,
      instances: 3,
      databaseName: "shop",
    });
    this.app = new AppTier(this, "App", {
      vpc: this.network,
      name: "shop-staging",
      instanceType: "t3.small",
      healthCheckGracePeriodSeconds: 300,
      healthCheckPath: "/health",
      // Rendered from the PHP app shipped inside the package (workload/inventory-app).
      userData: inventoryUserDataFor(this.database, { region: REGION, instanceType: "t3.small" }), // sizes the php-fpm pool
      accessLogs: { enabled: true },
    });
    this.database.allowFrom(this.app);
  }
}

/** Every subpath the package exports loads from the installed tarball, and module subpaths are all on the root too. */
function checkExportsMap(): void {
  const manifest = require("cdktf-aws-ha/package.json") as { exports: Record<string, unknown> };
  const root = require("cdktf-aws-ha") as Record<string, unknown>;
  for (const subpath of Object.keys(manifest.exports).filter((s) => s !== "." && s !== "./package.json")) {
    const loaded = require(`cdktf-aws-ha${subpath.slice(1)}`) as Record<string, unknown>;
    assert.ok(Object.keys(loaded).length > 0, `cdktf-aws-ha${subpath.slice(1)} exports nothing`);
    const target = (manifest.exports[subpath] as { default: string }).default;
    if (target.startsWith("./dist/modules/")) {
      for (const [name, value] of Object.entries(loaded)) assert.equal(root[name], value, `${name} of ${subpath} is not on the root export`);
    }
  }
  // Internals are not part of the API: the exports map seals them.
  assert.throws(() => require("cdktf-aws-ha/dist/lib/cidr"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
}

async function main(): Promise<void> {
  const started = Date.now();
  const installed = path.dirname(require.resolve("cdktf-aws-ha/package.json"));
  assert.ok(installed.startsWith(path.join(process.cwd(), "node_modules")), `cdktf-aws-ha resolved outside the project: ${installed}`);
  // Peers are the project's own single copies, so scopes and instanceof work across packages.
  for (const peer of ["constructs", "cdktf"]) {
    assert.equal(require.resolve(peer, { paths: [installed] }), require.resolve(peer), `cdktf-aws-ha loads its own copy of ${peer}`);
  }
  assert.equal(HaVpcFromSubpath, HaVpc, "the subpath and the root export different HaVpc classes");
  assert.equal(planOfflineFromTesting, planOffline, "cdktf-aws-ha/testing exports a different planOffline");
  checkExportsMap();

  // Bad input fails with the package's error class, naming the field.
  assert.throws(
    () => new HaVpc(new HaStack(new App(), "bad", { region: REGION, environment: "x" }), "Network", { azs: ["eu-west-1a"] }),
    (error: unknown) => error instanceof ValidationError && /azs \(\["eu-west-1a"\]\)/.test(error.message),
  );

  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-synth-"));
  try {
    const app = new App({ outdir });
    const stack = new ShopStagingStack(app, "shop-staging");
    assert.ok(stack.network instanceof Construct);
    assert.deepEqual([...stack.network.azs], AZS);
    assert.equal(stack.network.vpcCidr, CIDR);
    assert.equal(stack.network.natGatewayIds.length, 1);
    assert.deepEqual(
      stack.database.instancePlacements.map((p) => p.az),
      AZS,
      "the writer and two readers are not one per AZ",
    );
    assert.equal(stack.app.minCapacity, AZS.length);
    app.synth();

    const dir = path.join(outdir, "stacks", "shop-staging");
    const config = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
    const subnets = Object.values(config.resource.aws_subnet) as Array<{ availability_zone: string; cidr_block: string }>;
    assert.equal(subnets.length, 9);
    assert.deepEqual([...new Set(subnets.map((s) => s.availability_zone))].sort(), AZS);
    assert.ok(subnets.every((s) => s.cidr_block.startsWith("10.50.")), "a subnet lies outside 10.50.0.0/16");
    assert.equal(Object.keys(config.resource.aws_nat_gateway).length, 1);
    assert.equal(config.provider.aws[0].region, REGION);
    assert.equal(config.provider.aws[0].default_tags[0].tags.project, "shop");
    const alb = Object.values(config.resource.aws_lb)[0] as { subnets: string[] };
    assert.equal(alb.subnets.length, 3);
    const tg = Object.values(config.resource.aws_lb_target_group)[0] as { health_check: { path: string } };
    assert.equal(tg.health_check.path, "/health");
    const lt = Object.values(config.resource.aws_launch_template)[0] as { user_data: string };
    assert.match(lt.user_data, /^\$\{base64encode\(/, "the launch template carries no rendered user data");
    assert.equal(Object.keys(config.resource.aws_rds_cluster_instance).length, 3);
    assert.ok(!JSON.stringify(config).includes("master_password"), "a master password reached the synthesized stack");

    const architecture = describeArchitecture(config);
    assert.deepEqual([...new Set(architecture.nodes.map((n) => n.az).filter(Boolean))].sort(), AZS);
    assert.match(stackDiagram(stack), /subgraph [\w]+\["AZ eu-west-1c"\]/);

    const summary: PlanSummary = await planOffline(dir);
    const resources = Object.values(config.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
    assert.equal(summary.add, resources);
    assert.equal(summary.change, 0);
    assert.equal(summary.destroy, 0);
    console.log(formatPlanSummary(summary));
    console.log(`consumer: OK — ${resources} resources in ${AZS.length} AZs of ${REGION}, ${Date.now() - started} ms`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exitCode = 1;
});
