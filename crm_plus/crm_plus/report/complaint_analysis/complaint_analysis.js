// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Complaint Analysis"] = crm_plus.analytics.report({
	filters: [
		{ fieldname: "group_by", label: __("Group By"), fieldtype: "Select", default: "Category",
			options: [
				{ value: "Category", label: __("Category") },
				{ value: "Item", label: __("Item") },
				{ value: "Customer", label: __("Customer") },
				{ value: "Assignee", label: __("Assigned To") },
			] },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -3) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	],
});
