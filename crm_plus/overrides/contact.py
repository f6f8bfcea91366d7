from crm_plus.relationship.contacts import validate_reports_to
from crm_plus.relationship.portal import on_contact_trash, on_contact_update


def validate(doc, method=None):
	validate_reports_to(doc)


def on_update(doc, method=None):
	on_contact_update(doc)


def on_trash(doc, method=None):
	on_contact_trash(doc)
