// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.ui.form.on("Contract Document", {
	setup(frm) {
		frm.set_query("quotation", () => ({ filters: { party_name: frm.doc.customer, docstatus: 1 } }));
		frm.set_query("sales_order", () => ({ filters: { customer: frm.doc.customer, docstatus: 1 } }));
		frm.set_query("contract", () => ({ filters: { party_type: "Customer", party_name: frm.doc.customer } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus !== 1) return;
		if (["Active", "Expiring", "Expired"].includes(frm.doc.status) && !frm.doc.renewed_to) {
			frm.add_custom_button(__("Renew"), () =>
				frappe
					.xcall("crm_plus.api.contract.make_renewal", { source_name: frm.doc.name })
					.then((doc) => {
						frappe.model.sync(doc);
						frappe.set_route("Form", doc.doctype, doc.name);
					})
			);
		}
		if (["Active", "Expiring"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Terminate"), () =>
				frappe.confirm(__("Terminate this contract now?"), () =>
					frappe.xcall("crm_plus.api.contract.terminate", { name: frm.doc.name }).then(() => frm.reload_doc())
				)
			);
		}
	},
	contract_value(frm) {
		(frm.doc.milestones || []).forEach((row) => {
			if (row.percent) {
				frappe.model.set_value(row.doctype, row.name, "amount", (frm.doc.contract_value * row.percent) / 100);
			}
		});
	},
});

frappe.ui.form.on("Contract Document Milestone", {
	percent(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		frappe.model.set_value(cdt, cdn, "amount", ((frm.doc.contract_value || 0) * (row.percent || 0)) / 100);
	},
});
