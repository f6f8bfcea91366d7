// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

// 直接领导: offer the contacts of the same customer / supplier (the server checks it too)
frappe.ui.form.on("Contact", {
	setup(frm) {
		frm.set_query("crm_plus_reports_to", () => {
			const link = (frm.doc.links || []).find((l) => l.link_doctype && l.link_name);
			if (!link) return {};
			return {
				query: "frappe.contacts.doctype.contact.contact.contact_query",
				filters: { link_doctype: link.link_doctype, link_name: link.link_name },
			};
		});
	},
});
