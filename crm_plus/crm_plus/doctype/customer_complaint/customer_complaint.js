// Customer Complaint: one click to a service visit or a repair order. Rules live on the server.
frappe.ui.form.on("Customer Complaint", {
	setup(frm) {
		const by_customer = () => ({ filters: { customer: frm.doc.customer, docstatus: 1 } });
		frm.set_query("sales_order", by_customer);
		frm.set_query("delivery_note", by_customer);
		frm.set_query("sales_invoice", by_customer);
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},
	refresh(frm) {
		if (frm.is_new() || !["Open", "In Progress"].includes(frm.doc.status)) return;
		frm.add_custom_button(
			__("Service Visit"),
			() => frappe.model.open_mapped_doc({ method: "crm_plus.service.complaints.make_service_visit", frm }),
			__("Create")
		);
		frm.add_custom_button(
			__("Repair Order"),
			() =>
				frappe
					.xcall("crm_plus.service.complaints.make_repair_order", { complaint: frm.doc.name })
					.then((name) => frappe.set_route("Form", "Repair Order", name)),
			__("Create")
		);
	},
});
