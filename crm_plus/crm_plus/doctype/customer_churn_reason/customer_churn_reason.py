# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

from frappe.model.document import Document


class CustomerChurnReason(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		reason: DF.Data
	# end: auto-generated types

	pass
