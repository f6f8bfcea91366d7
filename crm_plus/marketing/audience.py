"""Who a campaign targets: customers, leads and contacts chosen by rules (customer group,
territory, lifecycle status, purchase of given items, hand-picked). One query per kind
of rule, whatever the number of members; the resolved list is stored on the campaign and
keeps each member's send log when refreshed."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from crm_plus.relationship.churn import STATUSES as LIFECYCLE_STATUSES

RULE_DOCTYPES = {
	"Customer Group": "Customer Group",
	"Territory": "Territory",
	"Purchased Item": "Item",
	"Customer": "Customer",
	"Lead": "Lead",
	"Contact": "Contact",
}
STATUS_RULES = ("Lifecycle Status", "Lead Status")


class AudienceError(frappe.ValidationError):
	pass


def check_rule(row) -> None:
	if row.rule in STATUS_RULES:
		row.link_doctype, row.value = None, None
		allowed = LIFECYCLE_STATUSES if row.rule == "Lifecycle Status" else lead_statuses()
		if row.status_value not in allowed:
			frappe.throw(
				_("Audience rule {0}: {1} must be one of {2}.").format(row.idx, _(row.rule), ", ".join(allowed)),
				AudienceError,
			)
		return
	row.link_doctype = RULE_DOCTYPES[row.rule]
	row.status_value = None
	if not row.value or not frappe.db.exists(row.link_doctype, row.value):
		frappe.throw(
			_("Audience rule {0}: choose an existing {1}.").format(row.idx, _(row.link_doctype)), AudienceError
		)


def lead_statuses() -> list[str]:
	return [s for s in (frappe.get_meta("Lead").get_field("status").options or "").split("\n") if s]


def resolve(campaign) -> list[dict]:
	"""The members the rules select now: dicts of member_type, member, member_name, email."""
	by_rule: dict[str, list] = {}
	for row in campaign.audience_rules:
		by_rule.setdefault(row.rule, []).append(row.status_value if row.rule in STATUS_RULES else row.value)

	customers: set[str] = set()
	if "Customer Group" in by_rule:
		customers |= _in_tree("Customer", "customer_group", "Customer Group", by_rule["Customer Group"])
	if "Territory" in by_rule:
		customers |= _in_tree("Customer", "territory", "Territory", by_rule["Territory"])
	if "Lifecycle Status" in by_rule:
		customers |= set(
			frappe.get_all(
				"Customer",
				filters={"crm_plus_lifecycle_status": ["in", by_rule["Lifecycle Status"]], "disabled": 0},
				pluck="name",
			)
		)
	if "Purchased Item" in by_rule:
		customers |= set(
			frappe.db.sql_list(
				"""SELECT DISTINCT si.customer FROM `tabSales Invoice Item` sii
				JOIN `tabSales Invoice` si ON si.name = sii.parent
				WHERE si.docstatus = 1 AND si.company = %(company)s AND sii.item_code IN %(items)s""",
				{"company": campaign.company, "items": by_rule["Purchased Item"]},
			)
		)
	customers |= set(by_rule.get("Customer", []))

	leads = set(by_rule.get("Lead", []))
	if "Lead Status" in by_rule:
		leads |= set(frappe.get_all("Lead", filters={"status": ["in", by_rule["Lead Status"]]}, pluck="name"))
	contacts = set(by_rule.get("Contact", []))

	members = []
	if customers:
		members += frappe.db.sql(
			"""SELECT 'Customer' AS member_type, c.name AS member, c.customer_name AS member_name,
				COALESCE(NULLIF(c.email_id, ''), pc.email_id) AS email
			FROM `tabCustomer` c LEFT JOIN `tabContact` pc ON pc.name = c.customer_primary_contact
			WHERE c.name IN %(names)s AND c.disabled = 0 ORDER BY c.name""",
			{"names": list(customers)},
			as_dict=True,
		)
	if leads:
		members += frappe.db.sql(
			"""SELECT 'Lead' AS member_type, name AS member, lead_name AS member_name, email_id AS email
			FROM `tabLead` WHERE name IN %(names)s ORDER BY name""",
			{"names": list(leads)},
			as_dict=True,
		)
	if contacts:
		members += frappe.db.sql(
			"""SELECT 'Contact' AS member_type, name AS member, full_name AS member_name, email_id AS email
			FROM `tabContact` WHERE name IN %(names)s ORDER BY name""",
			{"names": list(contacts)},
			as_dict=True,
		)
	return members


def _in_tree(doctype: str, field: str, tree_doctype: str, roots: list[str]) -> set[str]:
	tree = frappe.qb.DocType(tree_doctype)
	root = frappe.qb.DocType(tree_doctype).as_("root")
	party = frappe.qb.DocType(doctype)
	return set(
		(
			frappe.qb.from_(party)
			.join(tree)
			.on(tree.name == getattr(party, field))
			.join(root)
			.on((tree.lft >= root.lft) & (tree.rgt <= root.rgt))
			.select(party.name)
			.distinct()
			.where(root.name.isin(roots) & (party.disabled == 0))
		).run(pluck=True)
	)


def refresh_members(campaign) -> dict:
	"""Store the resolved list; members already emailed keep their log."""
	log = {(m.member_type, m.member): m for m in campaign.members}
	resolved = resolve(campaign)
	campaign.set("members", [])
	for m in resolved:
		old = log.get((m.member_type, m.member))
		campaign.append(
			"members",
			{
				**m,
				"email_status": old.email_status if old and old.email_status else "Pending",
				"email_queue": old.email_queue if old else None,
			},
		)
	campaign.audience_refreshed_on = now_datetime()
	campaign.save()
	counts: dict[str, int] = {}
	for m in campaign.members:
		counts[m.member_type] = counts.get(m.member_type, 0) + 1
	return {"members": len(campaign.members), **counts}
