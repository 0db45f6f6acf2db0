/** A node of a parsed flowchart, with the titles of the subgraphs around it, outermost first. */
export interface ParsedNode {
  readonly id: string;
  readonly label: string;
  readonly groups: string[];
}

export interface ParsedEdge {
  readonly from: string;
  readonly arrow: string;
  readonly label?: string;
  readonly to: string;
}

/**
 * Reads back the subset of Mermaid flowchart syntax lib/diagram.ts writes, and throws where a
 * renderer would fail or draw something else: an unbalanced subgraph, a duplicate id, an edge to an
 * undeclared node, a line it does not understand.
 */
export function parseFlowchart(text: string): { nodes: Map<string, ParsedNode>; edges: ParsedEdge[] } {
  const lines = text.trimEnd().split("\n");
  if (lines[0] !== "flowchart TB") throw new Error(`not a flowchart: ${lines[0]}`);
  const nodes = new Map<string, ParsedNode>();
  const edges: ParsedEdge[] = [];
  const groups: string[] = [];
  const groupIds = new Set<string>();
  const declare = (id: string) => {
    if (nodes.has(id) || groupIds.has(id)) throw new Error(`duplicate id ${id}`);
  };
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^subgraph ([A-Za-z0-9_]+)\["([^"]*)"\]$/.exec(line))) {
      declare(m[1]);
      groupIds.add(m[1]);
      groups.push(m[2]);
    } else if (line === "end") {
      if (!groups.pop()) throw new Error("end without subgraph");
    } else if ((m = /^([A-Za-z0-9_]+) (-->|-\.-|==>|---|-\.->)(?:\|"([^"]*)"\|)? ([A-Za-z0-9_]+)$/.exec(line))) {
      edges.push({ from: m[1], arrow: m[2], label: m[3], to: m[4] });
    } else if ((m = /^([A-Za-z0-9_]+)(\(\(|\[\(|\(\[|\[\[|\[\/|\{\{|\[)"([^"]*)"(\)\)|\)\]|\]\)|\]\]|\/\]|\}\}|\])$/.exec(line))) {
      declare(m[1]);
      nodes.set(m[1], { id: m[1], label: m[3], groups: [...groups] });
    } else if (!/^(class [A-Za-z0-9_,]+ [a-z]+|classDef [a-z]+ .+)$/.test(line)) {
      throw new Error(`unexpected line: ${line}`);
    }
  }
  if (groups.length) throw new Error(`unclosed subgraph ${groups.join(" > ")}`);
  for (const e of edges) {
    for (const end of [e.from, e.to]) if (!nodes.has(end)) throw new Error(`edge to undeclared node ${end}`);
  }
  return { nodes, edges };
}
