from frappe import _


def get_data():
	"""Everything made from a complaint."""
	return {
		"fieldname": "complaint",
		"non_standard_fieldnames": {"Maintenance Visit": "crm_plus_complaint"},
		"transactions": [{"label": _("Made From This Complaint"), "items": ["Repair Order", "Maintenance Visit"]}],
	}
