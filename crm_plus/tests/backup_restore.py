"""Backup and restore (数据库备份/恢复), proved end to end by scripts/backup_restore.sh:
`bench backup --with-files` of a site with crm_plus data, `bench restore` into a new site,
`bench migrate`; then every crm_plus record, file, custom field on ERPNext's doctypes,
workflow and setting must be back, and crm_plus's reports must give the same figures.

	bench --site SRC execute crm_plus.tests.backup_restore.make_data
	bench --site SRC execute crm_plus.tests.backup_restore.fingerprint --kwargs '{"path": "src.json"}'
	... backup, restore into DST, migrate ...
	bench --site DST execute crm_plus.tests.backup_restore.fingerprint --kwargs '{"path": "dst.json"}'
	bench --site DST execute crm_plus.tests.backup_restore.compare --kwargs '{"before": "src.json", "after": "dst.json"}'

The backup is taken after `make_older`, which puts the schema back to the previous crm_plus
release: the restore of a backup taken before an upgrade, brought forward by `bench migrate`.

The data, made through crm_plus and ERPNext as users make it: a follow-up with an attached
(private) visit note, a submitted repair order whose parts left stock in its Stock Entry, a
submitted contract with a signed (public) file, a campaign whose mass e-mail was queued (its
send log), a complaint, a submitted sales invoice, the review workflow switched on and CRM
Plus Settings changed from their defaults. Never on a production site: it writes test data.
"""

import hashlib
import json

import frappe
from frappe.utils import add_days, nowdate

MODULE = "CRM Plus"
CUSTOMER = "_CP Backup Customer"
PART, DEVICE = "_CP Backup Part", "_CP Backup Device"
TECHNICIAN = "cp.backup.technician@example.com"
# crm_plus's reports whose figures must be the same after the restore
REPORTS = {
	"Customer Analysis": {"from_date": "2000-01-01", "to_date": "2099-12-31", "group_by": "Territory"},
	"Profit Contribution": {"from_date": "2000-01-01", "to_date": "2099-12-31", "group_by": "Customer"},
	"Receivables Follow-up": {"top_n": 0},
	"Campaign ROI": {},
	"Complaint Analysis": {"group_by": "Category"},
	"Repair Turnaround": {},
	"Customer Churn": {"status": ["New", "Active", "At Risk", "Lost", "Won Back"]},
}


def make_data() -> None:
	from crm_plus.api.marketing import resolve_audience
	from crm_plus.marketing.mass_email import send_campaign_emails
	from crm_plus.tests.factories import (
		COMPANY,
		WAREHOUSE,
		add_stock,
		make_complaint,
		make_contract_document,
		make_customer,
		make_follow_up,
		make_item,
		make_repair_order,
		make_sales_invoice,
		make_user,
	)
	from crm_plus.tests.setup import before_tests

	frappe.only_for("System Manager")
	frappe.set_user("Administrator")
	# the test suite's factories, on a throwaway site, as in a test run: e-mail is queued and
	# not sent (there is no mail server), a queued job runs at once
	frappe.flags.in_test = True
	if not frappe.db.exists("Company", COMPANY):
		before_tests()  # ERPNext's test company, fiscal year and warehouses
	make_customer(CUSTOMER)
	frappe.db.set_value("Customer", CUSTOMER, "email_id", "cp.backup.customer@example.com")

	follow_up = make_follow_up(CUSTOMER)
	attach(follow_up, "visit-notes.txt", "拜访记录：客户要求下周报价。\n".encode(), private=True)

	make_item(PART)
	make_item(DEVICE, is_stock_item=0)
	add_stock(PART, 10, rate=12)
	make_user(TECHNICIAN, ["Service Clerk"])
	repair = make_repair_order(
		CUSTOMER, DEVICE, technicians=[{"user": TECHNICIAN}],
		parts=[{"item_code": PART, "qty": 2, "warehouse": WAREHOUSE, "rate": 30}],
		labour=[{"description": "Bench work", "hours": 1, "rate": 50}],
	)
	repair.set_status("Diagnosing")
	repair.set_status("Repairing")
	repair.submit()

	contract = make_contract_document(CUSTOMER, end=add_days(nowdate(), 200), value=8000)
	signed = attach(contract, "signed-contract.pdf", b"%PDF-1.4 signed by both parties", private=False)
	contract.signed_file = signed.file_url
	contract.save()

	template = "_CP Backup Mail"
	if not frappe.db.exists("Email Template", template):
		frappe.get_doc(
			{"doctype": "Email Template", "name": template, "subject": "新品 for {{ member_name }}", "response": "<p>{{ first_name }}</p>"}
		).insert()
	campaign = frappe.get_doc(
		{"doctype": "Marketing Campaign", "campaign_name": "_CP Backup Campaign", "company": COMPANY,
			"start_date": nowdate(), "purpose": "Product Launch", "email_template": template,
			"audience_rules": [{"rule": "Customer", "value": CUSTOMER}]}
	).insert()
	resolve_audience(campaign.name)
	send_campaign_emails(campaign.name)  # the job, here and now: its send log is what is backed up

	make_complaint(CUSTOMER, subject="水泵漏水")
	make_sales_invoice(CUSTOMER, PART, qty=1, rate=90, update_stock=1, campaign=campaign.campaign)

	settings = frappe.get_single("CRM Plus Settings")
	settings.churn_lost_days = 200
	settings.review_enabled = settings.review_quotation = settings.review_sales_order = 1  # the review workflows
	settings.save()
	frappe.db.commit()  # a command-line entry point: the data is what gets backed up
	print(f"crm_plus data made on {frappe.local.site}: follow-up {follow_up.name}, repair {repair.name} "
		f"(stock entry {repair.stock_entry}), contract {contract.name}, campaign {campaign.name}")


