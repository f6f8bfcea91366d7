from crm_plus.selling.amount_in_words import set_in_words
from crm_plus.stock.shortage import check_stock_shortage
from crm_plus.utils.dashboard import add_connections


def validate(doc, method=None):
	check_stock_shortage(doc)
	set_in_words(doc)


def before_update_after_submit(doc, method=None):
	set_in_words(doc)


def get_dashboard_data(data):
	return add_connections(data, [("Customer Follow Up", "quotation")])
