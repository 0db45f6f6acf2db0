/**
 * A minimal form client for the app (no browser): it reads the CSRF cookie
 * and form tokens from a page and posts forms the way a browser would.
 * Every request has a timeout, so no test can hang on a stuck server.
 */
import * as crypto from "crypto";

const REQUEST_TIMEOUT_MS = 30000;

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly location: string | null;
}

export class FormClient {
  csrfCookie = "";
  csrfToken = "";

  constructor(readonly baseUrl: string) {}

  async get(path: string): Promise<Reply> {
    const r = await fetch(this.baseUrl + path, {
      redirect: "manual",
      headers: this.csrfCookie ? { cookie: `inventory_csrf=${this.csrfCookie}` } : {},
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const setCookie = /inventory_csrf=([0-9a-f]+)/.exec(r.headers.get("set-cookie") ?? "");
    if (setCookie) this.csrfCookie = setCookie[1];
    const body = await r.text();
    const field = /name="csrf_token" value="([0-9a-f]+)"/.exec(body);
    if (field) this.csrfToken = field[1];
    return { status: r.status, body, location: r.headers.get("location") };
  }

  /** Loads the list page to get a CSRF cookie and token. */
  async login(): Promise<void> {
    const r = await this.get("/");
    if (r.status !== 200 || !this.csrfCookie || this.csrfCookie !== this.csrfToken) {
      throw new Error(`could not get a CSRF token from / (HTTP ${r.status}): ${r.body.slice(0, 500)}`);
    }
  }

  /** Posts a form; csrf_token is added unless `fields` sets it (or `omitCsrf`). */
  async post(path: string, fields: Record<string, string>, opts: { omitCsrf?: boolean; cookie?: boolean } = {}): Promise<Reply> {
    const form = new URLSearchParams(opts.omitCsrf ? fields : { csrf_token: this.csrfToken, ...fields });
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (opts.cookie !== false && this.csrfCookie) headers.cookie = `inventory_csrf=${this.csrfCookie}`;
    const r = await fetch(this.baseUrl + path, { method: "POST", body: form.toString(), headers, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: r.status, body: await r.text(), location: r.headers.get("location") };
  }

  /** Adds an item with a fresh request token (or the given one, to resubmit the same form). */
  add(store: string, item: string, quantity: string, requestToken = newRequestToken()): Promise<Reply> {
    return this.post("/items", { store, item, quantity, request_token: requestToken });
  }
}

export const newRequestToken = (): string => crypto.randomBytes(16).toString("hex");

/** The message the app shows on an error page, unescaped. */
export function errorMessage(body: string): string {
  const m = /id="error">([\s\S]*?)<\/(p|ul)>/.exec(body);
  return (m?.[1] ?? "").replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#039;|&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").trim();
}
