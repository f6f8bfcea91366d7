// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

frappe.ui.form.on("Customer Churn Reason", {});
