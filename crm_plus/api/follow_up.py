import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, nowdate

FOLLOW_UP = "Customer Follow Up"
QUICK_NEXT = {"Tomorrow": 1, "In 3 Days": 3, "In a Week": 7}


@frappe.whitelist(methods=["POST"])
def complete_follow_up(
	name: str,
	outcome: str,
	summary: str | None = None,
	follow_up_type: str | None = None,
	next_follow_up_on: str | None = None,
	next_action: str | None = None,
) -> str:
	"""One click: the planned follow-up is done; returns the new follow-up's name."""
	follow_up = frappe.get_doc(FOLLOW_UP, name)
	follow_up.check_permission("write")
	done = follow_up.complete(outcome, summary, follow_up_type, next_follow_up_on, next_action)
	return done.name


@frappe.whitelist(methods=["POST"])
def record_follow_up(
	party_type: str,
	party: str,
	summary: str,
	follow_up_type: str = "Phone",
	outcome: str | None = None,
	contact: str | None = None,
	next_in: str | None = None,
	next_follow_up_on: str | None = None,
	next_action: str | None = None,
) -> str:
	"""Record a follow-up from a Customer, Lead or Prospect form. `next_in` is a quick
	pick (Tomorrow, In 3 Days, In a Week: at 09:00) or Custom with `next_follow_up_on`."""
	if party_type not in ("Customer", "Lead", "Prospect"):
		frappe.throw(_("Follow-ups are recorded for a Customer, Lead or Prospect."))
	frappe.has_permission(party_type, "read", doc=party, throw=True)
	if next_in in QUICK_NEXT:
		next_follow_up_on = get_datetime(f"{add_days(nowdate(), QUICK_NEXT[next_in])} 09:00:00")
	follow_up = frappe.get_doc(
		{
			"doctype": FOLLOW_UP,
			"party_type": party_type,
			{"Customer": "customer", "Lead": "lead", "Prospect": "prospect"}[party_type]: party,
			"summary": summary,
			"outcome": outcome,
			"follow_up_type": follow_up_type,
			"contact": contact,
			"next_follow_up_on": next_follow_up_on or None,
			"next_action": next_action,
		}
	)
	follow_up.insert()  # checks create permission on follow-ups
	return follow_up.name