def make_older() -> None:
	"""Turn the site's schema back into what the release before issue 12's last round left (no
	receivables or campaign-cost index, the facts' campaign index without the invoice, facts
	of an older version): its backup is then "a backup taken before a crm_plus upgrade",
	which `bench migrate` must bring forward."""
	from crm_plus.analytics import facts
	from crm_plus.analytics.common import CAMPAIGN_COST_INDEX_NAME, RECEIVABLE_INDEX_NAME

	frappe.only_for("System Manager")
	for doctype, index in (("Payment Ledger Entry", RECEIVABLE_INDEX_NAME), ("GL Entry", CAMPAIGN_COST_INDEX_NAME)):
		frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{index}`")  # crm_plus's constants
	frappe.db.sql_ddl("alter table `tabCRM Plus Sales Fact` drop index `crm_plus_fact_campaign`")
	frappe.db.add_index("CRM Plus Sales Fact", ["campaign", "company", "revenue", "cost"], "crm_plus_fact_campaign")
	frappe.db.set_default(facts.VERSION_KEY, facts.VERSION - 1)
	facts.forget_version()
	frappe.db.commit()  # a command-line entry point
	print(f"{frappe.local.site}: schema of the previous crm_plus release")


def attach(doc, file_name: str, content: bytes, private: bool):
	return frappe.get_doc(
		{"doctype": "File", "file_name": file_name, "attached_to_doctype": doc.doctype, "attached_to_name": doc.name,
			"content": content, "is_private": int(private)}
	).insert()


def fingerprint(path: str) -> None:
	"""What must survive a backup and restore, written to `path` as JSON: every crm_plus
	record (a digest of each doctype's rows), the files attached to crm_plus records (with a
	digest of their contents on disk), crm_plus's custom fields and their columns, workflows,
	settings, indexes, and the figures of crm_plus's reports."""
	from frappe.desk.query_report import run

	from crm_plus.analytics import facts
	from crm_plus.tests.factories import COMPANY

	frappe.only_for("System Manager")
	frappe.set_user("Administrator")
	# the sales facts as the first report leaves them (a site that never ran one builds them
	# then), before their rows are read
	facts.ensure_current()
	out = {"records": {}, "files": {}, "custom_fields": {}, "workflows": {}, "reports": {}}
	doctypes = frappe.get_all("DocType", {"module": MODULE, "issingle": 0, "is_virtual": 0}, pluck="name", order_by="name")
	for doctype in doctypes:
		rows = frappe.db.sql(f"select * from `tab{doctype}` order by name", as_dict=True)  # names from DocType
		if doctype == "CRM Plus Sales Fact":  # derived: an upgrade may rebuild them, with new timestamps
			rows = [{k: v for k, v in r.items() if k not in ("creation", "modified")} for r in rows]
		out["records"][doctype] = {"count": len(rows), "digest": digest(rows)}
	for f in frappe.get_all(
		"File", {"attached_to_doctype": ["in", doctypes]}, ["name", "file_url", "attached_to_doctype", "attached_to_name"],
		order_by="file_url",
	):
		content = frappe.get_doc("File", f.name).get_content()
		content = content.encode() if isinstance(content, str) else content
		out["files"][f.file_url] = {"on": f"{f.attached_to_doctype} {f.attached_to_name}", "sha256": hashlib.sha256(content).hexdigest()}
	for cf in frappe.get_all(
		"Custom Field", {"fieldname": ["like", "crm_plus%"]}, ["name", "dt", "fieldname", "fieldtype"], order_by="name"
	):
		out["custom_fields"][cf.name] = {"fieldtype": cf.fieldtype, "column": bool(frappe.db.has_column(cf.dt, cf.fieldname))}
	for wf in frappe.get_all("Workflow", fields=["name", "document_type", "is_active"], order_by="name"):
		doc = frappe.get_doc("Workflow", wf.name)
		out["workflows"][wf.name] = {"doctype": wf.document_type, "active": wf.is_active,
			"states": [s.state for s in doc.states], "transitions": [(t.state, t.action, t.next_state) for t in doc.transitions]}
	out["settings"] = {k: str(v) for k, v in frappe.get_single("CRM Plus Settings").as_dict(no_default_fields=True).items()}
	out["indexes"] = {
		name: columns
		for name, columns in frappe.db.sql(
			"""select concat(table_name, '.', index_name), group_concat(column_name order by seq_in_index)
			from information_schema.statistics where table_schema = database() and index_name like 'crm_plus%%'
			group by table_name, index_name"""
		)
	}
	for report, filters in REPORTS.items():
		result = run(report, filters=frappe.as_json({"company": COMPANY, **filters}), ignore_prepared_report=True)
		out["reports"][report] = {"rows": len(result.get("result") or []), "digest": digest(result.get("result") or []),
			"summary": digest(result.get("report_summary") or [])}
	with open(path, "w") as f:
		json.dump(out, f, indent=1, ensure_ascii=False, sort_keys=True)
	print(f"{frappe.local.site}: {sum(r['count'] for r in out['records'].values())} crm_plus rows in {len(doctypes)} doctypes, "
		f"{len(out['files'])} files, {len(out['custom_fields'])} custom fields, {len(out['workflows'])} workflows, "
		f"{len(out['indexes'])} indexes, {len(out['reports'])} reports -> {path}")


def digest(rows) -> str:
	return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def compare(before: str, after: str) -> None:
	"""Raise (a non-zero exit of `bench execute`) unless the two fingerprints are equal."""
	with open(before) as f:
		a = json.load(f)
	with open(after) as f:
		b = json.load(f)
	problems = []
	for part in a:  # every part maps a name to what it must be
		for key in sorted(set(a[part]) | set(b[part])):
			if a[part].get(key) != b[part].get(key):
				problems.append(f"{part} {key}: before {a[part].get(key)}, after {b[part].get(key)}")
	if not a["records"].get("Repair Order", {}).get("count") or not a["files"]:
		problems.append("the backed-up site had no crm_plus data: make_data first")
	for line in problems:
		print("DIFFERENT", line)
	if problems:
		raise AssertionError(f"{len(problems)} differences after the restore")
	print(f"restore equal: {len(a['records'])} doctypes, {len(a['files'])} files, {len(a['custom_fields'])} custom fields, "
		f"{len(a['workflows'])} workflows, {len(a['indexes'])} indexes, {len(a['reports'])} reports")
