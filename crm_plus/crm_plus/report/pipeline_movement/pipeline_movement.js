// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Pipeline Movement"] = crm_plus.analytics.report({
	filters: [
		// the last three months
		...crm_plus.analytics.with_defaults(
			crm_plus.analytics.filters({
				group_by: [
					{ value: "Sales Person", label: __("Sales Person") },
					{ value: "Territory", label: __("Territory") },
					{ value: "Customer Group", label: __("Customer Group") },
				],
			}),
			{ from_date: frappe.datetime.add_months(frappe.datetime.month_start(), -2) }
		),
		crm_plus.analytics.select("view", __("View"), [
			{ value: "Summary", label: __("Summary") },
			{ value: "Stages", label: __("Stages") },
			{ value: "Lost", label: __("Lost") },
		]),
		crm_plus.analytics.relationship(),
	],
});
