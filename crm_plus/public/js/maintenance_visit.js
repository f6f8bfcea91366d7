// Maintenance Visit (service visit, 上门服务): back to the complaint it serves, which a
// completed visit may have just resolved (so it is read again, not shown from memory).
const open_complaint = (name) => {
	frappe.model.remove_from_locals("Customer Complaint", name);
	frappe.set_route("Form", "Customer Complaint", name);
};

frappe.ui.form.on("Maintenance Visit", {
	refresh(frm) {
		if (!frm.doc.crm_plus_complaint) return;
		frm.add_custom_button(__("Customer Complaint"), () => open_complaint(frm.doc.crm_plus_complaint));
	},
	on_submit(frm) {
		if (frm.doc.crm_plus_complaint) frappe.model.remove_from_locals("Customer Complaint", frm.doc.crm_plus_complaint);
	},
});
