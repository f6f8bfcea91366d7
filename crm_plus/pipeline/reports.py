"""What the pipeline reports (Sales Forecast, Pipeline Movement, Competitor Analysis) share:
their filters checked the same way and the opportunities the user may read, optionally of
customers with one relationship (直接客户、代理商、合作伙伴、竞争对手)."""

import frappe
from frappe import _

from crm_plus.analytics.common import check_filters, raise_filter_error
from crm_plus.utils.permissions import user_permission_sql

RELATIONSHIPS = ("Direct Customer", "Agent", "Partner", "Competitor")


def check_pipeline_filters(filters, groupings: tuple[str, ...], default_group: str, views: tuple[str, ...] | None = None):
	"""check_filters on Opportunity's company permission, then the view (when the report has
	views) and the customer relationship, each one of its known values."""
	filters = check_filters(filters, groupings, default_group, for_doctype="Opportunity")
	if views:
		filters.view = filters.get("view") or views[0]
		if filters.view not in views:
			raise_filter_error(
				_("Unknown view {0}. Choose one of: {1}.").format(frappe.bold(filters.view), ", ".join(_(v) for v in views))
			)
	if filters.get("relationship") and filters.relationship not in RELATIONSHIPS:
		raise_filter_error(_("Unknown relationship {0}.").format(frappe.bold(filters.relationship)))
	return filters


def relationship_condition(filters, customer_column: str, params: dict) -> str:
	"""SQL (" and exists ...") keeping rows whose customer (`customer_column`, a constant of
	the caller) has the filtered relationship; empty counts as a direct customer."""
	if not filters.get("relationship"):
		return ""
	relationship = "ifnull(c.crm_plus_relationship, '')"
	match = f"{relationship} in ('', 'Direct Customer')" if filters.relationship == "Direct Customer" else f"{relationship} = %(relationship)s"
	params["relationship"] = filters.relationship
	return f" and exists (select 1 from `tabCustomer` c where c.name = {customer_column} and {match})"


def opportunity_conditions(filters, alias: str = "o") -> tuple[str, dict]:
	"""The opportunities the user may read (frappe.get_list's user permissions), optionally
	of customers with one relationship."""
	sql, params = user_permission_sql("Opportunity", alias)
	if filters.get("relationship"):
		sql += f" and {alias}.opportunity_from = 'Customer'" + relationship_condition(filters, f"{alias}.party_name", params)
	return sql, params
