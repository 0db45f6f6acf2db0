/**
 * The database connection budget: each app instance's php-fpm pool may hold one connection per
 * worker, so ASG max × pm.max_children + headroom must fit the writer's max_connections.
 * Stacks are wired as the README shows (AuroraCluster + inventoryUserDataFor + AppTier).
 */
import { Testing } from "cdktf";
import { ADMIN_CONNECTION_HEADROOM, AURORA_MYSQL_MAX_CONNECTIONS, auroraMysqlMaxConnections } from "../lib/connection-budget";
import { AppTier } from "../modules/app-tier";
import { AuroraCluster } from "../modules/aurora-cluster";
import { HaVpc } from "../modules/ha-vpc";
import { HTTPD_SITE_PATH, PHP_FPM_POOL_PATH, inventoryUserDataFor, renderInventoryUserData } from "../modules/inventory-app";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { userDataFile } from "./helpers/inventory-app/apache-app";
import { SAMPLE_PROPS } from "./helpers/inventory-app/php-app";
import { testStack } from "./helpers/template";

const AZS = ["us-east-1a", "us-east-1b"];

function wired(instanceClass: string, maxCapacity: number, maxChildren?: number): AppTier {
  const s = testStack();
  const net = new HaVpc(s, "Net", { azs: AZS });
  const database = new AuroraCluster(s, "Db", { vpc: net, instanceClass });
  return new AppTier(s, "App", { vpc: net, maxCapacity, userData: inventoryUserDataFor(database, { region: "us-east-1", maxChildren }) });
}

const poolOf = (userData: string): number => Number(/^pm\.max_children = (\d+)$/m.exec(userDataFile(userData, PHP_FPM_POOL_PATH))![1]);

describe("connection budget", () => {
  test("GIVEN lab and dev with their defaults THEN both fit db.t4g.medium's 90 connections", () => {
    for (const Stack of [LabStack, DevStack]) {
      const stack = new Stack(Testing.app(), "s", { region: "us-east-1", azs: AZS });
      expect(stack.database.maxConnections).toBe(90);
      expect(stack.app.maxCapacity * 8 + ADMIN_CONNECTION_HEADROOM).toBeLessThanOrEqual(90);
    }
  });

  test("GIVEN php-fpm's stock 50 workers on lab's 4 instances THEN synth fails with the numbers and a fix that works", () => {
    let message = "";
    try {
      wired("db.t4g.medium", 4, 50);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("maxCapacity (4) × maxChildren (50");
    expect(message).toContain("= 210, over the max_connections (90)");
    expect(message).toContain("set maxChildren: 20");
    expect(message).toMatch(/db\.t4g\.medium/);
    // The fix the message proposes is accepted.
    expect(() => wired("db.t4g.medium", 4, 20)).not.toThrow();
    expect(() => wired("db.t4g.medium", 4, 21)).toThrow(/over the max_connections \(90\)/);
  });

  test("GIVEN the default pool (t3.micro) on bigger instances THEN synth warns (the pool is safe, not tuned); a bigger pool than the instance fails", () => {
    const s = testStack();
    const net = new HaVpc(s, "Net", { azs: AZS });
    const database = new AuroraCluster(s, "Db", { vpc: net, instanceClass: "db.r6g.large" });
    new AppTier(s, "App", { vpc: net, instanceType: "t3.small", userData: inventoryUserDataFor(database, { region: "us-east-1" }) });
    const warnings = s.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
    expect(warnings.filter((w) => w.includes("php-fpm pool"))).toEqual([expect.stringContaining('pass instanceType: "t3.small" to inventoryUserDataFor too')]);

    const big = testStack();
    const net2 = new HaVpc(big, "Net", { azs: AZS });
    const db2 = new AuroraCluster(big, "Db", { vpc: net2, instanceClass: "db.r6g.large" });
    expect(() => new AppTier(big, "App", { vpc: net2, userData: inventoryUserDataFor(db2, { region: "us-east-1", instanceType: "m7g.large" }) })).toThrow(
      /sized its php-fpm pool for\s*\("m7g\.large", 24 workers\)|differs from the instance type the user data sized its php-fpm pool for \("m7g\.large", 24 workers\)/,
    );
  });

  test("GIVEN no maxChildren THEN the pool comes from the instance type and Apache's limits follow it", () => {
    const micro = renderInventoryUserData(SAMPLE_PROPS);
    const large = renderInventoryUserData({ ...SAMPLE_PROPS, instanceType: "m7g.large" });
    expect([poolOf(micro), poolOf(large)]).toEqual([8, 24]);
    expect(poolOf(renderInventoryUserData({ ...SAMPLE_PROPS, instanceType: "m7g.large", maxChildren: 5 }))).toBe(5);
    const site = userDataFile(large, HTTPD_SITE_PATH);
    const directive = (name: string): number => Number(new RegExp(`^\\s*${name} (\\d+)$`, "m").exec(site)![1]);
    // At least two Apache threads per PHP worker, within what the event MPM can run (ServerLimit × ThreadsPerChild).
    expect(directive("MaxRequestWorkers")).toBeGreaterThanOrEqual(2 * 24);
    expect(directive("MaxRequestWorkers")).toBeLessThanOrEqual(directive("ServerLimit") * directive("ThreadsPerChild"));
    expect(directive("MaxRequestWorkers") % directive("ThreadsPerChild")).toBe(0);
  });

  test("GIVEN a database object that gives no instance class or max_connections THEN no budget is checked (nothing to check against)", () => {
    const s = testStack();
    const net = new HaVpc(s, "Net", { azs: AZS });
    const external = { clusterEndpoint: "db.example.internal", port: 3306, databaseName: "shop", masterUsername: "app", secretArn: SAMPLE_PROPS.secretArn };
    expect(() => new AppTier(s, "App", { vpc: net, maxCapacity: 40, userData: inventoryUserDataFor(external, { region: "us-east-1", maxChildren: 100 }) })).not.toThrow();
  });

  test("the table has AWS's published values for the classes lab, dev and the module default use", () => {
    expect(auroraMysqlMaxConnections("db.t4g.medium")).toBe(90);
    expect(auroraMysqlMaxConnections("db.r6g.large")).toBe(1000);
    expect(auroraMysqlMaxConnections("db.t3.small")).toBe(45);
    expect(auroraMysqlMaxConnections("toString")).toBeUndefined();
    expect(Object.values(AURORA_MYSQL_MAX_CONNECTIONS).every((n) => Number.isInteger(n) && n > 0 && n <= 16000)).toBe(true);
  });
});
