/**
 * inventoryUserDataFor(database): the region comes from the HaStack the database is in, so the
 * stack's region is written once.
 */
import { ValidationError } from "../lib/errors";
import { AuroraCluster } from "../modules/aurora-cluster";
import { HaVpc } from "../modules/ha-vpc";
import { inventoryUserDataFor } from "../modules/inventory-app";
import { parseUserData } from "./helpers/inventory-app/php-app";
import { testStack } from "./helpers/template";

function databaseIn(region: string): AuroraCluster {
  const stack = testStack({ region });
  const network = new HaVpc(stack, "Net", { azs: [`${region}a`, `${region}b`] });
  return new AuroraCluster(stack, "Db", { vpc: network });
}

/** The region the app's config file holds. */
function configRegion(userData: string): string {
  const config = parseUserData(userData).write_files.find((f) => f.path === "/etc/inventory-app/config.json");
  return JSON.parse(config!.content).region;
}

describe("inventoryUserDataFor", () => {
  test("GIVEN a database in an HaStack in eu-west-1 and no region THEN the app's config says eu-west-1", () => {
    expect(configRegion(inventoryUserDataFor(databaseIn("eu-west-1")))).toBe("eu-west-1");
    expect(configRegion(inventoryUserDataFor(databaseIn("ap-southeast-2"), { appPort: 8080 }))).toBe("ap-southeast-2");
  });

  test("GIVEN the stack's region explicitly THEN it is accepted as before", () => {
    expect(configRegion(inventoryUserDataFor(databaseIn("eu-west-1"), { region: "eu-west-1" }))).toBe("eu-west-1");
  });

  test("GIVEN a region other than the database's stack THEN it fails naming both and the fix", () => {
    expect(() => inventoryUserDataFor(databaseIn("eu-west-1"), { region: "us-east-1" })).toThrow(ValidationError);
    expect(() => inventoryUserDataFor(databaseIn("eu-west-1"), { region: "us-east-1" })).toThrow(
      'inventoryUserDataFor: options.region ("us-east-1") differs from the region of the database\'s HaStack ("eu-west-1"); omit options.region, or pass "eu-west-1"',
    );
  });

  test("GIVEN a database outside any HaStack and no region THEN it fails asking for options.region", () => {
    const database = {
      clusterEndpoint: "db.cluster-abc.eu-west-1.rds.amazonaws.com",
      port: 3306,
      databaseName: "inventory",
      masterUsername: "dbadmin",
      secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc-AbCdEf",
    };
    expect(() => inventoryUserDataFor(database)).toThrow(/options\.region \(undefined\) cannot default: the database is not in an HaStack; pass options\.region/);
    expect(configRegion(inventoryUserDataFor(database, { region: "eu-west-1" }))).toBe("eu-west-1");
  });
});
