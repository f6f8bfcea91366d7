from crm_plus.stock.shortage import check_stock_shortage


def validate(doc, method=None):
	check_stock_shortage(doc)
