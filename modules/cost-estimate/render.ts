import { ASSUMPTION_UNITS } from "./assumptions";
import { HaCostComparison, formatUsd as usd } from "./compare";
import { CostEstimate, CostLineItem } from "./estimate";

/** An estimate as Markdown: the line items, the total, assumptions, unpriced and per-run lines. */
export function renderCostMarkdown(estimate: CostEstimate): string {
  const lines: string[] = [];
  lines.push(
    `### Monthly cost estimate: ${estimate.region ?? "unknown region"}, on-demand list prices (USD)`,
    "",
    `Prices from the table recorded ${estimate.pricesRecorded} (each line's price carries its AWS page and date: ` +
      "`costEstimate.lines[].price` in ha-report.json); usage the stack cannot tell is assumed, as noted.",
    "",
    "| Line item | Resources | Quantity | Unit price | Monthly |",
    "|---|---|---|---|---|",
  );
  for (const line of estimate.lines.filter((l) => l.perRunUsd === undefined)) {
    const amount = line.monthlyUsd !== undefined ? usd(line.monthlyUsd) : "**unpriced**";
    lines.push(
      `| ${escape(line.item)}${line.assumption ? ` _(assumed: ${escape(line.assumption)})_` : ""}${line.unpriced ? `: ${escape(line.unpriced)}` : ""} ` +
        `| ${line.resources.length} | ${quantity(line)} | ${line.price ? `${usd4(line.price.usd)} / ${line.price.unit}` : "—"} | ${amount} |`,
    );
  }
  const partial = estimate.unpriced.length > 0 ? ` + ${estimate.unpriced.length} unpriced line(s)` : "";
  lines.push(`| **Total** | | | | **${usd(estimate.monthlyTotalUsd)}**${partial} |`, "");
  if (estimate.perRun.length > 0) {
    lines.push("Per experiment run (not monthly, not in the total):", "");
    for (const line of estimate.perRun) {
      lines.push(`- ${line.resources.join(", ")}: ${quantity(line)} × ${usd4(line.price!.usd)} = **${usd(line.perRunUsd!)} per run**`);
    }
    lines.push("");
  }
  const assumptions = Object.entries(estimate.assumptions)
    .map(([key, value]) => `\`${key}\` = ${value} ${ASSUMPTION_UNITS[key as keyof typeof ASSUMPTION_UNITS]}`)
    .join("; ");
  lines.push(`Assumptions: ${assumptions}.`, "");
  lines.push(`Not estimated: ${estimate.notEstimated.join("; ")}.`, "");
  return lines.join("\n");
}

/** The dev-vs-lab sentence and figures as Markdown. */
export function renderComparisonMarkdown(comparison: HaCostComparison): string {
  return [
    `## What HA costs: \`${comparison.candidate}\` against \`${comparison.baseline}\``,
    "",
    `| Stack | Monthly estimate | AZ losses that cost service |`,
    "|---|---|---|",
    `| ${comparison.baseline} | ${usd(comparison.baselineMonthlyUsd)} | ${lossCell(comparison.baselineLosses)} |`,
    `| ${comparison.candidate} | ${usd(comparison.candidateMonthlyUsd)} | ${lossCell(comparison.candidateLosses)} |`,
    "",
    `**${comparison.summary}**`,
    "",
  ].join("\n");
}

function lossCell(losses: HaCostComparison["baselineLosses"]): string {
  return losses.length === 0 ? "none" : losses.map((l) => `${l.lostAz}: ${l.loses.join(", ")}`).join("<br>");
}

function quantity(line: CostLineItem): string {
  const rounded = Math.round(line.quantity * 1000) / 1000;
  return `${rounded.toLocaleString("en-US")} ${line.unit}`;
}

/** Unit prices need more than cents ($0.0104/hour). */
function usd4(amount: number): string {
  return `$${Number(amount.toPrecision(6))}`;
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
