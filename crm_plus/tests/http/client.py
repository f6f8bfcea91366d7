"""HTTP actors for the trust-boundary suite: each talks to the served site over
requests.Session as one user (token authentication, as other systems use the REST
API), or as Guest."""

import json
from urllib.parse import quote

import requests


class Response:
	"""What a request gave back: the status, the JSON body (if any), the text."""

	def __init__(self, raw: requests.Response):
		self.status = raw.status_code
		self.text = raw.text
		try:
			self.json = raw.json()
		except ValueError:
			self.json = None

	@property
	def ok(self) -> bool:
		return self.status == 200

	@property
	def message(self):
		return (self.json or {}).get("message")

	@property
	def data(self):
		return (self.json or {}).get("data")

	@property
	def error(self) -> str:
		"""The error Frappe reported (exception type and server messages), for reports."""
		body = self.json or {}
		messages = body.get("_server_messages")
		if messages:
			try:
				messages = " ".join(json.loads(m).get("message", "") for m in json.loads(messages))
			except (ValueError, AttributeError):
				pass
		return f"{self.status} {body.get('exc_type') or ''} {messages or ''}".strip()

	def __repr__(self) -> str:
		return f"<{self.status} {self.error[:200]}>"


class Actor:
	def __init__(self, base_url: str, key: str, user: str | None = None, api_key: str | None = None, api_secret: str | None = None):
		self.base_url = base_url.rstrip("/")
		self.key = key  # the actor's short name in the matrix
		self.user = user or "Guest"
		self.session = requests.Session()
		self.session.headers["Accept"] = "application/json"
		if api_key:
			self.session.headers["Authorization"] = f"token {api_key}:{api_secret}"

	def __repr__(self) -> str:
		return self.key

	def request(self, method: str, path: str, **kwargs) -> Response:
		return Response(self.session.request(method, self.base_url + path, timeout=120, allow_redirects=False, **kwargs))

	# --- /api/resource --------------------------------------------------------------

	@staticmethod
	def resource_path(doctype: str, name: str | None = None) -> str:
		path = "/api/resource/" + quote(doctype)
		return path + "/" + quote(name, safe="") if name else path

	def list(self, doctype: str, fields=None, filters=None, limit: int = 500) -> Response:
		params = {"limit_page_length": limit, "fields": json.dumps(fields or ["name"])}
		if filters:
			params["filters"] = json.dumps(filters)
		return self.request("GET", self.resource_path(doctype), params=params)

	def get(self, doctype: str, name: str) -> Response:
		return self.request("GET", self.resource_path(doctype, name))

	def insert(self, doctype: str, values: dict) -> Response:
		return self.request("POST", self.resource_path(doctype), json=values)

	def update(self, doctype: str, name: str, values: dict) -> Response:
		return self.request("PUT", self.resource_path(doctype, name), json=values)

	def delete(self, doctype: str, name: str) -> Response:
		return self.request("DELETE", self.resource_path(doctype, name))

	# --- /api/method --------------------------------------------------------------------

	def call(self, method: str, /, http: str = "POST", **args) -> Response:
		encoded = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in args.items()}
		if http == "GET":
			return self.request("GET", "/api/method/" + method, params=encoded)
		return self.request(http, "/api/method/" + method, data=encoded)

	def upload(self, method: str, filename: str, content: bytes, mimetype: str, **args) -> Response:
		"""A multipart POST with one file (field "file"), as a browser's FormData sends it."""
		return self.request("POST", "/api/method/" + method, data=args, files={"file": (filename, content, mimetype)})

	def run_doc_method(self, doctype: str, name: str, method: str, http: str = "POST", docs: dict | None = None, **args) -> Response:
		params = {"method": method, "args": json.dumps(args)}
		if docs is not None:
			params["docs"] = json.dumps(docs)
		else:
			params.update({"dt": doctype, "dn": name})
		return self.call("run_doc_method", http=http, **params)

	def report(self, report_name: str, filters: dict) -> Response:
		return self.call("frappe.desk.query_report.run", http="POST", report_name=report_name, filters=filters, ignore_prepared_report=1)

	def page(self, path: str) -> Response:
		return self.request("GET", path, headers={"Accept": "text/html"})
