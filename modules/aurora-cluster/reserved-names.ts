/**
 * Names the master user may not take.
 *
 * RDS: CreateDBCluster's MasterUsername "can't be a reserved word for the chosen database engine"
 * (Amazon RDS API Reference, CreateDBCluster). For MySQL 8.0 those are the keywords marked (R) in
 * the MySQL 8.0 Reference Manual, "Keywords and Reserved Words" (section 11.3). Only the ones a
 * master user name can spell (letters and digits, no underscore) are listed. Note what is NOT
 * here: `ADMIN` has been non-reserved since MySQL 8.0.12 (Aurora MySQL 3 starts at 8.0.23) and is
 * the console's default; `root` is accepted by RDS.
 */
export const MYSQL_80_RESERVED_WORDS: ReadonlySet<string> = new Set(
  `
  ACCESSIBLE ADD ALL ALTER ANALYZE AND AS ASC ASENSITIVE
  BEFORE BETWEEN BIGINT BINARY BLOB BOTH BY
  CALL CASCADE CASE CHANGE CHAR CHARACTER CHECK COLLATE COLUMN CONDITION CONSTRAINT CONTINUE
  CONVERT CREATE CROSS CUBE CURSOR
  DATABASE DATABASES DEC DECIMAL DECLARE DEFAULT DELAYED DELETE DESC DESCRIBE DETERMINISTIC
  DISTINCT DISTINCTROW DIV DOUBLE DROP DUAL
  EACH ELSE ELSEIF EMPTY ENCLOSED ESCAPED EXCEPT EXISTS EXIT EXPLAIN
  FALSE FETCH FLOAT FLOAT4 FLOAT8 FOR FORCE FOREIGN FROM FULLTEXT FUNCTION
  GENERATED GET GRANT GROUP GROUPING GROUPS
  HAVING
  IF IGNORE IN INDEX INFILE INNER INOUT INSENSITIVE INSERT INT INT1 INT2 INT3 INT4 INT8 INTEGER
  INTERSECT INTERVAL INTO IS ITERATE
  JOIN
  KEY KEYS KILL
  LAG LATERAL LEAD LEADING LEAVE LEFT LIKE LIMIT LINEAR LINES LOAD LOCALTIME LOCALTIMESTAMP LOCK
  LONG LONGBLOB LONGTEXT LOOP
  MATCH MAXVALUE MEDIUMBLOB MEDIUMINT MEDIUMTEXT MIDDLEINT MOD MODIFIES
  NATURAL NOT NTILE NULL NUMERIC
  OF ON OPTIMIZE OPTION OPTIONALLY OR ORDER OUT OUTER OUTFILE OVER
  PARTITION PRECISION PRIMARY PROCEDURE PURGE
  RANGE RANK READ READS REAL RECURSIVE REFERENCES REGEXP RELEASE RENAME REPEAT REPLACE REQUIRE
  RESIGNAL RESTRICT RETURN REVOKE RIGHT RLIKE ROW ROWS
  SCHEMA SCHEMAS SELECT SENSITIVE SEPARATOR SET SHOW SIGNAL SMALLINT SPATIAL SPECIFIC SQL
  SQLEXCEPTION SQLSTATE SQLWARNING SSL STARTING STORED SYSTEM
  TABLE TERMINATED THEN TINYBLOB TINYINT TINYTEXT TO TRAILING TRIGGER TRUE
  UNDO UNION UNIQUE UNLOCK UNSIGNED UPDATE USAGE USE USING
  VALUES VARBINARY VARCHAR VARCHARACTER VARYING VIRTUAL
  WHEN WHERE WHILE WINDOW WITH WRITE
  XOR
  ZEROFILL
  `
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Accounts RDS creates itself and keeps for its own use: `rdsadmin` runs managed operations and
 * `rdsrepladmin` replication (Amazon RDS User Guide, "Common DBA tasks for MySQL DB instances",
 * section "Understanding predefined users"; Aurora MySQL clusters carry the same `rdsadmin`).
 */
export const RDS_RESERVED_USERS: ReadonlySet<string> = new Set(["rdsadmin", "rdsrepladmin"]);

/** Why a master user name is reserved, or undefined when it is free to use. */
export function reservedUsernameProblem(name: string): string | undefined {
  if (RDS_RESERVED_USERS.has(name.toLowerCase())) return "is an account RDS creates and manages itself";
  if (MYSQL_80_RESERVED_WORDS.has(name.toUpperCase())) return "is a MySQL 8.0 reserved word";
  return undefined;
}
