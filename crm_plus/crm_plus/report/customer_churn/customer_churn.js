// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.query_reports["Customer Churn"] = crm_plus.analytics.report({
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", reqd: 1,
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "status", label: __("Lifecycle Status"), fieldtype: "MultiSelectList",
			get_data: () => ["At Risk", "Lost", "Won Back", "New", "Active"].map((v) => ({ value: v, description: crm_plus.lifecycle_label(v) })),
			default: ["At Risk", "Lost", "Won Back"] },
		{ fieldname: "customer_group", label: __("Customer Group"), fieldtype: "Link", options: "Customer Group" },
		{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "lifecycle_status" && data) {
			const color = { "At Risk": "orange", Lost: "red", "Won Back": "green", New: "blue", Active: "green" }[
				data.lifecycle_status
			];
			value = `<span class="indicator-pill ${color}">${crm_plus.lifecycle_label(data.lifecycle_status)}</span>`;
		}
		return value;
	},
});
