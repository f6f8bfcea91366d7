// The CRM Plus workspace and one analytics report with its chart, in the desk.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { launch, login } = require("./helpers");

// made by crm_plus.tests.browser_fixtures.prepare_analytics (see crm_plus/tests/analytics_data.py)
const CUSTOMER = "_CP North Customer 1";

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

test("the CRM Plus workspace shows its cards, charts and report shortcuts", async () => {
	const page = await login(browser);
	await page.goto("/app/crm-plus");
	await page.locator(".number-widget-box", { hasText: "Sales This Month" }).waitFor({ timeout: 30000 });
	await page.locator(".number-widget-box", { hasText: "Receivables Due" }).waitFor();
	await page.locator(".dashboard-widget-box", { hasText: "Opportunities by Stage" }).waitFor();
	await page.locator(".dashboard-widget-box", { hasText: "Sales by Month" }).locator("svg").first().waitFor({ timeout: 30000 });
	await page.locator(".shortcut-widget-box", { hasText: "Profit Contribution" }).waitFor();
	await page.close();
});

test("Profit Contribution opens with its Pareto chart and rows", async () => {
	const page = await login(browser);
	const query = new URLSearchParams({
		company: "Wind Power LLC",
		from_date: "2026-01-01",
		to_date: "2026-06-30",
		group_by: "Customer",
	});
	await page.goto(`/app/query-report/Profit Contribution?${query}`);
	const chart = page.locator(".report-wrapper .chart-wrapper svg, .chart-wrapper .frappe-chart").first();
	await chart.waitFor({ timeout: 30000 });
	await page.locator(".dt-scrollable .dt-row", { hasText: CUSTOMER }).first().waitFor({ timeout: 30000 });
	const legend = await page.locator(".chart-wrapper").first().innerText();
	assert.match(legend, /Cumulative Share %/);
	await page.close();
});
