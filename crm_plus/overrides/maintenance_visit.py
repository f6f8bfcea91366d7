from crm_plus.service.visits import notify_service_staff, resolve_complaint_when_done, validate_complaint_link


def validate(doc, method=None):
	validate_complaint_link(doc)


def on_update(doc, method=None):
	notify_service_staff(doc)


def on_submit(doc, method=None):
	notify_service_staff(doc)
	resolve_complaint_when_done(doc)
