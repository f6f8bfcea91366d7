// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

const RECEIVABLE_STATUS_COLORS = {
	Open: "orange",
	Promised: "blue",
	"Promise Met": "green",
	"Promise Missed": "red",
	Paid: "green",
	Closed: "gray",
};

frappe.listview_settings["Receivable Follow Up"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		return [__(doc.status), RECEIVABLE_STATUS_COLORS[doc.status] || "gray", "status,=," + doc.status];
	},
};
