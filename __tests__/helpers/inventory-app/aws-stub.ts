/**
 * Local stand-ins for the instance metadata service (IMDSv2) and Secrets
 * Manager, on 127.0.0.1. Secrets Manager requests are checked the way AWS
 * would: a complete SigV4 signature recomputed from the request, the
 * instance role's session token, the operation and the secret ARN.
 */
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { LOOPBACK } from "./net";

export interface SigV4Input {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** lower-case header name -> value, as received */
  readonly headers: Readonly<Record<string, string>>;
  readonly signedHeaders: readonly string[];
  readonly body: string;
  readonly amzDate: string;
  readonly region: string;
  readonly service: string;
  readonly secretAccessKey: string;
}

const sha256 = (s: string): string => crypto.createHash("sha256").update(s, "utf8").digest("hex");
const hmac = (key: Buffer | string, s: string): Buffer => crypto.createHmac("sha256", key).update(s, "utf8").digest();

/** An independent SigV4 implementation (for path "/" as the app uses it), to check the app's. */
export function sigv4Signature(i: SigV4Input): string {
  const canonicalHeaders = i.signedHeaders.map((h) => `${h}:${(i.headers[h] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const canonicalRequest = [i.method, i.path, i.query, canonicalHeaders, i.signedHeaders.join(";"), sha256(i.body)].join("\n");
  const date = i.amzDate.slice(0, 8);
  const scope = `${date}/${i.region}/${i.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", i.amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${i.secretAccessKey}`, date);
  for (const part of [i.region, i.service, "aws4_request"]) key = hmac(key, part);
  return hmac(key, stringToSign).toString("hex");
}

export interface AwsStubOptions {
  readonly region: string;
  readonly secretArn: string;
  readonly username: string;
  readonly password: string;
  readonly instanceId?: string;
  readonly availabilityZone?: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;
/** AWS rejects a signature whose date is more than 15 minutes off. */
const CLOCK_SKEW_MS = 15 * 60 * 1000;
const REQUIRED_SIGNED = ["host", "x-amz-date", "x-amz-target", "x-amz-security-token", "content-type"];

export class AwsStub {
  readonly instanceId: string;
  readonly availabilityZone: string;
  readonly roleName = "inventory-app-instance-role";
  readonly accessKeyId = "ASIATESTACCESSKEY000";
  readonly secretAccessKey = crypto.randomBytes(30).toString("base64");
  readonly sessionToken = crypto.randomBytes(48).toString("base64");
  password: string;
  /** Simulates a Secrets Manager outage: every call gets 503 (not counted as a rejection). */
  secretsManagerDown = false;
  /** Request counts, so tests can check caching and the token flow. */
  readonly counts = { imdsToken: 0, instanceId: 0, availabilityZone: 0, credentials: 0, getSecretValue: 0, rejected: 0 };
  /** Why requests were refused (a test fails if the app's signature was ever wrong). */
  readonly rejections: string[] = [];
  private readonly imdsTokens = new Set<string>();
  private server?: http.Server;
  url = "";

  constructor(private readonly opts: AwsStubOptions) {
    this.password = opts.password;
    this.instanceId = opts.instanceId ?? "i-0a1b2c3d4e5f67890";
    this.availabilityZone = opts.availabilityZone ?? `${opts.region}b`;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, LOOPBACK, resolve));
    this.url = `http://${LOOPBACK}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private send(res: http.ServerResponse, status: number, body: string, type = "text/plain"): void {
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body);
  }

  private reject(res: http.ServerResponse, status: number, type: string, why: string): void {
    this.counts.rejected++;
    this.rejections.push(why);
    this.send(res, status, JSON.stringify({ __type: type, message: why }), "application/x-amz-json-1.1");
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = req.url ?? "/";
    if (url.startsWith("/latest/")) return this.imds(req, url, res);
    if (req.method === "POST" && url === "/") {
      if (this.secretsManagerDown) return this.send(res, 503, JSON.stringify({ __type: "ServiceUnavailable" }), "application/x-amz-json-1.1");
      return this.secretsManager(req, body, res);
    }
    this.send(res, 404, "not found");
  }

  private imds(req: http.IncomingMessage, url: string, res: http.ServerResponse): void {
    if (url === "/latest/api/token") {
      const ttl = Number(req.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
      if (req.method !== "PUT" || !(ttl >= 1 && ttl <= 21600)) return this.send(res, 400, "bad token request");
      const token = crypto.randomBytes(24).toString("base64");
      this.imdsTokens.add(token);
      this.counts.imdsToken++;
      return this.send(res, 200, token);
    }
    // IMDSv2 only: every metadata read needs a token from the PUT above.
    if (req.method !== "GET" || !this.imdsTokens.has(String(req.headers["x-aws-ec2-metadata-token"] ?? ""))) return this.send(res, 401, "unauthorized");
    const credsPath = "/latest/meta-data/iam/security-credentials/";
    switch (url) {
      case "/latest/meta-data/instance-id":
        this.counts.instanceId++;
        return this.send(res, 200, this.instanceId);
      case "/latest/meta-data/placement/availability-zone":
        this.counts.availabilityZone++;
        return this.send(res, 200, this.availabilityZone);
      case credsPath:
        return this.send(res, 200, this.roleName);
      case credsPath + this.roleName:
        this.counts.credentials++;
        return this.send(
          res,
          200,
          JSON.stringify({
            Code: "Success",
            Type: "AWS-HMAC",
            AccessKeyId: this.accessKeyId,
            SecretAccessKey: this.secretAccessKey,
            Token: this.sessionToken,
            Expiration: new Date(Date.now() + 3600_000).toISOString(),
          }),
        );
      default:
        return this.send(res, 404, "not found");
    }
  }

  private secretsManager(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) h[k] = Array.isArray(v) ? v.join(",") : String(v ?? "");
    const m = AUTH.exec(h.authorization ?? "");
    if (!m) return this.reject(res, 400, "IncompleteSignatureException", `no SigV4 Authorization header: ${JSON.stringify(h.authorization ?? null)}`);
    const [, keyId, date, region, service, signedList, signature] = m;
    const signed = signedList.split(";");
    const amzDate = h["x-amz-date"] ?? "";
    const when = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
    const problem =
      keyId !== this.accessKeyId ? `unknown access key ${keyId}`
      : region !== this.opts.region || service !== "secretsmanager" ? `wrong scope ${region}/${service}`
      : !amzDate.startsWith(date) || !(Math.abs(Date.now() - when) < CLOCK_SKEW_MS) ? `bad x-amz-date ${amzDate}`
      : REQUIRED_SIGNED.find((x) => !signed.includes(x)) ? `header ${REQUIRED_SIGNED.find((x) => !signed.includes(x))} is not signed`
      : [...signed].sort().join(";") !== signedList ? "signed headers are not sorted"
      : h["x-amz-security-token"] !== this.sessionToken ? "wrong session token"
      : undefined;
    if (problem) return this.reject(res, 403, "InvalidSignatureException", problem);
    const expected = sigv4Signature({
      method: req.method ?? "",
      path: (req.url ?? "/").split("?")[0],
      query: (req.url ?? "").split("?")[1] ?? "",
      headers: h,
      signedHeaders: signed,
      body,
      amzDate,
      region,
      service,
      secretAccessKey: this.secretAccessKey,
    });
    if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
      return this.reject(res, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
    }
    if (h["x-amz-target"] !== "secretsmanager.GetSecretValue" || h["content-type"] !== "application/x-amz-json-1.1") {
      return this.reject(res, 400, "UnknownOperationException", `target ${h["x-amz-target"]}, content-type ${h["content-type"]}`);
    }
    let secretId: unknown;
    try {
      secretId = JSON.parse(body).SecretId;
    } catch {
      return this.reject(res, 400, "SerializationException", "body is not JSON");
    }
    if (secretId !== this.opts.secretArn) return this.reject(res, 400, "ResourceNotFoundException", `no secret ${String(secretId)}`);
    this.counts.getSecretValue++;
    this.send(
      res,
      200,
      JSON.stringify({
        ARN: this.opts.secretArn,
        Name: this.opts.secretArn.split(":secret:")[1],
        SecretString: JSON.stringify({ username: this.opts.username, password: this.password }),
        VersionId: crypto.randomUUID(),
        VersionStages: ["AWSCURRENT"],
        CreatedDate: Date.now() / 1000,
      }),
      "application/x-amz-json-1.1",
    );
  }
}
