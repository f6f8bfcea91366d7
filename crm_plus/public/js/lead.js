// Lead and Prospect forms: record a follow-up; convert to a customer carrying
// everything over (crm_plus.api.customer.convert_to_customer).

if (!frappe._crm_plus_lead_js) {
	frappe._crm_plus_lead_js = true;

	const convert = (frm) => {
		const dialog = new frappe.ui.Dialog({
			title: __("Convert to Customer"),
			fields: [
				{ fieldname: "customer", fieldtype: "Link", options: "Customer", label: __("Existing Customer"),
					description: __("Leave empty to create a new customer.") },
				{ fieldname: "create_opportunity", fieldtype: "Check", label: __("Create an Opportunity") },
				{ fieldname: "opportunity_amount", fieldtype: "Currency", label: __("Opportunity Amount"),
					depends_on: "create_opportunity" },
				{ fieldname: "sales_stage", fieldtype: "Link", options: "Sales Stage", label: __("Sales Stage"),
					depends_on: "create_opportunity" },
				{ fieldname: "next_step", fieldtype: "Small Text", label: __("Next Step"), depends_on: "create_opportunity" },
			],
			primary_action_label: __("Convert"),
			primary_action(values) {
				frappe
					.xcall("crm_plus.api.customer.convert_to_customer", {
						party_type: frm.doctype,
						party: frm.doc.name,
						...values,
					})
					.then((r) => {
						dialog.hide();
						frappe.show_alert({ message: __("Converted to customer {0}", [r.customer]), indicator: "green" });
						frappe.set_route("Form", "Customer", r.customer);
					});
			},
		});
		dialog.show();
	};

	["Lead", "Prospect"].forEach((doctype) => {
		frappe.ui.form.on(doctype, {
			refresh(frm) {
				if (frm.is_new()) return;
				frm.add_custom_button(__("Record Follow-up"), () => crm_plus.record_follow_up(frm, doctype), __("CRM Plus"));
				frm.add_custom_button(__("Convert to Customer"), () => convert(frm), __("CRM Plus"));
			},
		});
	});
}
