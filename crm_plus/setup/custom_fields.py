"""What crm_plus adds to ERPNext's doctypes, as data.

Created on install and on every migrate (so a changed definition reaches existing
sites), deleted on uninstall. Never exported from Customize Form.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields


def get_custom_fields() -> dict[str, list[dict]]:
	fields = {
		"Sales Order": [
			{
				"fieldname": "crm_plus_shortage_notified",
				"label": "Stock Shortage Notified",
				"fieldtype": "Check",
				"insert_after": "status",
				"read_only": 1,
				"hidden": 1,
				"no_copy": 1,
				"allow_on_submit": 1,
				"print_hide": 1,
				"report_hide": 1,
				"description": "Set by CRM Plus when Stock Managers were told this order was short.",
			},
		],
		"Customer": [
			# Customer 360 on the form's first tab, open, collapsible (filled by public/js/customer.js)
			{
				"fieldname": "crm_plus_360_section",
				"label": "Customer 360",
				"fieldtype": "Section Break",
				"insert_after": "image",
				"collapsible": 1,
				"collapsible_depends_on": "eval:true",
				"depends_on": "eval:!doc.__islocal",
			},
			{
				"fieldname": "crm_plus_360_html",
				"label": "Customer 360",
				"fieldtype": "HTML",
				"insert_after": "crm_plus_360_section",
			},
			*org_chart_fields(),
			{
				"fieldname": "crm_plus_lifecycle_section",
				"label": "Customer Lifecycle",
				"fieldtype": "Section Break",
				"insert_after": "customer_details",
				"collapsible": 1,
			},
			{
				"fieldname": "crm_plus_lifecycle_status",
				"label": "Lifecycle Status",
				"fieldtype": "Select",
				"options": "\nNew\nActive\nAt Risk\nLost\nWon Back",
				"insert_after": "crm_plus_lifecycle_section",
				"read_only": 1,
				"no_copy": 1,
				"in_standard_filter": 1,
				"search_index": 1,
				"description": "Set every day by CRM Plus from the customer's order history.",
			},
			{
				"fieldname": "crm_plus_status_since",
				"label": "Lifecycle Status Since",
				"fieldtype": "Date",
				"insert_after": "crm_plus_lifecycle_status",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "crm_plus_lifecycle_column",
				"fieldtype": "Column Break",
				"insert_after": "crm_plus_status_since",
			},
			{
				"fieldname": "crm_plus_last_order_date",
				"label": "Last Order Date",
				"fieldtype": "Date",
				"insert_after": "crm_plus_lifecycle_column",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "crm_plus_churn_reason",
				"label": "Churn Reason",
				"fieldtype": "Link",
				"options": "Customer Churn Reason",
				"insert_after": "crm_plus_last_order_date",
				"no_copy": 1,
			},
		],
		"Sales Stage": [
			{
				"fieldname": "crm_plus_probability",
				"label": "Default Probability (%)",
				"fieldtype": "Percent",
				"insert_after": "stage_name",
				"description": "An opportunity entering this stage takes this probability, unless someone sets another "
				"on the opportunity. Stages are ordered by it in the forecast.",
			},
		],
		"Opportunity": opportunity_fields(),
		"Supplier": org_chart_fields(),
		"Competitor": [
			# where it appears (filled by public/js/competitor.js from crm_plus.api.competitor)
			{
				"fieldname": "crm_plus_competitor_section",
				"label": "Where It Appears",
				"fieldtype": "Section Break",
				"insert_after": "website",
				"depends_on": "eval:!doc.__islocal",
			},
			{
				"fieldname": "crm_plus_competitor_html",
				"label": "Where It Appears",
				"fieldtype": "HTML",
				"insert_after": "crm_plus_competitor_section",
			},
		],
		"Contact": [
			# what relates to this contact (filled by public/js/contact.js from crm_plus.api.contact)
			{
				"fieldname": "crm_plus_activity_section",
				"label": "Contact Activity",
				"fieldtype": "Section Break",
				"insert_after": "image",
				"collapsible": 1,
				"collapsible_depends_on": "eval:true",
				"depends_on": "eval:!doc.__islocal",
			},
			{
				"fieldname": "crm_plus_activity_html",
				"label": "Contact Activity",
				"fieldtype": "HTML",
				"insert_after": "crm_plus_activity_section",
			},
			{
				# 直接领导 (crm_plus.relationship.contacts)
				"fieldname": "crm_plus_reports_to",
				"label": "Reports To",
				"fieldtype": "Link",
				"options": "Contact",
				"insert_after": "designation",
				"search_index": 1,
				"description": "The contact's direct superior at the same customer or supplier.",
			},
			{
				"fieldname": "crm_plus_portal_user",
				"label": "Portal User",
				"fieldtype": "Check",
				"insert_after": "is_primary_contact",
				"no_copy": 1,
				"description": "Invite this contact to the customer portal: a website user is made and an email "
				"with a link to set a password is sent. Untick to take portal access away.",
			},
		],
		"Portal User": [
			{
				"fieldname": "crm_plus_contact",
				"label": "Added for Contact",
				"fieldtype": "Data",
				"insert_after": "user",
				"read_only": 1,
				"in_list_view": 0,
				"description": "The contact whose Portal User tick added this row; unticking removes only such rows.",
			},
		],
		"Maintenance Visit": [
			{
				"fieldname": "crm_plus_complaint",
				"label": "Customer Complaint",
				"fieldtype": "Link",
				"options": "Customer Complaint",
				"insert_after": "maintenance_type",
				"search_index": 1,
				"description": "The complaint this visit serves. Completing all its visits can resolve it.",
			},
		],
		"Stock Entry": [
			{
				"fieldname": "crm_plus_repair_order",
				"label": "Repair Order",
				"fieldtype": "Link",
				"options": "Repair Order",
				"insert_after": "stock_entry_type",
				"read_only": 1,
				"search_index": 1,
			},
		],
		"Sales Invoice": [
			{
				"fieldname": "crm_plus_repair_order",
				"label": "Repair Order",
				"fieldtype": "Link",
				"options": "Repair Order",
				"insert_after": "customer",
				"read_only": 1,
				"search_index": 1,
			},
		],
	}
	fields["Customer"] += contract_and_receivable_customer_fields()
	fields["Customer"].append(
		{
			# 直接客户、各级代理商、合作伙伴、竞争对手: reports filter by it
			"fieldname": "crm_plus_relationship",
			"label": "Relationship",
			"fieldtype": "Select",
			"options": "\nDirect Customer\nAgent\nPartner\nCompetitor",
			"insert_after": "customer_group",
			"in_standard_filter": 1,
			"search_index": 1,
			"description": "Direct customer, agent, partner or competitor. Empty counts as a direct customer.",
		}
	)
	for doctype, review in review_fields().items():
		fields.setdefault(doctype, []).extend(review)
	return fields


def org_chart_fields() -> list[dict]:
	"""A customer's or supplier's contacts by whom they report to (public/js/org_chart.js),
	under the form's contacts."""
	return [
		{
			"fieldname": "crm_plus_org_chart_section",
			"label": "Contacts by Reporting Line",
			"fieldtype": "Section Break",
			"insert_after": "contact_html",
			"depends_on": "eval:!doc.__islocal",
		},
		{
			"fieldname": "crm_plus_org_chart_html",
			"label": "Contacts by Reporting Line",
			"fieldtype": "HTML",
			"insert_after": "crm_plus_org_chart_section",
		},
	]


