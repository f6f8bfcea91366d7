// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

// 直接领导: a customer's or supplier's contacts as a tree of who reports to whom
// (crm_plus.api.contact.org_chart)
crm_plus.show_org_chart = function (frm, party_type) {
	const field = frm.get_field("crm_plus_org_chart_html");
	if (!field) return;
	frappe
		.call({ method: "crm_plus.api.contact.org_chart", args: { party_type, party: frm.doc.name }, type: "GET" })
		.then(({ message: contacts }) => {
			const esc = (v) => frappe.utils.escape_html(v === null || v === undefined ? "" : String(v));
			const names = new Set(contacts.map((c) => c.name));
			const children = {};

if (!crm_plus.org_chart_forms) {
	crm_plus.org_chart_forms = true; // this file is loaded with each of the two forms: register once
	["Customer", "Supplier"].forEach((doctype) =>
		frappe.ui.form.on(doctype, {
			refresh(frm) {
				if (!frm.is_new()) crm_plus.show_org_chart(frm, doctype);
			},
		})
	);
}
