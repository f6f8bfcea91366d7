// The CRM Plus workspace in headless Chromium on the production bench (nginx, gunicorn,
// cached assets), as a user opens it. Called by crm_plus/tests/production.py:
//   BASE_URL=http://<site> node production_workspace.js
// Prints one JSON line: seconds from a full page load of /app/crm-plus right after logging in
// (the desk's assets in the browser's cache since the login's redirect to /app) to every
// number card showing its figure; the same when the workspace is opened from the desk's home
// (no page load); and the cards' texts. Exits non-zero on a failure.
// Measured, not asserted: docs/benchmarks.md keeps the numbers.
const { apiRequests, launch, login } = require("./browser/helpers.js");

const CARDS = 9;

async function cardsShown(page) {
	await page.waitForFunction((n) => document.querySelectorAll(".number-widget-box .number").length >= n, CARDS, {
		timeout: 60000,
	});
}

(async () => {
	const browser = await launch();
	try {
		const page = await login(browser);
		let started = Date.now();
		const response = await page.goto("/app/crm-plus");
		await cardsShown(page);
		const pageLoad = (Date.now() - started) / 1000;

		const loading = apiRequests(page);
		await page.goto("/app/home");
		await page.waitForFunction(() => window.frappe && frappe.router && document.querySelector(".layout-main-section"), null, {
			timeout: 60000,
		});
		await loading.settled(); // the home page shown, as a user sees it before moving on
		started = Date.now();
		await page.evaluate(() => frappe.set_route("crm-plus"));
		await cardsShown(page);
		const fromDesk = (Date.now() - started) / 1000;
		const cards = await page.locator(".number-widget-box .number").allInnerTexts();
		console.log(JSON.stringify({ status: response.status(), page_load: pageLoad, from_desk: fromDesk, cards }));
	} finally {
		await browser.close();
	}
})().catch((e) => {
	console.error(e);
	process.exit(1);
});
