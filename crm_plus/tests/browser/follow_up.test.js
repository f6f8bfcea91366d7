// Customer form: record a follow-up and find its reminder ToDo; Customer 360 over HTTP.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { BASE_URL, launch, login } = require("./helpers");

const CUSTOMER = "_CP Browser Customer"; // made by crm_plus.tests.browser_fixtures
const RESTRICTED_USER = "cp.restricted.sales@example.com";
const RESTRICTED_PASSWORD = "Restricted-Sales-2026!";

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

test("a follow-up recorded on the Customer form makes a reminder ToDo", async () => {
	const page = await login(browser);
	await page.goto(`/app/customer/${encodeURIComponent(CUSTOMER)}`);
	// the Customer 360 panel is on the form's first tab, open, in its own collapsible section
	await page.waitForSelector(".crm-plus-360", { state: "visible", timeout: 30000 });
	assert.match(await page.locator(".crm-plus-360").innerText(), /Lifetime Revenue/);

	await page.click('.inner-group-button[data-label="CRM%20Plus"] button');
	await page.click('.inner-group-button[data-label="CRM%20Plus"] [data-label="Record%20Follow-up"]');
	const dialog = page.locator(".modal.show", { hasText: "Record Follow-up" });
	const summary = dialog.locator('[data-fieldname="summary"] textarea');
	await summary.waitFor();
	await summary.fill("Asked about bulk prices");
	await summary.press("Tab");
	await dialog.locator('[data-fieldname="next_in"] select').selectOption("Tomorrow");
	const nextAction = dialog.locator('[data-fieldname="next_action"] input');
	await nextAction.waitFor();
	await nextAction.fill("Send the samples");
	await nextAction.press("Tab");
	// Frappe's controls take typed values after a short debounce: wait until the dialog has them
	await page.waitForFunction(
		() => cur_dialog && cur_dialog.get_value("summary") && cur_dialog.get_value("next_action") === "Send the samples",
		null,
		{ timeout: 30000 }
	);
	const [saved] = await Promise.all([
		page.waitForResponse((r) => r.url().includes("crm_plus.api.follow_up.record_follow_up"), { timeout: 20000 }),
		dialog.locator(".btn-primary").click(),
	]);
	assert.equal(saved.status(), 200);
	assert.match((await saved.json()).message, /^CRM-FUP-/);

	await page.goto("/app/todo?reference_type=Customer%20Follow%20Up&status=Open");
	// the reminder's ToDo, listed for the user who recorded the follow-up
	const row = page.locator(".list-row-container", { hasText: "Send the samples" }).first();
	await row.waitFor({ timeout: 30000 });
	assert.match(await row.innerText(), /_CP Browser Customer/);
	await page.close();
});

test("Customer 360 over HTTP: 200 for an allowed customer, 403 for another", async () => {
	const context = await browser.newContext({ baseURL: BASE_URL });
	const login = await context.request.post("/api/method/login", {
		data: { usr: RESTRICTED_USER, pwd: RESTRICTED_PASSWORD },
	});
	assert.equal(login.status(), 200);
	const url = (customer) => `/api/method/crm_plus.api.customer.customer_360?customer=${encodeURIComponent(customer)}`;

	const allowed = await context.request.get(url("_CP Browser Own Customer"));
	assert.equal(allowed.status(), 200);
	assert.equal((await allowed.json()).message.customer, "_CP Browser Own Customer");

	const refused = await context.request.get(url(CUSTOMER));
	assert.equal(refused.status(), 403);
	await context.close();
});
