// After-sales service: a complaint filed in the desk reaches its assignee; the customer
// portal shows a customer's own complaints and repairs and nothing of anyone else's.
const { test, before, after } = require("node:test");
const { execFileSync } = require("node:child_process");
const os = require("node:os");
const path = require("node:path");
const assert = require("node:assert/strict");
const { BASE_URL, launch, login } = require("./helpers");

// made by crm_plus.tests.browser_fixtures.prepare_service
const AGENT = "cp.service.agent@example.com";
const AGENT_PASSWORD = "Service-Agent-2026!";
const PORTAL_USER = "cp.portal.buyer@example.com";
const PORTAL_PASSWORD = "Portal-Buyer-2026!";
const OWN_CUSTOMER = "_CP Portal Service Customer";
const OTHER_CUSTOMER = "_CP Portal Other Customer";

const BENCH_DIR = process.env.BENCH_DIR || path.join(os.homedir(), "frappe-bench");
const SITE = process.env.TEST_SITE || "test-crm-plus.localhost";

// Frappe sends assignment notifications from a background job, as on a real bench: run a
// worker until the queue is empty. The worker is what `bench worker` runs, started here
// without the bench CLI in between, so that a timeout stops the worker itself, not only
// the CLI (a worker left running would take later tests' jobs).
function runQueuedJobs() {
	execFileSync(
		path.join(BENCH_DIR, "env", "bin", "python"),
		["-m", "frappe.utils.bench_helper", "frappe", "--site", SITE, "worker", "--queue", "short,default,long", "--burst"],
		// without CI: Frappe runs a CI worker's jobs as in a unit test, its mail never sent
		{ cwd: path.join(BENCH_DIR, "sites"), stdio: "ignore", timeout: 120000, killSignal: "SIGKILL", env: { ...process.env, CI: undefined } },
	);
}

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

async function pickLink(page, input, text) {
	await input.click();
	await input.pressSequentially(text, { delay: 20 });
	await page.locator('.awesomplete [role="option"]', { hasText: text }).first().click();
}

test("a complaint filed in the desk notifies its assignee", async () => {
	const page = await login(browser);
	const subject = `Noisy fan ${Date.now()}`;
	await page.goto("/app/customer-complaint/new");
	await pickLink(page, page.locator('[data-fieldname="customer"] input'), OWN_CUSTOMER);
	await page.locator('[data-fieldname="subject"] input').fill(subject);
	await page.locator('[data-fieldname="description"] .ql-editor:not(.read-mode)').fill("It rattles at full speed.");
	await pickLink(page, page.locator('[data-fieldname="assignee"] input'), AGENT);
	await page.waitForFunction(
		(s) => cur_frm && cur_frm.doc.subject === s && cur_frm.doc.assignee && cur_frm.doc.description,
		subject,
		{ timeout: 10000 }
	);
	await page.keyboard.press("Control+s");
	await page.waitForURL(/\/app\/customer-complaint\/CRM-CMP-/, { timeout: 30000 });
	const name = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
	assert.match(name, /^CRM-CMP-/);
	await page.close();

	// the assignee sees the notification in their desk: the bell's dropdown lists it
	runQueuedJobs();
	const agent = await login(browser, AGENT, AGENT_PASSWORD);
	await agent.goto("/app/customer-complaint");
	await agent.click(".dropdown-notifications > a, .notifications-icon");
	const item = agent.locator(".notification-item", { hasText: subject }).first();
	await item.waitFor({ timeout: 30000 });
	assert.match(await item.innerText(), /assigned a new task/);
	const todos = await agent.request.get(
		`/api/resource/ToDo?filters=${encodeURIComponent(JSON.stringify({ reference_name: name, status: "Open" }))}&fields=${encodeURIComponent('["allocated_to"]')}`
	);
	assert.deepEqual((await todos.json()).data, [{ allocated_to: AGENT }]);
	await agent.close();
});

async function recordsOf(admin, doctype, customer) {
	const response = await admin.get(
		`/api/resource/${doctype}?filters=${encodeURIComponent(JSON.stringify({ customer }))}&limit_page_length=1`
	);
	const { data } = await response.json();
	assert.equal(data.length, 1, `${doctype} of ${customer} exists`);
	return data[0].name;
}

test("portal users see their own complaints and repairs only, by list, URL and REST", async () => {
	const adminContext = await browser.newContext({ baseURL: BASE_URL });
	assert.equal((await adminContext.request.post("/api/method/login", { data: { usr: "Administrator", pwd: process.env.ADMIN_PASSWORD || "admin" } })).status(), 200);
	const own = await recordsOf(adminContext.request, "Customer Complaint", OWN_CUSTOMER);
	const other = await recordsOf(adminContext.request, "Customer Complaint", OTHER_CUSTOMER);
	const ownRepair = await recordsOf(adminContext.request, "Repair Order", OWN_CUSTOMER);
	const otherRepair = await recordsOf(adminContext.request, "Repair Order", OTHER_CUSTOMER);
	await adminContext.close();

	const context = await browser.newContext({ baseURL: BASE_URL });
	const http = context.request;
	assert.equal((await http.post("/api/method/login", { data: { usr: PORTAL_USER, pwd: PORTAL_PASSWORD } })).status(), 200);

	// list
	const list = await http.get("/service");
	assert.equal(list.status(), 200);
	const listed = await list.text();
	assert.ok(listed.includes(own) && listed.includes(ownRepair));
	assert.ok(!listed.includes(other) && !listed.includes(otherRepair) && !listed.includes(OTHER_CUSTOMER));

	// URL
	const mine = await http.get(`/service/complaint?name=${encodeURIComponent(own)}`);
	assert.equal(mine.status(), 200);
	assert.match(await mine.text(), new RegExp(`Complaint of ${OWN_CUSTOMER}`));
	const repair = await http.get(`/service/repair?name=${encodeURIComponent(ownRepair)}`);
	assert.equal(repair.status(), 200);
	assert.match(await repair.text(), /Received/);
	for (const url of [`/service/complaint?name=${encodeURIComponent(other)}`, `/service/repair?name=${encodeURIComponent(otherRepair)}`]) {
		const response = await http.get(url);
		assert.equal(response.status(), 404, url);
		assert.ok(!(await response.text()).includes(OTHER_CUSTOMER));
	}
	for (const url of [`/app/customer-complaint/${encodeURIComponent(other)}`, `/printview?doctype=Customer%20Complaint&name=${encodeURIComponent(other)}`]) {
		const response = await http.get(url);
		assert.ok(!(await response.text()).includes(`Complaint of ${OTHER_CUSTOMER}`), url);
	}

	// REST
	for (const url of [
		"/api/resource/Customer Complaint",
		`/api/resource/Customer Complaint/${encodeURIComponent(other)}`,
		`/api/resource/Repair Order/${encodeURIComponent(otherRepair)}`,
		`/api/resource/Customer Complaint/${encodeURIComponent(own)}`,
	]) {
		const response = await http.get(url);
		assert.equal(response.status(), 403, url);
	}

	// filing: for their own customer, never for another
	const filed = await http.post("/api/method/crm_plus.api.service.file_complaint", {
		form: { subject: "Screen flickers", description: "Since yesterday" },
	});
	assert.equal(filed.status(), 200, await filed.text());
	const name = (await filed.json()).message;
	assert.ok((await (await http.get("/service")).text()).includes(name));
	const refused = await http.post("/api/method/crm_plus.api.service.file_complaint", {
		form: { subject: "Not mine", description: "x", customer: OTHER_CUSTOMER },
	});
	assert.equal(refused.status(), 403);
	await context.close();
});
