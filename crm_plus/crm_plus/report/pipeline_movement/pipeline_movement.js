// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Pipeline Movement"] = crm_plus.analytics.report({
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", reqd: 1,
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", reqd: 1,
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -2) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", reqd: 1,
			default: frappe.datetime.get_today() },
		{ fieldname: "group_by", label: __("Group By"), fieldtype: "Select", default: "Sales Person",
			options: [
				{ value: "Sales Person", label: __("Sales Person") },
				{ value: "Territory", label: __("Territory") },
				{ value: "Customer Group", label: __("Customer Group") },
			] },
		{ fieldname: "view", label: __("View"), fieldtype: "Select", default: "Summary",
			options: [
				{ value: "Summary", label: __("Summary") },
				{ value: "Stages", label: __("Stages") },
				{ value: "Lost", label: __("Lost") },
			] },
		{ fieldname: "relationship", label: __("Relationship"), fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Direct Customer", label: __("Direct Customer") },
				{ value: "Agent", label: __("Agent") },
				{ value: "Partner", label: __("Partner") },
				{ value: "Competitor", label: __("Competitor") },
			] },
	],
});
