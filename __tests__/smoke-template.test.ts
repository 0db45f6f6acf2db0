import { HaVpc } from "../modules/ha-vpc";
import { Template, testStack } from "./helpers/template";

test("template helper finds subnets by path", () => {
  const stack = testStack();
  new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"] });
  const t = Template.of(stack);
  expect(t.count("aws_subnet")).toBe(6);
  expect(t.resource("aws_subnet", "us-east-1a/PrivateSubnet").values.cidr_block).toBe("10.0.0.0/20");
});
