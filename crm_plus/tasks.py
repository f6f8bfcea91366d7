"""Scheduler entry points: thin, the work lives in the capability modules."""

from crm_plus.relationship.churn import update_lifecycle_statuses
from crm_plus.relationship.follow_ups import send_daily_digest


def daily() -> None:
	update_lifecycle_statuses()
	send_daily_digest()


def hourly() -> None:
	from crm_plus.marketing.mass_email import resume_campaign_emails
	from crm_plus.service.complaints import escalate_overdue_complaints

	escalate_overdue_complaints()
	resume_campaign_emails()


def daily_contracts_and_receivables() -> None:
	from crm_plus.contracts.lifecycle import send_contract_reminders, update_contract_statuses
	from crm_plus.receivables.follow_ups import daily as receivables_daily

	update_contract_statuses()
	send_contract_reminders()
	receivables_daily()
