// Product Sales Analysis: filters (shared ones in public/js/crm_plus.bundle.js). Figures,
// chart and summary come from product_sales_analysis.py.

frappe.query_reports["Product Sales Analysis"] = crm_plus.analytics.report({
	filters: [
		...crm_plus.analytics.filters({
			period: true,
			group_by: [
				{ value: "Item", label: __("Item") },
				{ value: "Item Group", label: __("Item Group") },
			],
		}),
		{
			fieldname: "top_n",
			label: __("Top N Items"),
			fieldtype: "Int",
			default: 100,
			description: __("By item: the items with the most revenue in the range. 0 shows every item."),
		},
	],
});
