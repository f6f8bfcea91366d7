from crm_plus.utils.dashboard import add_connections


def get_dashboard_data(data):
	return add_connections(data, [("Receivable Follow Up", "sales_invoice")])
