// Customer form: the Customer 360 summary (first tab, its own collapsible section) and
// "Record Follow-up" (crm_plus).
// Loaded after follow_up_dialog.js.
// Figures come from crm_plus.api.customer.customer_360; nothing is computed here.

frappe.ui.form.on("Customer", {
	setup() {
		const df = frappe.meta.docfield_map.Customer && frappe.meta.docfield_map.Customer.crm_plus_lifecycle_status;
		if (df) df.formatter = (value) => crm_plus.lifecycle_label(value);
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Record Follow-up"), () => crm_plus.record_follow_up(frm, "Customer"), __("CRM Plus"));
		crm_plus.show_customer_360(frm);
	},
});

crm_plus.show_customer_360 = function (frm) {
	frappe
		.call({ method: "crm_plus.api.customer.customer_360", args: { customer: frm.doc.name }, type: "GET" })
		.then(({ message: s }) => {
			const money = (v) => (v === null || v === undefined ? "—" : format_currency(v, s.currency));
			const text = (v) => (v === null || v === undefined || v === "" ? "—" : frappe.utils.escape_html(String(v)));
			const date = (v) => (v ? frappe.datetime.str_to_user(v) : "—");
			const cells = [
				[__("Lifetime Revenue"), money(s.lifetime_revenue)],
				[__("Revenue, Last 12 Months"), money(s.revenue_last_12_months)],
				[__("Gross Profit"), money(s.gross_profit)],
				[__("Last Order"), date(s.last_order_date)],
				[__("Outstanding"), money(s.outstanding)],
				[__("Overdue"), money(s.overdue)],
				[__("Open Opportunities"), `${text(s.open_opportunities)} · ${money(s.open_opportunity_amount)}`],
				[__("Open Quotations"), `${text(s.open_quotations)} · ${money(s.open_quotation_amount)}`],
				[__("Last Follow-up"), date(s.last_follow_up)],
				[__("Next Follow-up"), s.next_follow_up ? `${date(s.next_follow_up)} · ${text(s.next_follow_up_action)}` : "—"],
				[__("Lifecycle Status"), s.lifecycle_status ? crm_plus.lifecycle_label(s.lifecycle_status) : "—"],
				// after-sales service
				[__("Open Complaints"), text(s.open_complaints)],
				[__("Repairs in Progress"), text(s.repairs_in_progress)],
			];
			const html = `<div class="crm-plus-360 row">${cells
				.map(([label, value]) => `<div class="col-sm-3 col-xs-6" style="margin-bottom: var(--margin-sm)">
					<div class="text-muted small">${label}</div><div class="bold">${value}</div></div>`)
				.join("")}</div>`;
			const field = frm.get_field("crm_plus_360_html");
			if (field) field.$wrapper.html(html);
		});
};
