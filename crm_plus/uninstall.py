import frappe

from crm_plus.install import ROLES
from crm_plus.marketing.costs import remove_accounting_dimension
from crm_plus.service.complaints import remove_assignment_rule
from crm_plus.analytics.common import drop_indexes
from crm_plus.setup.custom_fields import delete_custom_fields
from crm_plus.service.portal import tidy_portal_menu
from crm_plus.setup.permissions import remove_permissions


def before_uninstall() -> None:
	"""Mirror of install.after_install: take away what crm_plus added to ERPNext."""
	remove_review_workflows()
	delete_custom_fields()
	remove_assignment_rule()
	remove_accounting_dimension()
	remove_permissions()
	tidy_portal_menu(hide=False)
	for role in ROLES:
		if frappe.db.exists("Role", role):
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)  # uninstall: removes what crm_plus made, whoever runs it
	drop_indexes()


def remove_review_workflows() -> None:
	"""Before the custom fields go: the workflows use crm_plus_review_state (issue 5)."""
	from crm_plus.review.workflow import remove_workflows

	remove_workflows()
