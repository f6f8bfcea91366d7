// Customer Analysis: filters (shared ones in public/js/crm_plus.bundle.js). Figures, chart
// and summary come from customer_analysis.py.

frappe.query_reports["Customer Analysis"] = crm_plus.analytics.report({
	filters: [
		...crm_plus.analytics.filters({
			period: true,
			group_by: [
				{ value: "Customer Group", label: __("Customer Group") },
				{ value: "Territory", label: __("Territory") },
			],
		}),
		crm_plus.analytics.select("view", __("View"), [
			{ value: "Trend", label: __("Trend") },
			{ value: "Lost Customers", label: __("Lost Customers") },
		]),
	],
});
