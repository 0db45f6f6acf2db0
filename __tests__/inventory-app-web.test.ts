/**
 * The inventory app against real components: MariaDB with TLS and a real
 * user/password, the IMDS + Secrets Manager stub, Apache + php-fpm serving
 * the app and configured by the files taken out of the rendered user data,
 * and headless Chromium.
 */
import { Page } from "playwright-core";
import { describeWithDeps } from "./helpers/inventory-app/deps";
import * as fs from "fs";
import { execFileSync } from "child_process";
import { Stack, STACK_PHP_EXTENSIONS, STACK_PROGRAMS, DB_NAME, DB_USER, DEFAULT_WORKERS } from "./helpers/inventory-app/stack";
import { FormClient, errorMessage, newRequestToken } from "./helpers/inventory-app/client";
import { launchBrowser, Browser } from "./helpers/inventory-app/browser";
import { makeTls } from "./helpers/inventory-app/mariadb";

const NAME_MAX = 100;

describeWithDeps("inventory app (MariaDB + Apache + php-fpm + Chromium)", [...STACK_PROGRAMS, "chromium"], STACK_PHP_EXTENSIONS, () => {
  let stack: Stack;
  let browser: Browser | undefined;

  beforeAll(async () => {
    stack = new Stack();
    try {
      await stack.start();
      browser = await launchBrowser();
    } catch (e) {
      throw new Error(`could not start the test system: ${String(e)}\n${stack.logs()}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.destroy();
  });

  afterEach(() => {
    // The app's signature must never have been refused by the stub.
    expect(stack.aws.rejections).toEqual([]);
  });

  const tableExists = async (): Promise<boolean> =>
    (await stack.db.sql(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='${DB_NAME}' AND table_name='inventory'`))[0][0] === "1";

  const footer = async (page: Page): Promise<[string, string]> => [
    (await page.textContent("#instance-id")) ?? "",
    (await page.textContent("#availability-zone")) ?? "",
  ];

  test("Apache + php-fpm serve it from the user data's own site, pool and php.ini files", async () => {
    const reply = await fetch(`${stack.app.url}/health`);
    expect(reply.headers.get("server")).toMatch(/^Apache\/2\.4/);
    // The pool from the user data: pm = static with pm.max_children workers, each a child of the php-fpm master.
    const workers = execFileSync("pgrep", ["-P", String(stack.app.fpmPid)], { encoding: "utf8" }).trim().split("\n");
    expect(workers).toHaveLength(DEFAULT_WORKERS);
    // FallbackResource sent /health to the front controller, through Apache (its access log has it).
    // (SetEnv reaching php-fpm is shown by the next test: /ready finds the config file.)
    expect(await reply.text()).toBe("ok\n");
    expect(fs.readFileSync(stack.app.logs.apacheAccess, "utf8")).toMatch(/"GET \/health HTTP\/1\.1" 200/);
    // The php.ini drop-in is in force: PHP does not announce itself.
    expect(reply.headers.get("x-powered-by")).toBeNull();
  });

  test("health is shallow; readiness creates the schema on first start and reports TLS", async () => {
    const health = await fetch(`${stack.app.url}/health`);
    expect([health.status, await health.text()]).toEqual([200, "ok\n"]);
    expect(await tableExists()).toBe(false); // /health touched nothing

    const ready = await fetch(`${stack.app.url}/ready`);
    const text = await ready.text();
    expect(ready.status).toBe(200);
    expect(text).toMatch(/^ready\n/);
    expect(text).toMatch(/database: ok, TLS TLS_/);
    expect(text).not.toMatch(/127\.0\.0\.1|config\.json|inventory/); // says what works, never where
    expect(text).toContain(`instance: ${stack.aws.instanceId} (${stack.aws.availabilityZone})`);
    expect(await tableExists()).toBe(true);
  });

  test("a person adds, edits and deletes an item in the browser; the footer names instance and AZ", async () => {
    const page = await browser!.context.newPage();
    try {
      await page.goto(stack.app.url + "/");
      expect(await footer(page)).toEqual([stack.aws.instanceId, stack.aws.availabilityZone]);

      await page.fill("#store", "Seattle");
      await page.fill("#item", "Coffee beans");
      await page.fill("#quantity", "12");
      await Promise.all([page.waitForURL(/done=added/), page.click("#submit")]);
      expect(await page.textContent("#notice")).toBe("Item added.");
      const row = page.locator("#items tr", { hasText: "Coffee beans" });
      expect(await row.locator(".quantity").textContent()).toBe("12");
      const [saved] = (await stack.rows()).filter((r) => r.item === "Coffee beans");
      expect(saved).toMatchObject({ store: "Seattle", quantity: 12 });

      await Promise.all([page.waitForURL(/\/items\/\d+\/edit$/), row.locator("a", { hasText: "Edit" }).click()]);
      expect(await page.inputValue("#item")).toBe("Coffee beans");
      await page.fill("#quantity", "42");
      await page.fill("#item", "Coffee beans (dark)");
      await Promise.all([page.waitForURL(/done=updated/), page.click("#submit")]);
      expect(await page.textContent("#notice")).toBe("Item updated.");
      const edited = page.locator("#items tr", { hasText: "Coffee beans (dark)" });
      expect(await edited.locator(".quantity").textContent()).toBe("42");
      expect((await stack.rows()).find((r) => r.id === saved.id)).toMatchObject({ item: "Coffee beans (dark)", quantity: 42 });
      expect(await footer(page)).toEqual([stack.aws.instanceId, stack.aws.availabilityZone]);

      await Promise.all([page.waitForURL(/done=deleted/), edited.locator("button", { hasText: "Delete" }).click()]);
      expect(await page.textContent("#notice")).toBe("Item deleted.");
      expect(await page.locator("#items tr", { hasText: "Coffee beans" }).count()).toBe(0);
      expect((await stack.rows()).find((r) => r.id === saved.id)).toBeUndefined();
    } finally {
      await page.close();
    }
  });

  test("HTML and SQL typed into the form are stored and shown as text; no script runs", async () => {
    const item = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;
    const store = `Robert'); DROP TABLE inventory;-- "quoted" & co`;
    const page = await browser!.context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await page.goto(stack.app.url + "/");
      await page.fill("#store", store);
      await page.fill("#item", item);
      await page.fill("#quantity", "1");
      await Promise.all([page.waitForURL(/done=added/), page.click("#submit")]);

      const row = page.locator("#items tr", { hasText: "DROP TABLE" });
      expect(await row.locator(".item-name").textContent()).toBe(item);
      expect(await row.locator("td").first().textContent()).toBe(store);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator("#items script, #items img").count()).toBe(0);
      expect(dialogs).toEqual([]);

      // The bytes the server sent: the markup arrives escaped, never raw.
      const html = await (await fetch(stack.app.url + "/")).text();
      expect(html).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;");
      expect(html).not.toContain("<script>window.__pwned");
      expect(html).toContain("Robert&apos;); DROP TABLE inventory;-- &quot;quoted&quot; &amp; co");

      // Stored exactly as typed, and the table is still there.
      expect((await stack.rows()).filter((r) => r.item === item)).toEqual([expect.objectContaining({ store, quantity: 1 })]);

      // The edit form puts it back into value="..." attributes safely.
      await Promise.all([page.waitForURL(/\/edit$/), row.locator("a", { hasText: "Edit" }).click()]);
      expect(await page.inputValue("#item")).toBe(item);
      expect(await page.inputValue("#store")).toBe(store);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      await page.close();
    }
  });

  test("bad input gets a clear 4xx message and changes nothing", async () => {
    const client = new FormClient(stack.app.url);
    await client.login();
    const add = await client.add("Oslo", "Anchor item", "3");
    expect(add.status).toBe(303);
    const existing = (await stack.rows()).find((r) => r.item === "Anchor item")!;
    const before = await stack.rows();

    const valid = { store: "Oslo", item: "Tea", quantity: "5" };
    const cases: [string, () => Promise<{ status: number; body: string }>, number, RegExp][] = [
      ["empty item name", () => client.add("Oslo", "", "5"), 400, /Item name must not be empty/],
      ["blank store", () => client.add("   ", "Tea", "5"), 400, /Store must not be empty/],
      ["item name over the limit", () => client.add("Oslo", "x".repeat(NAME_MAX + 1), "5"), 400, /Item name must be at most 100 characters/],
      ["store over the limit (multi-byte)", () => client.add("é".repeat(NAME_MAX + 1), "Tea", "5"), 400, /Store must be at most 100 characters/],
      ["control characters", () => client.add("Oslo", "Te\u0001a", "5"), 400, /Item name contains characters that are not allowed/],
      ["negative quantity", () => client.add("Oslo", "Tea", "-1"), 400, /Quantity must be a whole number from 0/],
      ["non-numeric quantity", () => client.add("Oslo", "Tea", "abc"), 400, /Quantity must be a whole number/],
      ["fractional quantity", () => client.add("Oslo", "Tea", "1.5"), 400, /Quantity must be a whole number/],
      ["exponent quantity", () => client.add("Oslo", "Tea", "1e3"), 400, /Quantity must be a whole number/],
      ["huge quantity", () => client.add("Oslo", "Tea", "99999999999"), 400, /Quantity must be a whole number/],
      ["missing quantity", () => client.post("/items", { store: "Oslo", item: "Tea", request_token: newRequestToken() }), 400, /Quantity must be a whole number/],
      ["missing CSRF token", () => client.post("/items", { ...valid, request_token: newRequestToken() }, { omitCsrf: true }), 403, /CSRF\) token is missing or wrong/],
      ["wrong CSRF token", () => client.post("/items", { ...valid, request_token: newRequestToken(), csrf_token: "0".repeat(64) }), 403, /CSRF/],
      ["CSRF field without its cookie", () => client.post("/items", { ...valid, request_token: newRequestToken() }, { cookie: false }), 403, /CSRF/],
      ["missing request token", () => client.post("/items", valid), 400, /no valid request token/],
      // PHP drops a form over post_max_size, CSRF token included: the answer must say why.
      ["a form over post_max_size", () => client.post("/items", { ...valid, request_token: newRequestToken(), item: "x".repeat(20000) }), 413, /form is too large/],
      ["edit form of an unknown item", () => client.get("/items/987654/edit"), 404, /Item 987654 does not exist/],
      ["update of an unknown item", () => client.post("/items/987654", valid), 404, /Item 987654 does not exist/],
      ["update of an unknown item with bad input", () => client.post("/items/987654", { ...valid, quantity: "-4" }), 404, /Item 987654 does not exist/],
      ["delete of an unknown item", () => client.post("/items/987654/delete", {}), 404, /Item 987654 does not exist/],
      ["non-numeric item id", () => client.get("/items/abc/edit"), 404, /no such page/],
      ["item id 0", () => client.post("/items/0/delete", {}), 404, /no such page/],
      ["delete without CSRF", () => client.post(`/items/${existing.id}/delete`, {}, { omitCsrf: true }), 403, /CSRF/],
      ["update with a negative quantity", () => client.post(`/items/${existing.id}`, { ...valid, quantity: "-1" }), 400, /Quantity must be a whole number/],
      ["update with an empty name", () => client.post(`/items/${existing.id}`, { ...valid, item: "" }), 400, /Item name must not be empty/],
      ["GET on a form target", () => client.get("/items"), 405, /Method GET is not allowed/],
    ];
    const failures: string[] = [];
    for (const [name, send, status, message] of cases) {
      const r = await send();
      const shown = errorMessage(r.body);
      if (r.status !== status || !message.test(shown)) failures.push(`${name}: HTTP ${r.status} "${shown}" (wanted ${status} ${message})`);
      // Error pages are full pages, with the footer too.
      if (!r.body.includes(`id="instance-id">${stack.aws.instanceId}<`)) failures.push(`${name}: no footer`);
    }
    expect(failures).toEqual([]);
    expect(await stack.rows()).toEqual(before);
  });

  test("the longest allowed names (multi-byte) are accepted", async () => {
    const client = new FormClient(stack.app.url);
    await client.login();
    const name = "ø".repeat(NAME_MAX);
    expect((await client.add(name, name, "0")).status).toBe(303);
    expect((await stack.rows()).filter((r) => r.item === name)).toEqual([expect.objectContaining({ store: name, quantity: 0 })]);
  });

  test("a resubmitted add form (same request token) is stored once", async () => {
    const client = new FormClient(stack.app.url);
    await client.login();
    const token = newRequestToken();
    expect((await client.add("Lima", "Resubmitted", "7", token)).status).toBe(303);
    expect((await client.add("Lima", "Resubmitted", "7", token)).status).toBe(303);
    expect((await stack.rows()).filter((r) => r.item === "Resubmitted")).toHaveLength(1);
  });

  test("caches the secret and the instance metadata between requests", async () => {
    // One request first, so the test holds when run alone: whatever it fetched is the baseline.
    expect((await fetch(stack.app.url + "/")).status).toBe(200);
    const before = { ...stack.aws.counts };
    expect(before.getSecretValue).toBeGreaterThanOrEqual(1);
    expect(before.instanceId).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 5; i++) expect((await fetch(stack.app.url + "/")).status).toBe(200);
    expect(stack.aws.counts).toEqual(before);
  });

  test("a malformed notice parameter (?done[]=x) is ignored, not a server error", async () => {
    const reply = await fetch(stack.app.url + "/?done[]=x");
    expect(reply.status).toBe(200);
    expect(await reply.text()).not.toContain('id="notice"');
  });

  test("a second instance shares the data and runs the idempotent schema check again harmlessly", async () => {
    const second = await stack.startApp();
    const rows = await stack.rows();
    const page = await fetch(second.url + "/");
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`<h2>Items (${rows.length})</h2>`);
    expect(await stack.rows()).toEqual(rows);
  });

  test("creates its database when the cluster has none of that name", async () => {
    await stack.db.sql(`GRANT ALL ON \`inventory_fresh\`.* TO '${DB_USER}'@'127.0.0.1'`);
    const app = await stack.startApp({ db_name: "inventory_fresh" }, 1);
    const ready = await fetch(app.url + "/ready");
    expect([ready.status, await ready.text()]).toEqual([200, expect.stringContaining("database: ok, TLS")]);
    expect(await stack.db.sql("SHOW TABLES FROM inventory_fresh")).toEqual([["inventory"]]);
  });

  test("refuses a database certificate its CA bundle does not trust, as a configuration error (500, no retries), not an outage", async () => {
    const other = await makeTls(stack.app.dir, "some-other-ca");
    const app = await stack.startApp({ db_ca_file: other.caFile }, 1);
    const ready = await fetch(app.url + "/ready");
    expect(ready.status).toBe(503);
    const readiness = await ready.text();
    expect(readiness).toMatch(/^NOT ready\n[\s\S]*database: FAILED \(details in the error log\)/);
    // Public through the ALB: no endpoint, config path or error text.
    expect(readiness).not.toMatch(/127\.0\.0\.1|config|certificate|SSL|mysqli/i);
    const started = Date.now();
    const list = await fetch(app.url + "/");
    expect(list.status).toBe(500);
    expect(list.headers.get("retry-after")).toBeNull();
    expect(errorMessage(await list.text())).toMatch(/misconfigured: it cannot verify the database's TLS certificate/);
    expect(Date.now() - started).toBeLessThan(2000); // no retry backoff: retrying cannot fix it
    expect(app.output()).toMatch(/configuration error: the database's TLS certificate is not trusted by/);
    expect(app.output()).not.toMatch(/database attempt \d+ of \d+ failed/);
  });

  test("names with emoji are counted in characters, as the server counts them: the browser does not cut them", async () => {
    const page = await browser!.context.newPage();
    const name = "🍎".repeat(60) + "é"; // 61 characters, 121 UTF-16 units: allowed (at most 100 characters)
    try {
      await page.goto(stack.app.url + "/");
      await page.fill("#store", "Emoji store");
      await page.fill("#item", name);
      await page.fill("#quantity", "1");
      await Promise.all([page.waitForURL(/done=added/), page.click("#submit")]);
      expect((await stack.rows()).filter((r) => r.store === "Emoji store").map((r) => r.item)).toEqual([name]);
      // Over 100 characters the browser refuses to submit, saying why, rather than cutting the name.
      await page.fill("#item", "🍎".repeat(NAME_MAX + 1));
      expect(await page.$eval("#item", (e) => (e as unknown as { validity: { patternMismatch: boolean } }).validity.patternMismatch)).toBe(true);
    } finally {
      await page.close();
    }
  });

  test("\"Item added.\" is a one-shot notice: reloading the list does not show it again", async () => {
    const page = await browser!.context.newPage();
    try {
      await page.goto(stack.app.url + "/");
      await page.fill("#store", "Oslo");
      await page.fill("#item", "One-shot");
      await page.fill("#quantity", "1");
      await Promise.all([page.waitForURL(/done=added/), page.click("#submit")]);
      expect(await page.textContent("#notice")).toBe("Item added.");
      await page.reload();
      expect(await page.locator("#notice").count()).toBe(0);
      // A shared or bookmarked link with ?done=added shows nothing either.
      await page.goto(stack.app.url + "/?done=added");
      expect(await page.locator("#notice").count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
