// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.ui.form.on("Marketing Campaign", {
	setup(frm) {
		frm.set_query("account", "budget", () => ({
			filters: { company: frm.doc.company, root_type: "Expense", is_group: 0 },
		}));
		frappe.realtime.on("crm_plus_campaign_email_progress", (data) => {
			if (data.campaign !== frm.doc.name) return;
			frm.dashboard.show_progress(__("Sending Emails"), (data.done / data.total) * 100,
				__("{0} of {1} members", [data.done, data.total]));
			if (data.done === data.total) {
				frm.dashboard.hide_progress(__("Sending Emails"));
				frm.reload_doc();
			}
		});
	},

	refresh(frm) {
		const can_write = frm.perm[0] && frm.perm[0].write;
		if (!can_write) {
			frm.set_intro(__("Only a Marketing Manager can change campaigns and send their emails; you can read them and their ROI."), "blue");
		}
		if (frm.is_new()) return;
		if (can_write) {
			frm.add_custom_button(__("Resolve Audience"), () =>
				frappe
					.xcall("crm_plus.api.marketing.resolve_audience", { campaign: frm.doc.name })
					.then((r) => {
						frappe.show_alert({ message: __("{0} members", [r.members]), indicator: "green" });
						frm.reload_doc();
					}), __("Campaign"));
			frm.add_custom_button(__("Send Emails"), () =>
				frappe.confirm(__("Send the email template to every member not emailed yet?"), () =>
					frappe
						.xcall("crm_plus.api.marketing.send_emails", { campaign: frm.doc.name })
						.then((r) => {
							frappe.show_alert({
								message: r.message || __("{0} emails queued for sending", [r.queued]),
								indicator: "green",
							});
							frm.reload_doc();
						})), __("Campaign"));
		}
		frm.add_custom_button(__("Campaign ROI"), () =>
			frappe.set_route("query-report", "Campaign ROI", { company: frm.doc.company, campaign: frm.doc.name }),
			__("Campaign"));
		if (frm.doc.email_status && frm.doc.email_status !== "Not Sent") {
			frm.dashboard.set_headline_alert(
				__("Email: {0} queued, {1} failed, {2} unsubscribed, {3} duplicates, {4} invalid addresses", [
					frm.doc.emails_queued, frm.doc.emails_failed, frm.doc.emails_unsubscribed,
					frm.doc.emails_duplicate, frm.doc.emails_invalid,
				]),
				frm.doc.email_status === "Sent" ? "green" : "blue"
			);
		}
	},
});

// the doctype a rule's value is picked from (the server sets it again on save)
const RULE_DOCTYPES = { "Customer Group": "Customer Group", Territory: "Territory", "Purchased Item": "Item",
	Customer: "Customer", Lead: "Lead", Contact: "Contact" };
const set_rule_doctype = (cdt, cdn) =>
	frappe.model.set_value(cdt, cdn, "link_doctype", RULE_DOCTYPES[locals[cdt][cdn].rule] || null);

frappe.ui.form.on("Marketing Campaign Audience Rule", {
	audience_rules_add: (frm, cdt, cdn) => set_rule_doctype(cdt, cdn),  // a new row offers values for its default rule
	rule: (frm, cdt, cdn) => set_rule_doctype(cdt, cdn),
});