def opportunity_fields() -> list[dict]:
	"""Forecasting on ERPNext's Opportunity (crm_plus.pipeline): who sells it, its weighted
	amount and the history of its stage, status, probability and expected close."""
	return [
		{
			"fieldname": "crm_plus_sales_person",
			"label": "Sales Person",
			"fieldtype": "Link",
			"options": "Sales Person",
			"insert_after": "opportunity_owner",
			"search_index": 1,
			"description": "Whose forecast this opportunity counts in. Empty: the sales person of the opportunity owner.",
		},
		{
			"fieldname": "crm_plus_weighted_amount",
			"label": "Weighted Amount (Company Currency)",
			"fieldtype": "Currency",
			"options": "Company:company:default_currency",
			"insert_after": "base_opportunity_amount",
			"read_only": 1,
			"no_copy": 1,
			"description": "Opportunity amount (company currency) × probability. Set by CRM Plus.",
		},
		{
			"fieldname": "crm_plus_stage_history_section",
			"label": "Stage History",
			"fieldtype": "Section Break",
			"insert_after": "competitors",
			"collapsible": 1,
			"depends_on": "eval:!doc.__islocal",
		},
		{
			"fieldname": "crm_plus_stage_history",
			"label": "Stage History",
			"fieldtype": "Table",
			"options": "Opportunity Stage History",
			"insert_after": "crm_plus_stage_history_section",
			"read_only": 1,
			"no_copy": 1,
			"description": "Kept by CRM Plus: a row each time the stage, status, probability or expected closing date changes.",
		},
	]


