// Loaded on every desk page (hooks.app_include_js). What the CRM Plus analytics reports'
// filter definitions share: company, date range, period and a grouping.

frappe.provide("crm_plus.analytics");

// A required Select filter; options are [{value, label}] with translated labels.
crm_plus.analytics.select = (fieldname, label, options, default_value) => ({
	fieldname,
	label,
	fieldtype: "Select",
	options,
	default: default_value || options[0].value,
	reqd: 1,
});

// Company, From Date and To Date (the last twelve months, this one included), then, if
// asked, the Period (monthly, quarterly, yearly) and a Group By of the given options.
crm_plus.analytics.filters = ({ period = false, group_by = null } = {}) => {
	const filters = [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -11),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
	];
	if (period) {
		filters.push(
			crm_plus.analytics.select("period", __("Period"), [
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Quarterly", label: __("Quarterly") },
				{ value: "Yearly", label: __("Yearly") },
			])
		);
	}
	if (group_by) {
		filters.push(crm_plus.analytics.select("group_by", __("Group By"), group_by));
	}
	return filters;
};
