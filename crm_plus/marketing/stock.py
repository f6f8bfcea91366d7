"""Stock of a campaign's products (for stock-clearance campaigns): two queries."""

import frappe
from frappe.utils import flt


def get_campaign_stock(campaign) -> dict[str, float]:
	"""Products row name → actual quantity in the company's warehouses (an item group
	row counts every item in the group and its sub-groups)."""
	rows = [row for row in campaign.items if row.item_code or row.item_group]
	if not rows:
		return {}
	group_names = [r.item_group for r in rows if r.item_group and not r.item_code]
	groups = (
		frappe.get_all("Item Group", filters={"name": ["in", group_names]}, fields=["name", "lft", "rgt"])
		if group_names
		else []
	)
	conditions = ["i.name IN %(items)s"] + [
		f"(ig.lft >= {int(g.lft)} AND ig.rgt <= {int(g.rgt)})" for g in groups  # integers from the tree
	]
	data = frappe.db.sql(
		f"""
		SELECT i.name AS item_code, ig.lft, SUM(b.actual_qty) AS qty
		FROM `tabBin` b
		JOIN `tabWarehouse` w ON w.name = b.warehouse AND w.company = %(company)s
		JOIN `tabItem` i ON i.name = b.item_code
		JOIN `tabItem Group` ig ON ig.name = i.item_group
		WHERE {" OR ".join(conditions)}
		GROUP BY i.name, ig.lft
		""",
		{"company": campaign.company, "items": [r.item_code for r in rows if r.item_code] or [""]},
		as_dict=True,
	)
	by_item = {d.item_code: flt(d.qty) for d in data}
	by_group = {
		g.name: sum(flt(d.qty) for d in data if g.lft <= d.lft <= g.rgt) for g in groups
	}
	return {r.name: (by_item.get(r.item_code, 0.0) if r.item_code else by_group.get(r.item_group, 0.0)) for r in rows}
