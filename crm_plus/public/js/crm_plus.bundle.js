// Loaded on every desk page (hooks.app_include_js). What the CRM Plus analytics reports'
// filter definitions share: company, date range, period and a grouping.

frappe.provide("crm_plus.analytics");

// A customer's lifecycle status in the user's language: "New" is 新客户 here, not the 新建
// of a "New" button (the translation has the context "Lifecycle Status").
crm_plus.lifecycle_label = (status) => (status ? __(status, null, "Lifecycle Status") : "");

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

// The same filters with other default values ({fieldname: default}).
crm_plus.analytics.with_defaults = (filters, defaults) =>
	filters.map((df) => (df.fieldname in defaults ? { ...df, default: defaults[df.fieldname] } : df));

// The pipeline reports' customer relationship (直接客户、代理商、合作伙伴、竞争对手); empty: all.
crm_plus.analytics.relationship = () => ({
	fieldname: "relationship",
	label: __("Relationship"),
	fieldtype: "Select",
	options: [
		{ value: "", label: "" },
		{ value: "Direct Customer", label: __("Direct Customer") },
		{ value: "Agent", label: __("Agent") },
		{ value: "Partner", label: __("Partner") },
		{ value: "Competitor", label: __("Competitor") },
	],
});

// Who a row is about, when nobody is: a sales person or a user (technician, assignee,
// collector, account manager) left empty reads "Unassigned" (未分配), never a blank cell.
const PEOPLE = ["Sales Person", "User"];

// Every CRM Plus report's settings go through this: each filter keeps its label above its
// input (Frappe shows it only as a placeholder, which disappears once a value is chosen),
// and empty who-cells read "Unassigned". The report's own formatter and onload still run.
crm_plus.analytics.report = (settings) => ({
	...settings,
	onload(report) {
		(settings.filters || []).forEach((df) => {
			const field = report.page.fields_dict[df.fieldname];
			if (!field || !df.label || field.$wrapper.find(".crm-plus-filter-label").length) return;
			field.$wrapper
				.addClass("crm-plus-filter")
				.prepend(`<div class="crm-plus-filter-label">${frappe.utils.escape_html(df.label)}</div>`);
		});
		if (settings.onload) settings.onload(report);
	},
	formatter(value, row, column, data, default_formatter) {
		// a total row of all the rows, when a report shows only its largest (Top N): its
		// label in the column it names, amounts in bold, no links
		if (data && data.is_total_row) {
			if (column.fieldname === data.total_label_field) return `<b>${frappe.utils.escape_html(data.total_label)}</b>`;
			if (["Link", "Dynamic Link", "Data", "Select"].includes(column.fieldtype)) return "";
			return `<b>${default_formatter(value, row, column, data)}</b>`;
		}
		if (data && column.fieldtype === "Link" && PEOPLE.includes(column.options) && !data[column.fieldname]) {
			return `<span class="text-muted">${__("Unassigned")}</span>`;
		}
		return settings.formatter
			? settings.formatter(value, row, column, data, default_formatter)
			: default_formatter(value, row, column, data);
	},
});

// the labels above the report filters (see crm_plus.analytics.report)
frappe.dom.set_style(`
.crm-plus-filter-label { font-size: var(--text-xs); color: var(--text-muted); margin-bottom: 2px;
	white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.page-form .crm-plus-filter { margin-bottom: var(--margin-xs); }
`);

// The CRM Plus workspace's money cards are sums in the user's company's currency (their
// filters pick that company): show them in it (¥ for a CNY company), not in the system's
// default currency, which is what Frappe's number card falls back to.
(() => {
	const NumberCard = frappe.widget && frappe.widget.widget_factory && frappe.widget.widget_factory.number_card;
	if (!NumberCard || NumberCard.prototype.crm_plus_currency) return;
	const set_formatted_number = NumberCard.prototype.set_formatted_number;
	NumberCard.prototype.crm_plus_currency = true;
	NumberCard.prototype.set_formatted_number = function (df, doc) {
		const ours = this.card_doc && this.card_doc.module === "CRM Plus" && !this.card_doc.currency;
		const company = ours && df && df.fieldtype === "Currency" && frappe.defaults.get_user_default("company");
		const currency = company && window.erpnext && erpnext.get_currency && erpnext.get_currency(company);
		if (!currency) return set_formatted_number.call(this, df, doc);
		this.card_doc.currency = currency;
		try {
			return set_formatted_number.call(this, df, doc);
		} finally {
			this.card_doc.currency = null;
		}
	};
})();

// ... and fetched together: on the CRM Plus workspace, the cards' documents come in one
// request and their figures in another (crm_plus.api.workspace), not two requests a card.
(() => {
	const NumberCard = frappe.widget && frappe.widget.widget_factory && frappe.widget.widget_factory.number_card;
	if (!NumberCard || NumberCard.prototype.crm_plus_batch) return;
	// calls made within `wait` ms of the first share one request: batch(call, wait)(item) -> its answer
	const batch = (call, wait = 0) => {
		let waiting = null;
		return (item) => {
			if (!waiting) {
				const current = (waiting = { items: [] });
				current.result = new Promise((resolve) => setTimeout(resolve, wait)).then(() => {
					waiting = null;
					return call(current.items);
				});
			}
			waiting.items.push(item);
			return waiting.result;
		};
	};
	const widget_docs = batch((widgets) =>
		frappe.call({ method: "crm_plus.api.workspace.widget_docs", type: "GET", args: { widgets } }).then((r) => {
			(r.message || []).forEach((doc) => {
				frappe.model.sync(doc);
				frappe.model.docinfo[doc.doctype] = frappe.model.docinfo[doc.doctype] || {};
				frappe.model.docinfo[doc.doctype][doc.name] = {}; // loaded: frappe.model.with_doc need not ask again
			});
		})
	);
	const loaded = (doctype, name) => locals[doctype] && locals[doctype][name];
	// the cards ask for their figures as each finishes its own setup, over a few ticks: a short
	// window gathers them all into one request
	const card_values = batch((cards) => frappe.xcall("crm_plus.api.workspace.number_cards", { cards }), 50);
	const on_our_workspace = () => {
		const route = frappe.get_route();
		return route[0] === "Workspaces" && route[1] === "CRM Plus";
	};

	const make_card = NumberCard.prototype.make_card;
	const get_data = NumberCard.prototype.get_data;
	NumberCard.prototype.crm_plus_batch = true;
	NumberCard.prototype.make_card = function () {
		const name = this.number_card_name || this.name;
		if (!on_our_workspace() || loaded("Number Card", name)) return make_card.call(this);
		widget_docs(["Number Card", name]).then(() => make_card.call(this));
	};
	const Chart = frappe.widget.widget_factory.chart;
	if (Chart) {
		const get_settings = Chart.prototype.get_settings;
		Chart.prototype.get_settings = function () {
			if (!on_our_workspace() || loaded("Dashboard Chart", this.chart_name)) return get_settings.call(this);
			return widget_docs(["Dashboard Chart", this.chart_name]).then(() => get_settings.call(this));
		};
	}
	NumberCard.prototype.get_data = async function () {
		const ours = this.card_doc && this.card_doc.module === "CRM Plus" && this.card_doc.type === "Document Type";
		if (!ours) return get_data.call(this);
		const values = await card_values({ name: this.card_doc.name, filters: this.settings.args.filters });
		if (!(this.card_doc.name in values)) return get_data.call(this);
		this.data = values[this.card_doc.name] || 0;
		return this.settings.get_number(this.data);
	};
})();
