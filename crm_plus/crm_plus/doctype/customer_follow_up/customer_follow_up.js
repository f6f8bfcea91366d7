// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.ui.form.on("Customer Follow Up", {
	setup(frm) {
		const party = () => frm.doc[{ Customer: "customer", Lead: "lead", Prospect: "prospect" }[frm.doc.party_type]];
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: frm.doc.party_type, link_name: party() },
		}));
		frm.set_query("opportunity", () => ({ filters: { party_name: party() } }));
		frm.set_query("quotation", () => ({ filters: { party_name: party() } }));
		frm.set_query("sales_order", () => ({ filters: { customer: frm.doc.customer, docstatus: 1 } }));
	},

	refresh(frm) {
		if (!frm.is_new() && frm.doc.next_follow_up_status === "Open") {
			frm.add_custom_button(__("Complete Follow-up"), () => crm_plus_complete_follow_up(frm)).addClass(
				"btn-primary"
			);
		}
	},
});

function crm_plus_complete_follow_up(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Complete Follow-up"),
		fields: [
			{ fieldname: "summary", fieldtype: "Small Text", label: __("Summary"), default: frm.doc.next_action },
			{ fieldname: "outcome", fieldtype: "Small Text", label: __("Outcome"), reqd: 1 },
			{ fieldname: "follow_up_type", fieldtype: "Select", label: __("Type"),
				options: ["Phone", "Visit", "Email", "WeChat", "Meeting", "Other"].map((v) => ({ value: v, label: __(v) })),
				default: frm.doc.follow_up_type },
			{ fieldname: "next_section", fieldtype: "Section Break", label: __("Next Follow-up") },
			{ fieldname: "next_follow_up_on", fieldtype: "Datetime", label: __("Next Follow-up On") },
			{ fieldname: "next_action", fieldtype: "Data", label: __("Next Action"),
				mandatory_depends_on: "eval:doc.next_follow_up_on" },
		],
		primary_action_label: __("Complete"),
		primary_action(values) {
			frappe
				.xcall("crm_plus.api.follow_up.complete_follow_up", { name: frm.doc.name, ...values })
				.then((name) => {
					dialog.hide();
					frappe.show_alert({ message: __("Follow-up {0} recorded", [name]), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}
