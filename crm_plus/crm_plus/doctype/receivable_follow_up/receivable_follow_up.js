// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.ui.form.on("Receivable Follow Up", {
	setup(frm) {
		frm.set_query("sales_invoice", () => ({
			filters: { docstatus: 1, is_return: 0, outstanding_amount: [">", 0] },
		}));
	},
});
