// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Receivables Follow-up"] = crm_plus.analytics.report({
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			reqd: 1,
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "report_date",
			label: __("Posting Date"),
			fieldtype: "Date",
			reqd: 1,
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [{ value: "Invoice", label: __("Invoice") }, { value: "Customer", label: __("Customer") }],
			default: "Invoice",
		},
		{
			fieldname: "ageing_based_on",
			label: __("Ageing Based On"),
			fieldtype: "Select",
			options: [{ value: "Due Date", label: __("Due Date") }, { value: "Posting Date", label: __("Posting Date") }],
			default: "Due Date",
		},
		{
			fieldname: "calculate_ageing_with",
			label: __("Calculate Ageing With"),
			fieldtype: "Select",
			options: [{ value: "Report Date", label: __("Report Date") }, { value: "Today Date", label: __("Today Date") }],
			default: "Report Date",
		},
		{
			fieldname: "range",
			label: __("Ageing Range"),
			fieldtype: "Data",
			default: "30, 60, 90, 120",
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "collector", label: __("Collector"), fieldtype: "Link", options: "User" },
		{
			fieldname: "top_n",
			label: __("Top N (0 = All)"),
			fieldtype: "Int",
			default: 500,
			description: __("Past this many rows, show the largest balances and a total row for all of them."),
		},
	],
	onload(report) {
		frappe.db.get_single_value("CRM Plus Settings", "receivable_ageing_ranges").then((ranges) => {
			if (ranges && report.get_filter_value("range") === "30, 60, 90, 120") {
				report.set_filter_value("range", ranges);
			}
		});
	},
});
