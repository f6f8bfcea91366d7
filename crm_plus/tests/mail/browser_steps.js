// The mail suite's steps in headless Chromium: a link taken from a received mail, followed
// as its reader would. Called by crm_plus/tests/mail/run.py:
//   node browser_steps.js set-password '{"link": ..., "email": ..., "password": ..., "expect": ...}'
//   node browser_steps.js unsubscribe '{"link": ...}'
// Prints one JSON line with what the page showed; exits non-zero when a step fails.
const { launch, BASE_URL } = require("../browser/helpers.js");

async function setPassword(browser, { link, email, password, expect }) {
	const shown = {};
	const context = await browser.newContext({ baseURL: BASE_URL });
	const page = await context.newPage();
	await page.goto(link);
	await page.locator("#new_password").pressSequentially(password);
	await page.locator("#confirm_password").pressSequentially(password);
	await page.waitForSelector("#update:not([disabled])", { timeout: 20000 });
	await page.click("#update");
	await page.waitForURL((url) => !url.pathname.startsWith("/update-password"), { timeout: 30000 });
	shown.after_set = new URL(page.url()).pathname;
	await context.close();

	// a new browser: log in with the password just set, open the service portal
	const fresh = await browser.newContext({ baseURL: BASE_URL });
	const portal = await fresh.newPage();
	await portal.goto("/login");
	await portal.fill("#login_email", email);
	await portal.fill("#login_password", password);
	await portal.click(".btn-login");
	await portal.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 30000 });
	const response = await portal.goto("/service");
	shown.service_status = response.status();
	shown.service_path = new URL(portal.url()).pathname;
	shown.service_has_customer = (await portal.content()).includes(expect);
	await fresh.close();
	return shown;
}

async function unsubscribe(browser, { link }) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const response = await page.goto(link);
	const shown = { status: response.status(), text: (await page.innerText("body")).slice(0, 500) };
	await context.close();
	return shown;
}

(async () => {
	const [step, json] = process.argv.slice(2);
	const args = JSON.parse(json);
	const browser = await launch();
	try {
		const shown = await { "set-password": setPassword, unsubscribe }[step](browser, args);
		console.log(JSON.stringify(shown));
	} finally {
		await browser.close();
	}
})().catch((e) => {
	console.error(e);
	process.exit(1);
});
