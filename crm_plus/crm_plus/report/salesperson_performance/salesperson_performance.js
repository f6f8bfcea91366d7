// Salesperson Performance: filters (shared ones in public/js/crm_plus.bundle.js). Figures,
// chart and summary come from salesperson_performance.py.

frappe.query_reports["Salesperson Performance"] = crm_plus.analytics.report({
	filters: crm_plus.analytics.filters(),
});
