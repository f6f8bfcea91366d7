// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Competitor Analysis"] = crm_plus.analytics.report({
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", reqd: 1,
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", reqd: 1,
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", reqd: 1,
			default: frappe.datetime.get_today() },
		{ fieldname: "period", label: __("Period"), fieldtype: "Select", default: "Quarterly",
			options: [
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Quarterly", label: __("Quarterly") },
				{ value: "Yearly", label: __("Yearly") },
			] },
		{ fieldname: "group_by", label: __("Group By"), fieldtype: "Select", default: "Competitor",
			options: [
				{ value: "Competitor", label: __("Competitor") },
				{ value: "Item Group", label: __("Item Group") },
				{ value: "Territory", label: __("Territory") },
			] },
		{ fieldname: "competitor", label: __("Competitor"), fieldtype: "Link", options: "Competitor" },
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
