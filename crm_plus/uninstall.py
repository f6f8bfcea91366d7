from crm_plus.analytics.common import drop_indexes
from crm_plus.setup.custom_fields import delete_custom_fields


def before_uninstall() -> None:
	"""Mirror of install.after_install: take away what crm_plus added to ERPNext."""
	delete_custom_fields()
	drop_indexes()
