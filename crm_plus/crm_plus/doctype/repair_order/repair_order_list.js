frappe.listview_settings["Repair Order"] = {
	add_fields: ["status"],
	has_indicator_for_draft: 1,
	get_indicator(doc) {
		const color = {
			Received: "blue", Diagnosing: "orange", "Awaiting Parts": "yellow", Repairing: "orange",
			"Ready for Pickup": "green", Delivered: "gray", Cancelled: "red", "Not Repairable": "red",
		}[doc.status];
		return [__(doc.status), color, `status,=,${doc.status}`];
	},
};
