// Repair Order: status steps, invoice. Rules live on the server.
const REPAIR_DRAFT_STEPS = ["Diagnosing", "Awaiting Parts", "Repairing", "Not Repairable"];

frappe.ui.form.on("Repair Order", {
	setup(frm) {
		frm.set_query("serial_no", () => ({ filters: { item_code: frm.doc.item_code } }));
		frm.set_query("warehouse", "parts", () => ({ filters: { is_group: 0, company: frm.doc.company } }));
	},
	refresh(frm) {
		const set_status = (status) =>
			frm.call("set_status", { status }).then(() => frm.reload_doc());
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			REPAIR_DRAFT_STEPS.filter((s) => s !== frm.doc.status).forEach((s) =>
				frm.add_custom_button(__(s), () => set_status(s), __("Status"))
			);
		}
		if (frm.doc.docstatus === 1 && ["Ready for Pickup", "Not Repairable"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Delivered"), () => set_status("Delivered"), __("Status"));
		}
		if (frm.doc.docstatus === 1 && !frm.doc.sales_invoice) {
			frm.add_custom_button(
				__("Sales Invoice"),
				() =>
					frm.call("make_sales_invoice").then((r) => frappe.set_route("Form", "Sales Invoice", r.message)),
				__("Create")
			);
		}
	},
});
