from crm_plus.relationship.churn import keep_lifecycle_fields
from crm_plus.relationship.conversion import on_customer_insert
from crm_plus.relationship.customer_360 import CUSTOMER_CONNECTIONS
from crm_plus.utils.dashboard import add_connections


def validate(doc, method=None):
	keep_lifecycle_fields(doc)


def after_insert(doc, method=None):
	on_customer_insert(doc)


def get_dashboard_data(data):
	return add_connections(data, CUSTOMER_CONNECTIONS)
