// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Sales Forecast"] = crm_plus.analytics.report({
	filters: [
		// expected closing dates from this month on, six months
		...crm_plus.analytics.with_defaults(
			crm_plus.analytics.filters({
				period: true,
				group_by: [
					{ value: "Sales Person", label: __("Sales Person") },
					{ value: "Territory", label: __("Territory") },
					{ value: "Customer Group", label: __("Customer Group") },
				],
			}),
			{
				from_date: frappe.datetime.month_start(),
				to_date: frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.month_start(), 6), -1),
			}
		),
		crm_plus.analytics.select("view", __("View"), [
			{ value: "Forecast", label: __("Forecast") },
			{ value: "Overdue Opportunities", label: __("Overdue Opportunities") },
		]),
		crm_plus.analytics.relationship(),
	],
});
