from crm_plus.relationship.portal import on_contact_update


def on_update(doc, method=None):
	on_contact_update(doc)
