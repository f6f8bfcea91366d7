from crm_plus.service.portal import tidy_portal_menu


def execute():
	"""Sites that had crm_plus before the service portal's menu was tidied (issue 13)."""
	tidy_portal_menu(hide=True)
