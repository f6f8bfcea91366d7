# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

STOCK_CHECK_FIELDS = {
	"Quotation": "check_quotation",
	"Sales Order": "check_sales_order",
	"Delivery Note": "check_delivery_note",
}


class CRMPlusSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		check_delivery_note: DF.Check
		check_quotation: DF.Check
		check_sales_order: DF.Check
		churn_at_risk_days: DF.Int
		churn_follow_up: DF.Check
		churn_lost_days: DF.Int
		churn_new_days: DF.Int
		cny_in_words: DF.Check
		contract_check_mode: DF.Literal["Off", "Warn", "Block"]
		contract_expiring_days: DF.Int
		contract_reminder_days: DF.Int
		follow_up_daily_digest: DF.Check
		follow_up_own_only: DF.Check
		follow_up_reassign_role: DF.Link | None
		notify_stock_managers: DF.Check
		portal_complaint_limit: DF.Int
		repair_assign_role: DF.Link | None
		receivable_ageing_ranges: DF.Data | None
		receivable_daily_reminder: DF.Check
		receivable_soon_due_days: DF.Int
		review_allow_self_approval: DF.Check
		review_amount_threshold: DF.Currency
		review_approver_role: DF.Link | None
		review_discount_threshold: DF.Percent
		review_enabled: DF.Check
		review_manager_role: DF.Link | None
		review_quotation: DF.Check
		review_sales_order: DF.Check
		stock_shortage_basis: DF.Literal["Actual minus Reserved", "Projected Quantity"]
		stock_shortage_mode: DF.Literal["Off", "Warn", "Block"]
	# end: auto-generated types

	def validate(self):
		self.validate_churn_thresholds()
		self.validate_forecast_thresholds()

	def on_update(self):
		self.sync_review_workflows()

	def sync_review_workflows(self):
		if self.has_value_changed("review_enabled") or any(
			self.has_value_changed(f)
			for f in (
				"review_quotation",
				"review_sales_order",
				"review_approver_role",
				"review_manager_role",
				"review_allow_self_approval",
			)
		):
			from crm_plus.review.workflow import sync_workflows

			frappe.clear_document_cache(self.doctype, self.name)
			sync_workflows()

	def validate_churn_thresholds(self):
		lost, at_risk = cint(self.churn_lost_days), cint(self.churn_at_risk_days)
		if lost and at_risk and lost <= at_risk:
			frappe.throw(
				_("Lost After must be more days than At Risk After ({0}).").format(self.churn_at_risk_days),
				title=_("Invalid Churn Thresholds"),
			)

	def validate_forecast_thresholds(self):
		best, commit = flt(self.forecast_best_case_probability), flt(self.forecast_commit_probability)
		if not 0 <= best <= 100 or not 0 <= commit <= 100:
			frappe.throw(_("Forecast probabilities are percentages from 0 to 100."), title=_("Invalid Forecast Settings"))
		if best > commit:
			frappe.throw(
				_("Best Case from Probability ({0}%) cannot be above Committed from Probability ({1}%): the best case includes the committed opportunities.").format(
					best, commit
				),
				title=_("Invalid Forecast Settings"),
			)


def get_settings() -> "CRMPlusSettings":
	"""The settings, cached per site and cleared by Frappe when they are saved."""
	return frappe.get_cached_doc("CRM Plus Settings")


def stock_check_mode(doctype: str) -> str:
	"""'Off', 'Warn' or 'Block' for documents of `doctype`."""
	settings = get_settings()
	mode = settings.stock_shortage_mode or "Warn"
	if mode == "Off" or not settings.get(STOCK_CHECK_FIELDS.get(doctype, "")):
		return "Off"
	return mode
