/**
 * `npm run drill`'s start/poll path against the local AWS emulator (moto 5.2.3 models FIS
 * templates and experiments, and CloudWatch alarms): a template and an alarm are created through
 * the SDK, then the command's own functions start the experiment through HA_AWS_ENDPOINT and
 * poll it to its end. Without the emulator the suite skips with a message; under CI=true it fails.
 */
import * as fs from "fs";
import * as path from "path";
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand } from "@aws-sdk/client-fis";
import { ENDPOINT_VARIABLE, FINAL_STATES, drillClients, startAndWatch, templateIdFromOutputs } from "../scripts/drill";
import { ManagedProcess } from "./helpers/inventory-app/procs";
import { canConnect, freePort, waitFor } from "./helpers/inventory-app/net";
import { isCi } from "./helpers/inventory-app/deps";

const ROOT = path.resolve(__dirname, "..");
/** `../shared/emulator/moto-server` beside the clone (CI), or MOTO_SERVER; see ../shared/emulator/README.md. */
const EMULATOR = process.env.MOTO_SERVER || path.resolve(ROOT, "../shared/emulator/moto-server");
const REGION = "us-east-1";

function emulatorAvailable(): boolean {
  try {
    fs.accessSync(EMULATOR, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const missing = `moto 5.2.3 emulator not found at ${EMULATOR}; set MOTO_SERVER to its moto-server (or pip install "moto[server]==5.2.3" and point MOTO_SERVER at moto_server)`;

if (!emulatorAvailable()) {
  if (isCi()) {
    test("has the AWS emulator (CI=true: a missing emulator fails, it does not skip)", () => {
      throw new Error(missing);
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED drill-command.test.ts: ${missing}`);
    test.skip(`npm run drill against the emulator (${missing})`, () => undefined);
  }
} else {
  describe("GIVEN the emulator and a drill template with an alarm stop condition", () => {
    let moto: ManagedProcess;
    let endpoint: string;
    let templateId: string;
    const alarmName = "drill-test-alb-5xx-rate";
    const saved = { ...process.env };

    beforeAll(async () => {
      const port = await freePort();
      moto = new ManagedProcess("moto", EMULATOR, ["-H", "127.0.0.1", "-p", String(port)], {
        env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
      });
      await waitFor("the emulator to listen", () => canConnect(port), 60_000, 200);
      endpoint = `http://127.0.0.1:${port}`;
      // Mock credentials for the SDK's default chain; nothing leaves the loopback address.
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: REGION });
      delete process.env.AWS_PROFILE;

      const cloudwatch = new CloudWatchClient({ region: REGION, endpoint });
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: alarmName,
          Namespace: "AWS/ApplicationELB",
          MetricName: "HTTPCode_ELB_5XX_Count",
          Statistic: "Sum",
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 5,
          ComparisonOperator: "GreaterThanThreshold",
        }),
      );
      const fis = new FisClient({ region: REGION, endpoint });
      const created = await fis.send(
        new CreateExperimentTemplateCommand({
          description: "instance loss, as FailureDrills builds it",
          roleArn: "arn:aws:iam::123456789012:role/drill",
          stopConditions: [{ source: "aws:cloudwatch:alarm", value: `arn:aws:cloudwatch:${REGION}:123456789012:alarm:${alarmName}` }],
          targets: {
            AppInstances: {
              resourceType: "aws:ec2:instance",
              resourceTags: { "aws:autoscaling:groupName": "drill-app" },
              filters: [{ path: "State.Name", values: ["running"] }],
              selectionMode: "COUNT(1)",
            },
          },
          actions: { TerminateOneInstance: { actionId: "aws:ec2:terminate-instances", targets: { Instances: "AppInstances" } } },
          tags: { "ha-drill": "instance-loss" },
        }),
      );
      templateId = created.experimentTemplate!.id!;
    }, 90_000);

    afterAll(async () => {
      await moto?.stop();
      for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_PROFILE"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    });

    test("WHEN the drill starts through HA_AWS_ENDPOINT THEN it polls the experiment to its end and prints its state and the alarms'", async () => {
      const { fis, cloudwatch } = drillClients(REGION, { [ENDPOINT_VARIABLE]: endpoint });
      await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: "ALARM", StateReason: "drill test" }));
      const lines: string[] = [];
      const outputs = { drill_templates: { value: { "instance-loss": templateId } } };
      const result = await startAndWatch({
        fis,
        cloudwatch,
        templateId: templateIdFromOutputs(outputs, "instance-loss", "drill-test"),
        alarmNames: [alarmName, "drill-test-missing-alarm"],
        pollSeconds: 0.2,
        maxMinutes: 1,
        log: (line) => lines.push(line),
      });
      expect(FINAL_STATES).toContain(result.status);
      expect(result.timedOut).toBe(false);
      expect(result.alarmStates).toEqual({ [alarmName]: "ALARM", "drill-test-missing-alarm": "MISSING" });
      expect(lines[0]).toBe(`started experiment ${result.experimentId} from template ${templateId}`);
      expect(lines.join("\n")).toMatch(new RegExp(`experiment ${result.status}.*alarms: ALARM ${alarmName}`));
      // The experiment the command started is the emulator's, from this template.
      const seen = await fis.send(new GetExperimentCommand({ id: result.experimentId }));
      expect(seen.experiment?.experimentTemplateId).toBe(templateId);
      expect(seen.experiment?.tags).toEqual({ "started-by": "npm run drill" });
    }, 90_000);

    test("WHEN the template id is not in the outputs THEN it names the drills the deployed stack has", () => {
      expect(() => templateIdFromOutputs({ drill_templates: { value: { "instance-loss": "EXT1" } } }, "az-loss:us-east-1a", "dev")).toThrow(
        /no template for az-loss:us-east-1a \(it has instance-loss\)/,
      );
    });
  });
}
