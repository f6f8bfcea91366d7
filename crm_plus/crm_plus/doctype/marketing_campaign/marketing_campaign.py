# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from crm_plus.marketing.costs import get_actual_costs
from crm_plus.marketing.stock import get_campaign_stock


class CampaignError(frappe.ValidationError):
	pass


class MarketingCampaign(Document):
	def validate(self):
		self.validate_dates()
		self.validate_budget()
		self.validate_products()
		self.validate_audience_rules()
		self.update_costs()
		self.record_stock_at_start()

	def on_update(self):
		self.sync_erpnext_campaign()

	def onload(self):
		if self.purpose == "Stock Clearance" and self.items:
			stock = get_campaign_stock(self)
			for row in self.items:
				row.stock_now = stock.get(row.name, 0)

	# --- validation ----------------------------------------------------------------

	def validate_dates(self):
		if self.end_date and getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("The campaign cannot end before it starts."), CampaignError)

	def validate_budget(self):
		for row in self.budget:
			if flt(row.budget_amount) < 0:
				frappe.throw(
					_("Row {0}: the budget for {1} cannot be negative.").format(row.idx, _(row.cost_category)),
					CampaignError,
				)
		for row in self.costs:
			if flt(row.amount) < 0:
				frappe.throw(_("Row {0}: a cost cannot be negative.").format(row.idx), CampaignError)

	def validate_products(self):
		for row in self.items:
			if not row.item_code and not row.item_group:
				frappe.throw(_("Products row {0}: choose an item or an item group.").format(row.idx), CampaignError)

	def validate_audience_rules(self):
		from crm_plus.marketing.audience import check_rule

		for row in self.audience_rules:
			check_rule(row)

	# --- costs -----------------------------------------------------------------------

	def update_costs(self):
		if self.is_new():
			from_books = {}
		else:
			from_books = get_actual_costs(self.name, self.company)
		manual = {}
		for row in self.costs:
			manual[row.cost_category] = manual.get(row.cost_category, 0) + flt(row.amount)
		mapped_accounts = {row.account for row in self.budget if row.account}
		unmapped = sum(v for account, v in from_books.items() if account not in mapped_accounts)
		for row in self.budget:
			actual = manual.get(row.cost_category, 0) + flt(from_books.get(row.account, 0) if row.account else 0)
			if row.cost_category == "Other":
				actual += unmapped
			row.actual_amount = actual
			row.variance = flt(row.budget_amount) - actual
		self.total_budget = sum(flt(row.budget_amount) for row in self.budget)
		self.cost_from_books = sum(from_books.values())
		self.total_cost = self.cost_from_books + sum(manual.values())
		self.warn_over_budget()

	def warn_over_budget(self):
		over = [row for row in self.budget if flt(row.budget_amount) and flt(row.actual_amount) > flt(row.budget_amount)]
		if self.total_budget and self.total_cost > self.total_budget:
			frappe.msgprint(
				_("Actual cost {0} is over the budget {1}.").format(
					frappe.format_value(self.total_cost, {"fieldtype": "Currency", "options": self.currency}),
					frappe.format_value(self.total_budget, {"fieldtype": "Currency", "options": self.currency}),
				),
				title=_("Over Budget"),
				indicator="orange",
			)
		elif over:
			frappe.msgprint(
				_("Over budget in: {0}").format(", ".join(_(row.cost_category) for row in over)),
				title=_("Over Budget"),
				indicator="orange",
			)

	# --- ERPNext Campaign --------------------------------------------------------------

	def sync_erpnext_campaign(self):
		"""The ERPNext Campaign that documents' Campaign field points at, kept in step."""
		name = self.campaign or frappe.db.get_value("Campaign", {"campaign_name": self.campaign_name})
		campaign = frappe.get_doc("Campaign", name) if name else frappe.new_doc("Campaign")
		campaign.campaign_name = self.campaign_name
		campaign.description = self.description
		campaign.flags.ignore_permissions = True  # the campaign's shadow record, owned by this one
		campaign.save()
		if self.campaign != campaign.name:
			self.db_set("campaign", campaign.name, update_modified=False)

	# --- stock clearance ------------------------------------------------------------------

	def record_stock_at_start(self):
		if self.purpose != "Stock Clearance" or self.status not in ("Running", "Completed"):
			return
		missing = [row for row in self.items if not row.stock_at_start]
		if not missing:
			return
		stock = get_campaign_stock(self)
		for row in missing:
			row.stock_at_start = stock.get(row.name, 0)
