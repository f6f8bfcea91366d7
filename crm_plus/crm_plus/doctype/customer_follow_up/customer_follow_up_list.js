frappe.listview_settings["Customer Follow Up"] = {
	add_fields: ["next_follow_up_status", "next_follow_up_on"],
	get_indicator(doc) {
		if (doc.next_follow_up_status === "Open") {
			const overdue = doc.next_follow_up_on && frappe.datetime.str_to_obj(doc.next_follow_up_on) < new Date();
			return overdue
				? [__("Overdue"), "red", "next_follow_up_status,=,Open"]
				: [__("Planned"), "orange", "next_follow_up_status,=,Open"];
		}
		return [__("Done"), "green", "next_follow_up_status,!=,Open"];
	},
};
