/**
 * Change safety, proven by Terraform: each `before` stack is applied to Terraform's mock AWS
 * provider and the edited stack planned against that state (planChangeOffline), the way a team
 * applies, edits its AZ list and plans. (lab's reorder is pinned by the synth test in
 * stacks.test.ts: the reordered stack synthesizes to identical JSON, so no plan is needed.)
 */
import { Testing } from "cdktf";
import { planChangeOffline } from "../lib/plan-offline";
import { AuroraCluster } from "../modules/aurora-cluster";
import { HaVpc } from "../modules/ha-vpc";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { testStack } from "./helpers/template";
import { describeWithTerraform } from "./helpers/terraform";

const AB = ["us-east-1a", "us-east-1b"];
const BA = ["us-east-1b", "us-east-1a"];

describeWithTerraform("GIVEN a deployed stack WHEN its AZ list changes THEN Terraform plans no change to what exists", () => {
  test("dev: reversing the AZ list changes nothing (the single NAT gateway, its EIP and the Aurora writer stay)", async () => {
    const changes = await planChangeOffline(
      new DevStack(Testing.app(), "dev", { region: "us-east-1", azs: AB }),
      new DevStack(Testing.app(), "dev", { region: "us-east-1", azs: BA }),
    );
    expect(changes).toEqual([]);
  });

  test("lab (every drill and alarm, both Aurora instances, both NAT gateways): reversing the AZ list changes nothing", async () => {
    const changes = await planChangeOffline(
      new LabStack(Testing.app(), "lab", { region: "us-east-1", azs: AB }),
      new LabStack(Testing.app(), "lab", { region: "us-east-1", azs: BA }),
    );
    expect(changes).toEqual([]);
  });

  test("Aurora, three instances pinned over a, b: appending c (and listing the AZs in another order) only adds, and no instance moves", async () => {
    const cluster = (azs: string[], instanceAzs: string[]) => {
      const stack = testStack({}, "db");
      new AuroraCluster(stack, "Database", { vpc: new HaVpc(stack, "Net", { azs }), instanceAzs });
      return stack;
    };
    const changes = await planChangeOffline(
      cluster(AB, ["us-east-1a", "us-east-1b", "us-east-1a"]),
      cluster(["us-east-1c", ...BA], ["us-east-1a", "us-east-1b", "us-east-1a", "us-east-1c"]),
    );
    expect(changes.filter((c) => c.type === "aws_rds_cluster_instance")).toEqual([
      { address: expect.stringContaining("Database_Instance4"), type: "aws_rds_cluster_instance", actions: ["create"] },
    ]);
    // The third AZ's network is added; the DB subnet group gains its subnet in place.
    expect(changes.filter((c) => c.actions.includes("delete"))).toEqual([]);
    expect(changes.filter((c) => c.actions.includes("update")).map((c) => c.type)).toEqual(["aws_db_subnet_group"]);
  });
});
