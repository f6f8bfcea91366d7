// A short Sales Order in the desk: rows marked as quantities change, warning on save.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { BASE_URL, launch, login } = require("./helpers");

const ITEM = "_CP Browser Item"; // 2 in stock, made by crm_plus.tests.browser_fixtures

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

async function findDraftOrder(page) {
	const filters = JSON.stringify([["Sales Order Item", "item_code", "=", ITEM], ["docstatus", "=", 0]]);
	const response = await page.request.get(
		`/api/resource/Sales Order?filters=${encodeURIComponent(filters)}&order_by=${encodeURIComponent("`tabSales Order`.creation desc")}&limit_page_length=1`
	);
	assert.equal(response.status(), 200);
	const { data } = await response.json();
	assert.equal(data.length, 1, "the fixture's draft order exists");
	return data[0].name;
}

async function setQty(page, qty) {
	const cell = page.locator('.frappe-control[data-fieldname="items"] .grid-body .grid-row[data-idx="1"] [data-fieldname="qty"]').first();
	await cell.click();
	const input = page.locator('.frappe-control[data-fieldname="items"] .grid-body .grid-row[data-idx="1"] input[data-fieldname="qty"]');
	await input.waitFor({ state: "visible" });
	await input.fill(String(qty));
	await input.press("Tab");
}

const shortRow = '.frappe-control[data-fieldname="items"] .grid-row[data-idx="1"].crm-plus-stock-short';

test("a short sales order is marked while editing and warned about on save", async () => {
	const page = await login(browser);
	const name = await findDraftOrder(page);
	await page.goto(`/app/sales-order/${encodeURIComponent(name)}`);
	await page.waitForSelector('.frappe-control[data-fieldname="items"] .grid-row[data-idx="1"]');

	// opened short (10 ordered, 2 in stock): the row is coloured and the headline lists it
	await page.waitForSelector(shortRow, { timeout: 20000 });
	const headline = await page.locator(".form-message-container .crm-plus-shortage-alert").innerText();
	assert.match(headline, /_CP Browser Item/);

	// enough stock: the mark goes away
	await setQty(page, 1);
	await page.waitForSelector(shortRow, { state: "detached", timeout: 20000 });

	// short again, then save: the server's warning dialog names the item and the shortfall
	await setQty(page, 12);
	await page.waitForSelector(shortRow, { timeout: 20000 });
	await page.keyboard.press("Control+s");
	const dialog = page.locator(".modal.show .modal-dialog", { hasText: "Stock Shortage" });
	await dialog.waitFor({ timeout: 30000 });
	const text = await dialog.innerText();
	assert.match(text, /_CP Browser Item/);
	assert.match(text, /10/); // 12 required, 2 available: short by 10

	const saved = await page.request.get(`/api/resource/Sales Order/${encodeURIComponent(name)}`);
	const { data } = await saved.json();
	assert.equal(data.items[0].qty, 12, "Warn mode saves the order");
	await page.close();
});

test("a stranger gets 403 from the shortage API", async () => {
	const response = await fetch(`${BASE_URL}/api/method/crm_plus.api.stock.get_stock_shortages`, {
		method: "POST",
		headers: { "Content-Type": "application/json", Accept: "application/json" },
		body: JSON.stringify({ doc: { doctype: "Sales Order", name: "anything" } }),
	});
	assert.equal(response.status, 403);
});
