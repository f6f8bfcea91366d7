from crm_plus.utils.dashboard import add_connections


def get_dashboard_data(data):
	"""The follow-ups where a customer mentioned the competitor (the opportunities against it:
	the Competitor Analysis report, filtered by competitor)."""
	return add_connections(data, [("Customer Follow Up", "competitor")])
