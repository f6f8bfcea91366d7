// The "Record Follow-up" dialog, shared by the Customer, Lead and Prospect forms.

frappe.provide("crm_plus");

crm_plus.record_follow_up = function (frm, party_type) {
	const dialog = new frappe.ui.Dialog({
		title: __("Record Follow-up"),
		fields: [
			{ fieldname: "follow_up_type", fieldtype: "Select", label: __("Type"), default: "Phone",
				options: ["Phone", "Visit", "Email", "WeChat", "Meeting", "Other"].map((v) => ({ value: v, label: __(v) })) },
			{ fieldname: "summary", fieldtype: "Small Text", label: __("Summary"), reqd: 1 },
			{ fieldname: "outcome", fieldtype: "Small Text", label: __("Outcome") },
			{ fieldname: "next_section", fieldtype: "Section Break", label: __("Next Follow-up") },
			{ fieldname: "next_in", fieldtype: "Select", label: __("Next Follow-up"),
				options: [
					{ value: "", label: __("None") },
					{ value: "Tomorrow", label: __("Tomorrow") },
					{ value: "In 3 Days", label: __("In 3 Days") },
					{ value: "In a Week", label: __("In a Week") },
					{ value: "Custom", label: __("Pick a Date and Time") },
				] },
			{ fieldname: "next_follow_up_on", fieldtype: "Datetime", label: __("Next Follow-up On"),
				depends_on: "eval:doc.next_in=='Custom'", mandatory_depends_on: "eval:doc.next_in=='Custom'" },
			{ fieldname: "next_action", fieldtype: "Data", label: __("Next Action"),
				depends_on: "eval:doc.next_in", mandatory_depends_on: "eval:doc.next_in" },
		],
		primary_action_label: __("Save"),
		primary_action(values) {
			frappe
				.xcall("crm_plus.api.follow_up.record_follow_up", {
					party_type: party_type,
					party: frm.doc.name,
					...values,
				})
				.then((name) => {
					dialog.hide();
					frappe.show_alert({ message: __("Follow-up {0} recorded", [name]), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};
