import frappe
from frappe import _

from crm_plus.marketing.costs import make_accounting_dimension
from crm_plus.analytics.common import add_indexes
from crm_plus.setup.custom_fields import make_custom_fields
from crm_plus.setup.permissions import make_permissions

SUPPORTED_ERPNEXT_MAJOR = 15


class ERPNextMissingError(frappe.ValidationError):
	pass


def check_erpnext(installed_apps: list[str], erpnext_version: str | None) -> None:
	"""Refuse to install without ERPNext v15 on the site."""
	if "erpnext" not in installed_apps:
		frappe.throw(
			_("CRM Plus needs ERPNext. Install ERPNext version 15 on this site first, then install CRM Plus."),
			ERPNextMissingError,
			title=_("ERPNext is not installed"),
		)
	major = int((erpnext_version or "0").split(".")[0] or 0)
	if major != SUPPORTED_ERPNEXT_MAJOR:
		frappe.throw(
			_("CRM Plus supports ERPNext version {0}; this site has version {1}.").format(
				SUPPORTED_ERPNEXT_MAJOR, erpnext_version
			),
			ERPNextMissingError,
			title=_("Unsupported ERPNext version"),
		)


def before_install() -> None:
	installed = frappe.get_installed_apps()
	version = None
	if "erpnext" in installed:
		import erpnext

		version = erpnext.__version__
	check_erpnext(installed, version)


def after_install() -> None:
	from crm_plus.service.portal import tidy_portal_menu

	tidy_portal_menu(hide=True)
	make_custom_fields()
	set_default_settings()
	make_default_records()
	make_permissions()
	make_accounting_dimension()
	add_indexes()
	sync_review_workflows()
	backfill_opportunities()


def after_migrate() -> None:
	from crm_plus.analytics.facts import add_fact_indexes

	make_custom_fields()
	set_default_settings()
	make_default_records()
	make_permissions()
	make_accounting_dimension()
	add_indexes()
	add_fact_indexes()  # an index whose columns changed in an upgrade is rebuilt
	sync_review_workflows()
	backfill_opportunities()


def backfill_opportunities() -> None:
	"""Weighted amounts and a first stage-history row for opportunities crm_plus has not seen."""
	from crm_plus.pipeline.opportunity import backfill

	backfill()


def sync_review_workflows() -> None:
	"""The Quotation and Sales Order review workflows, as CRM Plus Settings say (issue 5)."""
	from crm_plus.review.workflow import sync_workflows

	sync_workflows()


ROLES = ("Marketing Manager", "Service Clerk", "Technician", "Service Manager")


DEFAULT_CHURN_REASONS = ("Price", "Service", "Product Quality", "Competitor", "Business Closed or Changed", "Other")


def make_default_records() -> None:
	"""Roles and masters crm_plus ships with; users may add, rename or delete masters."""
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(ignore_permissions=True)  # shipped role, made at install
	make_service_records()
	set_cny_symbol()
	if frappe.db.count("Customer Churn Reason"):
		return
	for reason in DEFAULT_CHURN_REASONS:
		frappe.get_doc({"doctype": "Customer Churn Reason", "reason": reason}).insert(ignore_permissions=True)  # shipped master records, made at install


def set_cny_symbol() -> None:
	"""Frappe's currency data give CNY no symbol, so amounts read "CNY 1,200.00"; a Chinese
	user reads ¥1,200.00. Set only where none is set (a user's choice stays)."""
	if frappe.db.exists("Currency", "CNY") and not frappe.db.get_value("Currency", "CNY", "symbol"):
		frappe.db.set_value("Currency", "CNY", "symbol", "¥")


def make_service_records() -> None:
	"""After-sales service: complaint categories and the complaints' Assignment Rule."""
	from crm_plus.service.complaints import make_assignment_rule, make_default_categories

	make_default_categories()
	make_assignment_rule()
	add_indexes()


def typed_default(df):
	"""A docfield's default (always text in the meta) as its field's type."""
	from frappe.utils import cint, flt

	if df.fieldtype in ("Int", "Check"):
		return cint(df.default)
	if df.fieldtype in ("Float", "Currency", "Percent"):
		return flt(df.default)
	return df.default


def set_default_settings() -> None:
	"""Give every unset field of CRM Plus Settings its default, keeping what users chose."""
	stored = frappe.db.get_singles_dict("CRM Plus Settings")
	settings = frappe.get_single("CRM Plus Settings")
	changed = False
	for df in settings.meta.fields:
		if df.default is not None and stored.get(df.fieldname) in (None, ""):
			settings.set(df.fieldname, typed_default(df))
			changed = True
	if changed:
		settings.flags.ignore_permissions = True  # the app's own record, written at install
		settings.save()
