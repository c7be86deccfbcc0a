"""A webhook receiver for the tests: verifies each delivery with the `standardwebhooks`
package (PyPI, an implementation made elsewhere) and appends one JSON line per delivery to
a log: {"id", "type", "reference", "verified"}. Answers 204 when verified, 400 when not.

Usage: python webhook_receiver.py PORT SECRET LOG
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

port, secret, log_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
verifier = Webhook(secret)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            payload = verifier.verify(body, headers)
            verified = True
        except Exception:
            payload = json.loads(body or b"{}")
            verified = False
        with open(log_path, "a") as log:
            log.write(json.dumps({
                "id": headers.get("webhook-id"),
                "type": payload.get("type"),
                "reference": payload.get("data", {}).get("reference"),
                "verified": verified,
            }) + "\n")
        self.send_response(204 if verified else 400)
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
