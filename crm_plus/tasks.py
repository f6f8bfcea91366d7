"""Scheduler entry points: thin, the work lives in the capability modules."""

from crm_plus.relationship.churn import update_lifecycle_statuses
from crm_plus.relationship.follow_ups import send_daily_digest


def daily() -> None:
	update_lifecycle_statuses()
	send_daily_digest()


def hourly() -> None:
	from crm_plus.service.complaints import escalate_overdue_complaints

	escalate_overdue_complaints()
