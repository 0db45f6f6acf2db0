/**
 * Aurora MySQL's default `max_connections` per instance size, from the AWS documentation table
 * "Maximum connections to an Aurora MySQL DB instance" (the default parameter group derives it
 * from the class's memory). Burstable classes (db.t*) and memory-optimised classes (db.r*, db.x2g)
 * differ, so the table is keyed by family then size.
 */
export const AURORA_MYSQL_MAX_CONNECTIONS: Readonly<Record<"burstable" | "memory", Readonly<Record<string, number>>>> = {
  burstable: { small: 45, medium: 90, large: 135 },
  memory: {
    large: 1000,
    xlarge: 2000,
    "2xlarge": 3000,
    "4xlarge": 4000,
    "8xlarge": 5000,
    "12xlarge": 6000,
    "16xlarge": 6000,
    "24xlarge": 7000,
  },
};

/** The default max_connections of an Aurora MySQL instance class; undefined when not in the table. */
export function defaultMaxConnections(instanceClass: string): number | undefined {
  const match = /^db\.([a-z]+)(\d+)[a-z]*\.([0-9a-z]+)$/.exec(instanceClass);
  if (!match) return undefined;
  const [, family, , size] = match;
  const table = family === "t" ? AURORA_MYSQL_MAX_CONNECTIONS.burstable : family === "r" || family === "x" ? AURORA_MYSQL_MAX_CONNECTIONS.memory : undefined;
  return table?.[size];
}
