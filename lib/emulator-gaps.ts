/**
 * Where the local emulator differs from AWS in a way that shows up in a second plan: an
 * attribute it does not store (it reads back empty, so Terraform wants to set it again) or one it
 * returns wrongly. Keyed by resource type + top-level attribute, so an entry excuses that one
 * attribute of that one type and nothing else: any other difference in the same resource, and any
 * create, delete or replacement, is still reported as a change.
 */
import { JsonResourceChange } from "./terraform-run";

/** One known difference between the emulator and AWS. */
export interface EmulatorGap {
  /** Terraform resource type, e.g. `aws_autoscaling_group`. */
  readonly resourceType: string;
  /** Top-level attribute of that type. */
  readonly attribute: string;
  /** What the emulator does instead of what AWS does. */
  readonly behaviour: string;
  /** The emulator version it was seen on. */
  readonly seenOn: string;
  /** Set when `../shared/emulator/fixes-5.2.3.patch` (MOTO_FIXES=1) corrects it; a pip install still shows it. */
  readonly fixedByPatch?: boolean;
}

const MOTO = "moto 5.2.3";
const NOT_STORED = "not stored: reads back empty, so the second plan sets it again";
const RULE_DESCRIPTION = "not stored on rules that reference a security group (CIDR rules keep it): reads back empty";

/** The list. README "Emulator gaps" renders the same entries. */
export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  { resourceType: "aws_autoscaling_group", attribute: "availability_zone_distribution", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_autoscaling_group", attribute: "default_instance_warmup", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_autoscaling_group", attribute: "instance_maintenance_policy", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_autoscaling_group", attribute: "capacity_reservation_specification", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_autoscaling_policy", attribute: "enabled", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_autoscaling_policy", attribute: "predictive_scaling_configuration", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_rds_cluster_instance", attribute: "performance_insights_enabled", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_rds_cluster_instance", attribute: "performance_insights_retention_period", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_rds_cluster_instance", attribute: "performance_insights_kms_key_id", behaviour: NOT_STORED, seenOn: MOTO },
  { resourceType: "aws_vpc_security_group_ingress_rule", attribute: "description", behaviour: RULE_DESCRIPTION, seenOn: MOTO },
  { resourceType: "aws_vpc_security_group_egress_rule", attribute: "description", behaviour: RULE_DESCRIPTION, seenOn: MOTO },
  {
    resourceType: "aws_autoscaling_group",
    attribute: "instance_refresh",
    behaviour:
      "StartInstanceRefresh and DescribeInstanceRefreshes are not implemented (HTTP 500): an apply that changes the launch " +
      "template of a group with instance_refresh hangs, so deployLocal's teardown apply targets only what the teardown build changes",
    seenOn: MOTO,
  },
  {
    resourceType: "aws_launch_template",
    attribute: "tag_specifications",
    behaviour: "copies the request's top-level TagSpecifications (those tagging the template itself) into the launch data",
    seenOn: MOTO,
    fixedByPatch: true,
  },
  {
    resourceType: "aws_rds_cluster",
    attribute: "scaling_configuration",
    behaviour: "returns ScalingConfigurationInfo for provisioned clusters (AWS: Serverless v1 only)",
    seenOn: MOTO,
    fixedByPatch: true,
  },
];

/** A resource the second plan would change, with the attributes that differ. */
export interface ReplanChange {
  readonly address: string;
  readonly type: string;
  readonly actions: string[];
  /** Top-level attributes whose planned value differs from state (empty for create/delete). */
  readonly attributes: string[];
}

/** The second plan, split into real changes and changes the gap list explains. */
export interface ReplanClassification {
  /** Changes real AWS would show too: drift, perpetual diffs, anything not in the list. */
  readonly changes: ReplanChange[];
  /** In-place updates whose every differing attribute is a listed gap of that type. */
  readonly gaps: ReplanChange[];
}

/**
 * Splits a second plan's resource changes by the gap list. An in-place update is a gap when every
 * attribute it changes to a known value is listed for its type. Attributes that are only "known
 * after apply" are knock-ons of another change in the same plan (a gap re-reads a data source, a
 * launch template's new version): they never make a change real by themselves, and that other
 * change is classified on its own, so a real change cannot hide behind one.
 */
export function classifyReplan(
  resourceChanges: readonly JsonResourceChange[],
  gaps: readonly EmulatorGap[] = EMULATOR_GAPS,
): ReplanClassification {
  const changes: ReplanChange[] = [];
  const explained: ReplanChange[] = [];
  const knockOns: ReplanChange[] = [];
  for (const rc of resourceChanges) {
    const actions = rc.change.actions;
    if (actions.length === 1 && (actions[0] === "no-op" || actions[0] === "read")) continue;
    if (!(actions.length === 1 && actions[0] === "update")) {
      changes.push({ address: rc.address, type: rc.type, actions, attributes: [] });
      continue;
    }
    const { known, unknown } = changedAttributes(rc);
    const change = { address: rc.address, type: rc.type, actions, attributes: [...known, ...unknown].sort() };
    if (known.length === 0 && unknown.length > 0) knockOns.push(change);
    else if (known.length > 0 && known.every((a) => gaps.some((g) => g.resourceType === rc.type && g.attribute === a))) {
      explained.push(change);
    } else changes.push({ ...change, attributes: known.length ? known : change.attributes });
  }
  // A value unknown until apply needs a cause elsewhere in the plan; with none, report it.
  if (changes.length === 0 && explained.length === 0) changes.push(...knockOns);
  else explained.push(...knockOns);
  return { changes, gaps: explained };
}

/** Top-level attributes whose planned value differs from state: to a known value, or only where the plan leaves values unknown. */
function changedAttributes(rc: JsonResourceChange): { known: string[]; unknown: string[] } {
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknownMarks = rc.change.after_unknown ?? {};
  const known: string[] = [];
  const unknown: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const difference = compare(before[key], after[key], unknownMarks[key]);
    if (difference === "different") known.push(key);
    else if (difference === "unknown") unknown.push(key);
  }
  return { known: known.sort(), unknown: unknown.sort() };
}

type Difference = "same" | "unknown" | "different";

/** Compares a state value with a planned one; `marks` is the matching part of after_unknown. */
function compare(before: unknown, after: unknown, marks: unknown): Difference {
  if (marks === true) return "unknown";
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = Array.isArray(before) ? before : isEmpty(before) ? [] : [before];
    const a = Array.isArray(after) ? after : isEmpty(after) ? [] : [after];
    if (b.length !== a.length) return "different";
    return combine(b.map((item, i) => compare(item, a[i], Array.isArray(marks) ? marks[i] : undefined)));
  }
  if (isObject(before) && isObject(after)) {
    const m = isObject(marks) ? marks : {};
    return combine([...new Set([...Object.keys(before), ...Object.keys(after)])].map((k) => compare(before[k], after[k], m[k])));
  }
  if (isEmpty(before) && isEmpty(after)) return "same";
  return JSON.stringify(before) === JSON.stringify(after) ? "same" : "different";
}

function combine(results: Difference[]): Difference {
  if (results.includes("different")) return "different";
  return results.includes("unknown") ? "unknown" : "same";
}

/** Terraform shows an absent value as null or [] depending on the side; both mean "none". */
function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
