// Shared helpers for crm_plus browser tests: Debian's Chromium through playwright-core.
const { chromium } = require("playwright-core");

const BASE_URL = process.env.BASE_URL;
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || "admin";

async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
		headless: true,
		args: [
			"--no-sandbox",
			"--disable-gpu",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
		],
	});
}

async function login(browser, user = "Administrator", password = ADMIN_PASSWORD) {
	const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1400, height: 900 } });
	const page = await context.newPage();
	await page.goto("/login");
	await page.fill("#login_email", user);
	await page.fill("#login_password", password);
	await page.click(".btn-login");
	await page.waitForURL(/\/app/, { timeout: 60000 });
	return page;
}

module.exports = { BASE_URL, launch, login };
