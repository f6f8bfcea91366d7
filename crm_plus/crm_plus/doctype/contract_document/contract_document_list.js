// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

const CONTRACT_STATUS_COLORS = {
	Draft: "red",
	Active: "green",
	Expiring: "orange",
	Expired: "gray",
	Terminated: "darkgrey",
	Renewed: "blue",
	Cancelled: "red",
};

frappe.listview_settings["Contract Document"] = {
	add_fields: ["status", "end_date"],
	get_indicator(doc) {
		return [__(doc.status), CONTRACT_STATUS_COLORS[doc.status] || "gray", "status,=," + doc.status];
	},
};
