// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Campaign ROI"] = crm_plus.analytics.report({
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", reqd: 1,
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "from_date", label: __("Campaigns Starting From"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("Campaigns Starting To"), fieldtype: "Date" },
		{ fieldname: "campaign", label: __("Marketing Campaign"), fieldtype: "Link", options: "Marketing Campaign" },
		{ fieldname: "status", label: __("Status"), fieldtype: "Select",
			options: ["", "Planned", "Running", "Completed", "Cancelled"].map((v) => ({ value: v, label: __(v) })) },
	],
});
