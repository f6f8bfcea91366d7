frappe.listview_settings["Customer Complaint"] = {
	add_fields: ["status", "resolve_by"],
	get_indicator(doc) {
		const color = { Open: "red", "In Progress": "orange", Resolved: "green", Closed: "gray", Rejected: "darkgrey" }[doc.status];
		return [__(doc.status), color, `status,=,${doc.status}`];
	},
};
