# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

"""What forecasting needs on ERPNext's Opportunity (销售预测):

- probability from the Sales Stage's default when the stage changes, unless the user set
  another one on the opportunity in the same edit;
- the sales person whose forecast it counts in (default: the owner's Sales Person);
- its weighted amount: amount in company currency × probability;
- the history of its stage, status, probability, expected closing date and amount, one
  row per change, kept by the server (also when ERPNext sets the status with db_set, as
  quotation and order submission do).
"""

import frappe
from frappe.utils import flt, now_datetime

from crm_plus.utils.permissions import keep_server_fields, stored_doc

HISTORY_FIELD = "crm_plus_stage_history"
HISTORY_DOCTYPE = "Opportunity Stage History"
# the opportunity's values a history row records, as (history field, opportunity field)
TRACKED = (
	("sales_stage", "sales_stage"),
	("status", "status"),
	("probability", "probability"),
	("expected_closing", "expected_closing"),
	("amount", "base_opportunity_amount"),
)
OPEN_STATUSES = ("Open", "Replied", "Quotation")


def validate(doc, method=None) -> None:
	keep_server_fields(doc, [HISTORY_FIELD, "crm_plus_weighted_amount"])
	set_amount(doc)
	set_probability(doc)
	set_sales_person(doc)
	doc.crm_plus_weighted_amount = weighted_amount(doc)


def on_change(doc, method=None) -> None:
	"""After every save and every db_set: a history row when a tracked value differs from
	the last row (so one change makes one row, however many times the hook runs)."""
	record_history(doc)


def set_amount(doc) -> None:
	"""The amount in company currency, on the server: ERPNext computes it only in the form's
	script, so over REST it would be whatever the client sent. No amount given: the items'
	total."""
	if not flt(doc.opportunity_amount) and flt(doc.total):
		doc.opportunity_amount = doc.total
	doc.base_opportunity_amount = flt(
		flt(doc.opportunity_amount) * flt(doc.conversion_rate or 1), doc.precision("base_opportunity_amount")
	)


def set_probability(doc) -> None:
	"""The stage's default probability on a new opportunity (unless the user typed another)
	or when the stage changes (unless the probability changed in the same edit)."""
	if not doc.sales_stage:
		return
	before = stored_doc(doc)
	if before is None:
		default = flt(doc.meta.get_field("probability").default)
		typed = flt(doc.probability) not in (0, default)
	else:
		typed = flt(doc.probability) != flt(before.probability)
		if doc.sales_stage == before.sales_stage:
			return
	if typed:
		return
	stage_probability = flt(frappe.db.get_value("Sales Stage", doc.sales_stage, "crm_plus_probability"))
	if stage_probability:  # a stage without a default probability leaves the opportunity's own
		doc.probability = stage_probability


def set_sales_person(doc) -> None:
	if doc.get("crm_plus_sales_person") or not doc.opportunity_owner:
		return
	doc.crm_plus_sales_person = sales_person_of(doc.opportunity_owner)


def sales_person_of(user: str) -> str | None:
	"""The enabled, non-group Sales Person whose employee is `user`."""
	employee = frappe.db.get_value("Employee", {"user_id": user, "status": "Active"}, "name")
	if not employee:
		return None
	return frappe.db.get_value("Sales Person", {"employee": employee, "enabled": 1, "is_group": 0}, "name")


def weighted_amount(doc) -> float:
	"""The one definition: amount in company currency × probability (%)."""
	return flt(flt(doc.base_opportunity_amount) * flt(doc.probability) / 100.0, doc.precision("base_opportunity_amount"))


def record_history(doc) -> None:
	current = {field: doc.get(source) for field, source in TRACKED}
	last = frappe.db.get_value(
		HISTORY_DOCTYPE,
		{"parent": doc.name, "parenttype": "Opportunity", "parentfield": HISTORY_FIELD},
		[field for field, _source in TRACKED] + ["idx"],
		order_by="idx desc",
		as_dict=True,
	)
	if last and not changed(last, current):
		return
	row = frappe.get_doc(
		{
			"doctype": HISTORY_DOCTYPE,
			"parent": doc.name,
			"parenttype": "Opportunity",
			"parentfield": HISTORY_FIELD,
			"idx": (last.idx if last else 0) + 1,
			"changed_on": now_datetime(),
			"changed_by": frappe.session.user,
			**current,
		}
	)
	row.db_insert()  # the server's own record of the change, whoever made it
	doc.append(HISTORY_FIELD, row.as_dict())


def changed(last: dict, current: dict) -> bool:
	for field, value in current.items():
		old = last.get(field)
		if field in ("probability", "amount"):
			if flt(old) != flt(value):
				return True
		elif str(old or "") != str(value or ""):
			return True
	return False


def backfill() -> None:
	"""Opportunities made before crm_plus (or while it was off): their weighted amount, and
	one history row from their current values dated at their creation. Idempotent."""
	frappe.db.sql(
		"""update `tabOpportunity`
		set crm_plus_weighted_amount = round(ifnull(base_opportunity_amount, 0) * ifnull(probability, 0) / 100, 2)
		where crm_plus_weighted_amount is null or crm_plus_weighted_amount
			!= round(ifnull(base_opportunity_amount, 0) * ifnull(probability, 0) / 100, 2)"""
	)
	frappe.db.sql(
		"""insert into `tabOpportunity Stage History`
			(name, parent, parenttype, parentfield, idx, creation, modified, owner, modified_by, docstatus,
			changed_on, changed_by, sales_stage, status, probability, expected_closing, amount)
		select concat('osh-', left(md5(o.name), 12)), o.name, 'Opportunity', %(field)s, 1, o.creation, o.creation,
			o.owner, o.owner, 0, o.creation, o.owner, o.sales_stage, o.status, o.probability, o.expected_closing,
			o.base_opportunity_amount
		from `tabOpportunity` o
		where not exists (select 1 from `tabOpportunity Stage History` h
			where h.parent = o.name and h.parenttype = 'Opportunity' and h.parentfield = %(field)s)""",
		{"field": HISTORY_FIELD},
	)
