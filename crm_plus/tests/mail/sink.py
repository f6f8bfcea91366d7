"""A real SMTP server for the mail suite: aiosmtpd (from PyPI) on loopback, keeping every
message it accepts as a file, one per envelope recipient, so the suite reads exactly what
a mail server received.

	python sink.py --port 2525 --dir /tmp/mail

Runs in its own virtualenv (scripts/test.sh makes it); it imports nothing of Frappe. Each
file is `<n>.eml`: the message as received, with `X-Sink-To` (the envelope recipient) and
`X-Sink-From` put in front. Stops on SIGTERM.
"""

import argparse
import itertools
import os
import signal
import threading

from aiosmtpd.controller import Controller


class Keep:
	def __init__(self, folder: str):
		self.folder = folder
		self.count = itertools.count(len(os.listdir(folder)) + 1)
		self.lock = threading.Lock()

	async def handle_DATA(self, server, session, envelope):
		data = envelope.original_content or envelope.content
		if isinstance(data, str):
			data = data.encode()
		for recipient in envelope.rcpt_tos:
			with self.lock:
				n = next(self.count)
			head = f"X-Sink-To: {recipient}\r\nX-Sink-From: {envelope.mail_from}\r\n".encode()
			path = os.path.join(self.folder, f"{n:07d}.eml")
			with open(path + ".part", "wb") as f:
				f.write(head + data)
			os.replace(path + ".part", path)  # a reader never sees half a message
		return "250 Message accepted for delivery"


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--port", type=int, required=True)
	parser.add_argument("--dir", required=True)
	args = parser.parse_args()
	os.makedirs(args.dir, exist_ok=True)
	controller = Controller(Keep(args.dir), hostname="127.0.0.1", port=args.port, data_size_limit=0)
	controller.start()
	print(f"SMTP sink on 127.0.0.1:{args.port}, keeping mail in {args.dir}", flush=True)
	stop = threading.Event()
	signal.signal(signal.SIGTERM, lambda *_: stop.set())
	signal.signal(signal.SIGINT, lambda *_: stop.set())
	stop.wait()
	controller.stop()


if __name__ == "__main__":
	main()
