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

// Watch a page's API requests; `settled()` resolves once none has been in flight for `quiet` ms,
// that is, once what the page loads has loaded (attach before the navigation).
function apiRequests(page) {
	const inFlight = new Set();
	let lastChange = Date.now();
	const isApi = (r) => r.url().includes("/api/");
	page.on("request", (r) => {
		if (isApi(r)) inFlight.add(r), (lastChange = Date.now());
	});
	for (const event of ["requestfinished", "requestfailed"]) {
		page.on(event, (r) => {
			if (inFlight.delete(r)) lastChange = Date.now();
		});
	}
	return {
		async settled(quiet = 1000, timeout = 30000) {
			for (const until = Date.now() + timeout; inFlight.size || Date.now() - lastChange < quiet; ) {
				if (Date.now() > until) throw new Error(`still loading after ${timeout / 1000} s: ${[...inFlight].map((r) => r.url()).join(", ")}`);
				await page.waitForTimeout(100);
			}
		},
	};
}

module.exports = { BASE_URL, apiRequests, launch, login };
