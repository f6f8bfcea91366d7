from crm_plus.stock.shortage import check_stock_shortage, notify_stock_managers


def validate(doc, method=None):
	check_stock_shortage(doc)


def on_submit(doc, method=None):
	notify_stock_managers(doc)
