// A marketing campaign made in the desk: audience resolved, emails queued in the background.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { launch, login } = require("./helpers");

const CUSTOMER = "_CP Browser Customer"; // has an email; made by crm_plus.tests.browser_fixtures

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

// Type into a Link field as a user does and pick the suggestion.
async function pickLink(page, input, text) {
	await input.click();
	await input.pressSequentially(text, { delay: 20 });
	await page.locator('.awesomplete [role="option"]', { hasText: text }).first().click();
}

async function campaignAction(page, label, method) {
	await page.click('.inner-group-button[data-label="Campaign"] button');
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.url().includes(method), { timeout: 30000 }),
		(async () => {
			await page.click(`.inner-group-button[data-label="Campaign"] [data-label="${encodeURIComponent(label)}"]`);
			if (label === "Send Emails") {
				await page.locator(".modal.show .btn-primary", { hasText: "Yes" }).click();
			}
		})(),
	]);
	assert.equal(response.status(), 200, `${label}: ${await response.text()}`);
	return (await response.json()).message;
}

test("create a campaign, resolve its audience and queue its emails", async () => {
	const page = await login(browser);
	const name = `_CP Browser Campaign ${Date.now()}`;
	await page.goto("/app/marketing-campaign/new");
	await page.locator('[data-fieldname="campaign_name"] input').fill(name);
	await pickLink(page, page.locator('[data-fieldname="email_template"] input'), "_CP Browser Mail");

	// one audience rule, typed into the grid: Customer = the fixture's customer
	const rules = page.locator('.frappe-control[data-fieldname="audience_rules"]');
	await rules.locator(".grid-add-row").click();
	const row = rules.locator('.grid-body .grid-row[data-idx="1"]');
	await row.locator('[data-fieldname="rule"]').first().click();
	await row.locator('select[data-fieldname="rule"]').selectOption("Customer");
	await pickLink(page, row.locator('input[data-fieldname="value"]'), CUSTOMER);

	await page.keyboard.press("Control+s");
	await page.waitForURL((url) => !url.pathname.endsWith("/new"), { timeout: 30000 });
	await page.waitForSelector('.inner-group-button[data-label="Campaign"]', { timeout: 30000 });

	const resolved = await campaignAction(page, "Resolve Audience", "crm_plus.api.marketing.resolve_audience");
	assert.equal(resolved.members, 1);
	await page.waitForSelector('.frappe-control[data-fieldname="members"] .grid-row[data-idx="1"]', { timeout: 30000 });

	const queued = await campaignAction(page, "Send Emails", "crm_plus.api.marketing.send_emails");
	assert.equal(queued.queued, 1);
	const saved = await page.request.get(`/api/resource/Marketing Campaign/${encodeURIComponent(name)}`);
	assert.equal((await saved.json()).data.email_status, "Queued"); // the background job has it now
	await page.close();
});
