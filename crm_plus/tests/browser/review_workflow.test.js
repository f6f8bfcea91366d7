// A quotation through review: its author submits it for review, a peer approves it.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { launch, login } = require("./helpers");

const ITEM = "_CP Browser Review Item"; // made by crm_plus.tests.browser_fixtures.prepare_review
const AUTHOR = "cp.review.author@example.com";
const APPROVER = "cp.review.approver@example.com";
const PASSWORD = "Review-Flow-2026!";

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

async function findQuotation(page) {
	const filters = JSON.stringify([["Quotation Item", "item_code", "=", ITEM], ["owner", "=", AUTHOR]]);
	const response = await page.request.get(
		`/api/resource/Quotation?filters=${encodeURIComponent(filters)}&fields=${encodeURIComponent('["name","crm_plus_review_state"]')}&order_by=${encodeURIComponent("`tabQuotation`.creation desc")}&limit_page_length=1`
	);
	assert.equal(response.status(), 200);
	const { data } = await response.json();
	assert.equal(data.length, 1, "the fixture's quotation exists");
	return data[0];
}

async function openQuotation(page, name) {
	await page.goto(`/app/quotation/${encodeURIComponent(name)}`);
	await page.waitForFunction((n) => window.cur_frm && cur_frm.doc.name === n, name, { timeout: 30000 });
}

async function workflowAction(page, action) {
	const group = page.locator(".page-actions .actions-btn-group");
	await group.locator("button[data-toggle='dropdown']").first().click();
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.url().includes("frappe.model.workflow.apply_workflow"), { timeout: 30000 }),
		group.locator(".dropdown-menu .dropdown-item", { hasText: action }).first().click(),
	]);
	return response;
}

test("a quotation goes through review: submitted by its author, approved by a peer", async () => {
	let page = await login(browser, AUTHOR, PASSWORD);
	const quotation = await findQuotation(page);
	assert.equal(quotation.crm_plus_review_state, "Draft");
	await openQuotation(page, quotation.name);

	let response = await workflowAction(page, "Submit for Review");
	assert.equal(response.status(), 200);
	await page.waitForFunction(() => cur_frm.doc.crm_plus_review_state === "Pending Review", null, { timeout: 20000 });
	assert.match(await page.locator(".indicator-pill").first().innerText(), /Pending Review/);
	// the author may not approve their own quotation: no Approve in their menu
	await page.locator(".page-actions .actions-btn-group button[data-toggle='dropdown']").first().click();
	assert.equal(await page.locator(".page-actions .actions-btn-group .dropdown-item", { hasText: "Approve" }).count(), 0);
	await page.context().close();

	page = await login(browser, APPROVER, PASSWORD);
	await openQuotation(page, quotation.name);
	response = await workflowAction(page, "Approve");
	assert.equal(response.status(), 200);
	await page.waitForFunction(() => cur_frm.doc.docstatus === 1 && cur_frm.doc.crm_plus_review_state === "Approved", null, {
		timeout: 20000,
	});
	assert.match(await page.locator(".indicator-pill").first().innerText(), /Approved/);
	await page.context().close();
});
