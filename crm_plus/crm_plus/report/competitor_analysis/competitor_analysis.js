// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Competitor Analysis"] = crm_plus.analytics.report({
	filters: [
		// opportunities of the last twelve months, by quarter
		...crm_plus.analytics.with_defaults(
			crm_plus.analytics.filters({
				period: true,
				group_by: [
					{ value: "Competitor", label: __("Competitor") },
					{ value: "Item Group", label: __("Item Group") },
					{ value: "Territory", label: __("Territory") },
				],
			}),
			{ from_date: frappe.datetime.add_months(frappe.datetime.get_today(), -12), period: "Quarterly" }
		),
		{ fieldname: "competitor", label: __("Competitor"), fieldtype: "Link", options: "Competitor" },
		crm_plus.analytics.relationship(),
	],
});
