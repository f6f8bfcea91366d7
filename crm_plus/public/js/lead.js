// Lead and Prospect forms: record a follow-up; convert to a customer carrying
// everything over (crm_plus.api.customer.convert_to_customer).

if (!frappe._crm_plus_lead_js) {
	frappe._crm_plus_lead_js = true;

	// Converting makes a new customer unless the user explicitly picks an existing one,
	// sees which one, and confirms: merging into the wrong customer moves a lead's whole
	// history. Customers that look alike (name, email, phone) are suggested, never chosen.
	const NEW = __("Create a New Customer");
	const EXISTING = __("Add to an Existing Customer");

	const convert = (frm) => {
		const dialog = new frappe.ui.Dialog({
			title: __("Convert to Customer"),
			fields: [
				{ fieldname: "mode", fieldtype: "Select", label: __("Convert To"), options: [NEW, EXISTING].join("\n"),
					default: NEW, reqd: 1 },
				{ fieldname: "suggestions", fieldtype: "HTML" },
				{ fieldname: "customer", fieldtype: "Link", options: "Customer", label: __("Existing Customer"),
					depends_on: `eval:doc.mode==="${EXISTING}"`, mandatory_depends_on: `eval:doc.mode==="${EXISTING}"` },
				{ fieldname: "opportunity_section", fieldtype: "Section Break" },
				{ fieldname: "create_opportunity", fieldtype: "Check", label: __("Create an Opportunity") },
				{ fieldname: "opportunity_amount", fieldtype: "Currency", label: __("Opportunity Amount"),
					depends_on: "create_opportunity" },
				{ fieldname: "sales_stage", fieldtype: "Link", options: "Sales Stage", label: __("Sales Stage"),
					depends_on: "create_opportunity" },
				{ fieldname: "next_step", fieldtype: "Small Text", label: __("Next Step"), depends_on: "create_opportunity" },
			],
			primary_action_label: __("Convert"),
			primary_action(values) {
				const existing = values.mode === EXISTING ? values.customer : null;
				const run = () =>
					frappe
						.xcall("crm_plus.api.customer.convert_to_customer", {
							party_type: frm.doctype,
							party: frm.doc.name,
							customer: existing,
							create_opportunity: values.create_opportunity,
							opportunity_amount: values.opportunity_amount,
							sales_stage: values.sales_stage,
							next_step: values.next_step,
						})
						.then((r) => {
							dialog.hide();
							frappe.show_alert({ message: __("Converted to customer {0}", [r.customer]), indicator: "green" });
							frappe.set_route("Form", "Customer", r.customer);
						});
				if (!existing) return run();
				frappe.db.get_value("Customer", existing, "customer_name").then(({ message }) => {
					frappe.confirm(
						__("Add {0} to the existing customer {1} ({2})? Its follow-ups, notes, opportunities and quotations move to that customer.", [
							frappe.utils.escape_html(frm.doc.name),
							frappe.utils.escape_html((message && message.customer_name) || existing),
							frappe.utils.escape_html(existing),
						]),
						run
					);
				});
			},
		});
		dialog.show();
		show_suggestions(frm, dialog);
	};

	const show_suggestions = (frm, dialog) => {
		frappe
			.call({
				method: "crm_plus.api.customer.matching_customers",
				type: "GET",
				args: { party_type: frm.doctype, party: frm.doc.name },
			})
			.then(({ message }) => {
				if (!message || !message.length) return;
				const $wrapper = dialog.fields_dict.suggestions.$wrapper;
				$wrapper.html(
					`<div class="text-muted small">${__("Existing customers that look like this one:")}</div>` +
						message
							.map(
								(c) =>
									`<div><a href="#" class="crm-plus-suggested-customer" data-name="${frappe.utils.escape_html(c.name)}">` +
									`${frappe.utils.escape_html(c.customer_name)}</a> <span class="text-muted">${frappe.utils.escape_html(
										[c.email_id, c.mobile_no].filter(Boolean).join(" · ")
									)}</span></div>`
							)
							.join("")
				);
				$wrapper.find(".crm-plus-suggested-customer").on("click", (e) => {
					e.preventDefault();
					// the Link shows the customer at once but takes it only once the server has
					// checked it: Convert waits, or it would say the customer is missing
					const $convert = dialog.get_primary_btn().prop("disabled", true);
					dialog
						.set_value("mode", EXISTING)
						.then(() => dialog.set_value("customer", $(e.currentTarget).attr("data-name")))
						.finally(() => $convert.prop("disabled", false));
				});
			});
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
