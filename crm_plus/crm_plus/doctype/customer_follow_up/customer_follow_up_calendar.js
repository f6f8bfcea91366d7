// Planned follow-ups by their next date.
frappe.views.calendar["Customer Follow Up"] = {
	field_map: {
		start: "next_follow_up_on",
		end: "next_follow_up_on",
		id: "name",
		title: "party_name",
	},
	get_events_method: "frappe.desk.calendar.get_events",
};
