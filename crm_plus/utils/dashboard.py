from frappe import _


def add_connections(data: dict, doctypes: list[tuple[str, str]]) -> dict:
	"""Add crm_plus doctypes to an ERPNext dashboard's connections, under "CRM Plus".

	doctypes: (doctype, the fieldname on it that links to the dashboard's document).
	"""
	data = data or {}
	transactions = data.setdefault("transactions", [])
	group = next((t for t in transactions if t.get("label") == _("CRM Plus")), None)
	if not group:
		group = {"label": _("CRM Plus"), "items": []}
		transactions.append(group)
	non_standard = data.setdefault("non_standard_fieldnames", {})
	for doctype, fieldname in doctypes:
		if doctype not in group["items"]:
			group["items"].append(doctype)
		if fieldname != data.get("fieldname"):
			non_standard[doctype] = fieldname
	return data
