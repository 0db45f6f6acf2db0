import { Construct } from "constructs";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { AppTier, InstanceRedundancy } from "../modules/app-tier";
import { AuroraCluster, DatabaseAvailability } from "../modules/aurora-cluster";
import { DrillKind, FailureDrills } from "../modules/drills";
import { Guardrails } from "../modules/guardrails";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { inventoryUserDataFor } from "../modules/inventory-app";
import { HaMonitoring } from "../modules/monitoring";
import { LabStackProps } from "./lab";
import { REFERENCE_PROJECT } from "./config";
import { appOutputs, databaseOutputs, drillOutputs, networkOutputs } from "./outputs";

/** Properties of {@link DevStack}. */
export type DevStackProps = LabStackProps;

/**
 * The cheaper layout: the same modules as `lab`, with each cost-over-HA trade-off named here.
 * - `StackIntent.DEVELOPMENT`: no deletion protection, final snapshot or ALB access logs, so it
 *   tears down cleanly.
 * - `NatGatewayMode.SINGLE`: one NAT gateway; losing its AZ cuts private egress in every AZ.
 * - VPC endpoints: the free S3 gateway endpoint (HaVpc's default: packages install without the NAT)
 *   and no interface endpoint. A Secrets Manager endpoint would cost 2 AZs × 0.01 USD/hour = 14.60
 *   USD a month (us-east-1, aws.amazon.com/privatelink/pricing), a second NAT gateway 32.85 (0.045
 *   USD/hour, aws.amazon.com/vpc/pricing), and it would change nothing dev loses: the NAT and the
 *   only Aurora instance share the first AZ, so losing it takes the database down anyway (a
 *   password is no use without it), and a replacement instance in the other AZ could not fetch the
 *   RDS CA bundle without NAT either; losing the other AZ leaves the NAT up. The report test
 *   "dev's choice" (__tests__/guardrails-report-endpoints.test.ts) shows the losses are the same.
 * - `InstanceRedundancy.REDUCED` with one instance (max 2): losing that instance or its AZ takes
 *   the app down until the ASG has booted a replacement (minutes).
 * - `DatabaseAvailability.SINGLE_INSTANCE` on `db.t4g.medium`: one Aurora instance, no failover
 *   replica; losing it or its AZ takes the database down (the module warns at synth).
 * - Drills: only `DrillKind.INSTANCE_LOSS`. There is no reader to fail over to, and the report
 *   already predicts that losing either AZ costs service, so dev does not rehearse a database
 *   failover or an AZ loss (each AZ row of the report shows no drill); the alarms are the same as lab's.
 *
 * Each trade-off that breaks an HA or security rule is suppressed here with its reason, so the
 * synth passes and the report (`npm run report`) still lists it.
 */
export class DevStack extends HaStack {
  public readonly network: HaVpc;
  public readonly database: AuroraCluster;
  public readonly app: AppTier;
  public readonly monitoring: HaMonitoring;
  public readonly drills: FailureDrills;

  constructor(scope: Construct, id: string, props: DevStackProps) {
    super(scope, id, {
      region: props.region,
      environment: "dev",
      project: REFERENCE_PROJECT,
      backend: props.backend,
      intent: StackIntent.DEVELOPMENT,
      localEndpoint: props.localEndpoint,
      teardown: props.teardown,
    });
    this.network = new HaVpc(this, "Network", {
      name: id,
      azs: props.azs,
      natGateways: NatGatewayMode.SINGLE,
    });
    Guardrails.suppress(
      this.network,
      "HA-NAT-1",
      "dev runs one NAT gateway to save one gateway's hourly and data charges per extra AZ; losing the NAT's AZ cuts private egress of the other AZs until it is back",
    );

    this.database = new AuroraCluster(this, "Database", {
      vpc: this.network,
      availability: DatabaseAvailability.SINGLE_INSTANCE,
      instanceClass: "db.t4g.medium",
    });
    Guardrails.suppress(
      this.database,
      "HA-DB-1",
      "dev runs a single Aurora instance to halve database cost; losing it or its AZ takes the database down until Aurora re-creates the instance",
    );
    Guardrails.suppress(
      this.database,
      "SEC-RDS-3",
      "dev is torn down and rebuilt freely (StackIntent.DEVELOPMENT); its data is disposable, so deletion protection is off",
    );

    this.app = new AppTier(this, "App", {
      vpc: this.network,
      name: `${id}-app`,
      userData: inventoryUserDataFor(this.database, { region: props.region }),
      redundancy: InstanceRedundancy.REDUCED,
      minCapacity: 1,
      desiredCapacity: 1,
      maxCapacity: 2,
    });
    Guardrails.suppress(
      this.app,
      "HA-ASG-2",
      "dev keeps one app instance to save cost; losing it or its AZ takes the app down until the ASG boots a replacement",
    );
    Guardrails.suppress(
      this.app,
      "SEC-ALB-3",
      "dev's ALB keeps no access logs (StackIntent.DEVELOPMENT) to avoid a log bucket that blocks teardown; nothing in dev needs an audit trail",
    );
    this.database.allowFrom(this.app);
    this.monitoring = new HaMonitoring(this, "Monitoring", { app: this.app, database: this.database });
    this.drills = new FailureDrills(this, "Drills", {
      network: this.network,
      app: this.app,
      database: this.database,
      monitoring: this.monitoring,
      drills: [DrillKind.INSTANCE_LOSS],
    });

    networkOutputs(this, this.network);
    databaseOutputs(this, this.database);
    appOutputs(this, this.app);
    drillOutputs(this, this.monitoring, this.drills);
  }
}
