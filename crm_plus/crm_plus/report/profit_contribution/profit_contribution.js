// Profit Contribution: filters (shared ones in public/js/crm_plus.bundle.js). Figures,
// chart and summary come from profit_contribution.py.

frappe.query_reports["Profit Contribution"] = crm_plus.analytics.report({
	filters: crm_plus.analytics.filters({
		group_by: [
			{ value: "Customer", label: __("Customer") },
			{ value: "Item", label: __("Item") },
			{ value: "Item Group", label: __("Item Group") },
			{ value: "Territory", label: __("Territory") },
			{ value: "Sales Person", label: __("Sales Person") },
		],
	}),
});
