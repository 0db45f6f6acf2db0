import { Testing } from "cdktf";
import { InstanceRedundancy } from "../modules/app-tier";
import { DevStack, LabStack, loadStackConfig } from "../stacks";
import { SynthResource, Template } from "./helpers/template";

const ref = Template.ref;

function lab(env: NodeJS.ProcessEnv = {}): { stack: LabStack; t: Template } {
  const stack = new LabStack(Testing.app(), "lab", loadStackConfig(env));
  return { stack, t: Template.of(stack) };
}

function dev(): { stack: DevStack; t: Template } {
  const stack = new DevStack(Testing.app(), "dev", loadStackConfig({}));
  return { stack, t: Template.of(stack) };
}

/** The AZ of a resource that sits in one subnet, looked up through the subnet reference. */
function azOfSubnetRef(t: Template, subnetRef: string): string {
  const subnet = t.resources("aws_subnet").find((s) => ref(s) === subnetRef);
  if (!subnet) throw new Error(`no subnet behind ${subnetRef}`);
  return subnet.values.availability_zone;
}

/** The AZ whose NAT gateway a private route table sends internet traffic to, if any. */
function egressAzOfPrivateSubnet(t: Template, privateSubnet: SynthResource): string | undefined {
  const association = t.find("aws_route_table_association", { subnet_id: ref(privateSubnet) })[0];
  const route = t.find("aws_route", { route_table_id: association.values.route_table_id, destination_cidr_block: "0.0.0.0/0" })[0];
  if (!route?.values.nat_gateway_id) return undefined;
  const nat = t.resources("aws_nat_gateway").find((n) => ref(n) === route.values.nat_gateway_id)!;
  return azOfSubnetRef(t, nat.values.subnet_id);
}

describe.each([
  ["two AZs (the default)", {}, ["us-east-1a", "us-east-1b"]],
  ["three AZs", { HA_AZS: "us-east-1a,us-east-1b,us-east-1c" }, ["us-east-1a", "us-east-1b", "us-east-1c"]],
])("GIVEN the lab stack over %s", (_label, env, azs) => {
  const { stack, t } = lab(env);
  const alb = t.resource("aws_lb", "App/Alb");
  const asg = t.resource("aws_autoscaling_group", "App/AutoScalingGroup");
  const albAzs = (alb.values.subnets as string[]).map((s) => azOfSubnetRef(t, s));
  const asgAzs = (asg.values.vpc_zone_identifier as string[]).map((s) => azOfSubnetRef(t, s));

  test("the ALB (public subnets) and the Auto Scaling group (private subnets) span every configured AZ", () => {
    expect(stack.network.azs).toEqual(azs);
    expect(albAzs).toEqual(azs);
    expect(asgAzs).toEqual(azs);
    expect(alb.values.subnets).toEqual(azs.map((az) => ref(t.resource("aws_subnet", `${az}/PublicSubnet`))));
    expect(asg.values.vpc_zone_identifier).toEqual(azs.map((az) => ref(t.resource("aws_subnet", `${az}/PrivateSubnet`))));
  });

  test("the tier keeps at least one instance per AZ (lab defaults, production intent)", () => {
    expect(stack.app.redundancy).toBe(InstanceRedundancy.PER_AZ);
    expect(asg.values.min_size).toBe(azs.length);
    expect(asg.values.desired_capacity).toBe(azs.length);
    expect(asg.values.max_size).toBe(2 * azs.length);
    expect(alb.values.enable_deletion_protection).toBe(true);
    expect(alb.values.access_logs.enabled).toBe(true);
  });

  test.each(azs.map((az) => [az]))("WHEN AZ %s is lost THEN the ALB and app capacity remain in the others", (lost) => {
    const survivors = azs.filter((az) => az !== lost);
    // The ALB keeps nodes in every surviving AZ's public subnet.
    expect(albAzs.filter((az) => az !== lost)).toEqual(survivors);
    // Instances already run there: a balanced group puts at most ceil(min / AZs) in the lost AZ.
    const min = asg.values.min_size as number;
    expect(min - Math.ceil(min / azs.length)).toBeGreaterThanOrEqual(1);
    // The group may launch replacements there, and is told to when an AZ is impaired.
    expect(asgAzs.filter((az) => az !== lost)).toEqual(survivors);
    expect(asg.values.availability_zone_distribution.capacity_distribution_strategy).toBe("balanced-best-effort");
    expect(alb.values.enable_zonal_shift).toBe(true);
    // The surviving instances still reach packages, SSM and Secrets Manager through a NAT gateway
    // in a surviving AZ.
    expect(survivors).toHaveLength(azs.length - 1);
    for (const az of survivors) {
      const egressAz = egressAzOfPrivateSubnet(t, t.resource("aws_subnet", `${az}/PrivateSubnet`));
      expect(egressAz).toBeDefined();
      expect(egressAz).not.toBe(lost);
    }
  });
});

describe("GIVEN the dev stack", () => {
  const { stack, t } = dev();
  const asg = t.resource("aws_autoscaling_group", "App/AutoScalingGroup");
  const alb = t.resource("aws_lb", "App/Alb");

  test("the app tier runs one instance (max 2) by the explicit reduced-redundancy choice", () => {
    expect(stack.app.redundancy).toBe(InstanceRedundancy.REDUCED);
    expect(asg.values).toMatchObject({ min_size: 1, desired_capacity: 1, max_size: 2 });
  });

  test("the ALB and the group still span every AZ, so a replacement can start in the other AZ", () => {
    expect((alb.values.subnets as string[]).map((s) => azOfSubnetRef(t, s))).toEqual([...stack.network.azs]);
    expect((asg.values.vpc_zone_identifier as string[]).map((s) => azOfSubnetRef(t, s))).toEqual([...stack.network.azs]);
  });

  test("the development intent leaves deletion protection and access logs off, so it tears down cleanly", () => {
    expect(alb.values.enable_deletion_protection).toBe(false);
    expect(alb.values.access_logs).toBeUndefined();
    expect(t.count("aws_s3_bucket")).toBe(0);
  });
});

describe("stack outputs", () => {
  test.each([
    ["lab", () => lab().t],
    ["dev", () => dev().t],
  ])("%s outputs the ALB DNS name, the app URL and the Auto Scaling group name", (_name, build) => {
    const t = build();
    const alb = t.resource("aws_lb", "App/Alb");
    expect(t.json.output.alb_dns_name.value).toBe(ref(alb, "dns_name"));
    expect(t.json.output.app_url.value).toBe(`http://${ref(alb, "dns_name")}`);
    expect(t.json.output.app_autoscaling_group_name.value).toBe(
      ref(t.resource("aws_autoscaling_group", "App/AutoScalingGroup"), "name"),
    );
  });

  test("the two stacks' ALBs have different names, so both fit one account and region", () => {
    expect(lab().t.resource("aws_lb", "App/Alb").values.name).toBe("lab-app");
    expect(dev().t.resource("aws_lb", "App/Alb").values.name).toBe("dev-app");
  });
});
