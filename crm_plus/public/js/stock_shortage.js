// Stock-shortage marks on Quotation, Sales Order and Delivery Note (库存不足提醒).
// The rule lives on the server (crm_plus.stock.shortage); this only shows its answer:
// one call for the whole document, short rows coloured, a headline listing them.
// Loaded as doctype_js for all three doctypes; registers its handlers once.

if (!frappe._crm_plus_stock_shortage) {
	frappe._crm_plus_stock_shortage = true;

	const PARENTS = {
		Quotation: "Quotation Item",
		"Sales Order": "Sales Order Item",
		"Delivery Note": "Delivery Note Item",
	};
	const ROW_CLASS = "crm-plus-stock-short";

	$(`<style>
		.${ROW_CLASS} .data-row, .${ROW_CLASS} .grid-static-col { background-color: var(--bg-orange, #fff5e6) !important; }
		.${ROW_CLASS} .row-index { color: var(--orange-600, #c05621); font-weight: 600; }
	</style>`).appendTo("head");

	const fmt = (value) => format_number(value, null, 3);

	const mark_rows = (frm) => {
		const result = frm._crm_plus_shortage || { shortages: [], unchecked: [] };
		const short_rows = {};
		result.shortages.forEach((s) => s.row_names.forEach((n) => (short_rows[n] = s)));
		const grid = frm.fields_dict.items && frm.fields_dict.items.grid;
		(grid ? grid.grid_rows : []).forEach((grid_row) => {
			const s = short_rows[grid_row.doc.name];
			$(grid_row.wrapper)
				.toggleClass(ROW_CLASS, !!s)
				.attr(
					"title",
					s
						? __("Short by {0} {1} in {2}", [fmt(s.shortfall), __(s.stock_uom), s.warehouse])
						: null
				);
		});

		if (!result.shortages.length && !result.unchecked.length) {
			// clear only our own alert, never another app's message
			if (frm.layout.message && frm.layout.message.find(".crm-plus-shortage-alert").length) {
				frm.dashboard.clear_headline();
			}
			return;
		}
		const lines = result.shortages.map((s) =>
			__("Row {0}: {1} in {2}: required {3}, available {4}, short {5}", [
				s.rows.join(", "),
				frappe.utils.escape_html(s.item_code),
				frappe.utils.escape_html(s.warehouse),
				fmt(s.required),
				fmt(s.available),
				`<b>${fmt(s.shortfall)}</b>`,
			])
		);
		result.unchecked.forEach((u) =>
			lines.push(
				__("Row {0}: {1} not checked (no warehouse)", [u.idx, frappe.utils.escape_html(u.item_code)])
			)
		);
		frm.dashboard.set_headline_alert(
			`<div class="crm-plus-shortage-alert"><b>${__("Stock Shortage")}</b><br>${lines.join("<br>")}</div>`,
			"orange"
		);
	};

	const check = (frm) => {
		if (frm.doc.docstatus !== 0 || !(frm.doc.items || []).some((r) => r.item_code)) {
			frm._crm_plus_shortage = null;
			mark_rows(frm);
			return;
		}
		frappe
			.xcall("crm_plus.api.stock.get_stock_shortages", { doc: frm.doc })
			.then((result) => {
				frm._crm_plus_shortage = result;
				mark_rows(frm);
			});
	};

	const schedule_check = (frm) => {
		clearTimeout(frm._crm_plus_shortage_timer);
		frm._crm_plus_shortage_timer = setTimeout(() => check(frm), 400);
	};

	const row_events = {};
	["item_code", "qty", "uom", "conversion_factor", "warehouse", "delivered_by_supplier"].forEach(
		(fieldname) => (row_events[fieldname] = (frm) => schedule_check(frm))
	);
	row_events.items_remove = (frm) => schedule_check(frm);

	Object.entries(PARENTS).forEach(([parent, child]) => {
		frappe.ui.form.on(parent, {
			refresh: (frm) => schedule_check(frm),
			set_warehouse: (frm) => schedule_check(frm),
			company: (frm) => schedule_check(frm),
			items_on_form_rendered: (frm) => mark_rows(frm),
		});
		frappe.ui.form.on(child, row_events);
	});
}