def contract_and_receivable_customer_fields() -> list[dict]:
	"""Contracts and receivables (issue 5): on the Customer's CRM Plus section."""
	return [
		{
			"fieldname": "crm_plus_contract_required",
			"label": "Contract Required",
			"fieldtype": "Check",
			"insert_after": "crm_plus_churn_reason",
			"description": "Sales Orders for this customer are checked for an active Contract Document (warn or block, per CRM Plus Settings).",
		},
		{
			"fieldname": "crm_plus_collector",
			"label": "Receivables Collector",
			"fieldtype": "Link",
			"options": "User",
			"insert_after": "crm_plus_contract_required",
			"description": "Follows up this customer's unpaid invoices. Empty: the account manager.",
		},
	]


def review_fields() -> dict[str, list[dict]]:
	"""The review workflow's state and level on Quotation and Sales Order (issue 5)."""
	fields = [
		{
			"fieldname": "crm_plus_review_state",
			"label": "Review State",
			"fieldtype": "Link",
			"options": "Workflow State",
			"insert_after": "amended_from",
			"hidden": 1,
			"read_only": 1,
			"allow_on_submit": 1,
			"no_copy": 1,
			"print_hide": 1,
		},
		{
			"fieldname": "crm_plus_review_level",
			"label": "Approval Needed From",
			"fieldtype": "Select",
			"options": "\nApprover\nManager",
			"insert_after": "crm_plus_review_state",
			"read_only": 1,
			"no_copy": 1,
			"print_hide": 1,
			"depends_on": "crm_plus_review_level",
			"description": "Manager: above the amount or discount threshold of CRM Plus Settings.",
		},
	]
	return {"Quotation": [dict(f) for f in fields], "Sales Order": [dict(f) for f in fields]}


def get_property_setters() -> list[dict]:
	"""Property setters crm_plus owns; none yet. Each: doctype, fieldname, property, value, property_type."""
	return []


def make_custom_fields() -> None:
	create_custom_fields(get_custom_fields(), ignore_validate=True, update=True)
	for ps in get_property_setters():
		frappe.make_property_setter(ps, validate_fields_for_doctype=False)


def delete_custom_fields() -> None:
	for doctype, fields in get_custom_fields().items():
		for field in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)  # uninstall: removes the fields crm_plus made, whoever runs it
		frappe.clear_cache(doctype=doctype)
	for ps in get_property_setters():
		frappe.db.delete(
			"Property Setter",
			{"doc_type": ps["doctype"], "field_name": ps.get("fieldname"), "property": ps["property"]},
		)
		frappe.clear_cache(doctype=ps["doctype"])
