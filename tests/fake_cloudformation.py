"""A loopback fake of the CloudFormation query API, for a real boto3 client over a real socket.

It answers DescribeChangeSet as CloudFormation does: a form-encoded POST in, XML out (lists as
``<member>`` elements, booleans as ``true``/``false``, times in ISO 8601), pages of at most
``page_size`` changes with opaque ``NextToken`` values, ``ChangeSetNotFound`` for what it does not
hold, and a change set that stays ``CREATE_IN_PROGRESS`` for a number of polls. A change set is
found by its ARN, or by its name with ``StackName``. It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/"


@dataclass
class Faults:
    in_progress_polls: dict[str, int] = field(default_factory=dict)  # change set id -> polls still in progress
    repeat_token: bool = False
    other_change_set_on_page_2: bool = False
    on_page_2: dict[str, Any] = field(default_factory=dict)  # members of every page past the first
    throttle_every: int = 0


class FakeCloudFormation:
    def __init__(self, page_size: int = 2) -> None:
        self.change_sets: dict[str, dict[str, Any]] = {}  # by ARN
        self.templates: dict[str, str] = {}  # stack ARN -> its template as written (GetTemplate, Original)
        self.page_size = page_size
        self.faults = Faults()
        self.requests: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def add(self, document: dict[str, Any]) -> str:
        """Serve a saved DescribeChangeSet document (all its changes, one page or many)."""
        self.change_sets[document["ChangeSetId"]] = document
        return str(document["ChangeSetId"])

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeCloudFormation:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server interface
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                status, body = fake.handle(form)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- the API ---------------------------------------------------------------------------

    def handle(self, form: dict[str, str]) -> tuple[int, str]:
        with self._lock:
            self.requests.append(form)
            count = len(self.requests)
        if self.faults.throttle_every and count % self.faults.throttle_every == 0:
            return _error(400, "Throttling", "Rate exceeded")
        if form.get("Action") == "GetTemplate":
            return self._get_template(form)
        if form.get("Action") != "DescribeChangeSet":
            return _error(400, "InvalidAction", f"Could not find operation {form.get('Action')}")
        wanted = form.get("ChangeSetName", "")
        document = self.change_sets.get(wanted) or next(
            (
                d
                for d in self.change_sets.values()
                if d.get("ChangeSetName") == wanted and d.get("StackName") == form.get("StackName")
            ),
            None,
        )
        if document is None:
            return _error(400, "ChangeSetNotFound", f"ChangeSet [{wanted}] does not exist")
        changes = document.get("Changes") or []
        offset = int(form.get("NextToken", "t0")[1:]) if form.get("NextToken") else 0
        page = {k: v for k, v in document.items() if k not in ("Changes", "NextToken")}
        page["Changes"] = changes[offset : offset + self.page_size]
        if offset + self.page_size < len(changes):
            page["NextToken"] = "t0" if self.faults.repeat_token else f"t{offset + self.page_size}"
        if offset and self.faults.other_change_set_on_page_2:
            page["ChangeSetId"] = page["ChangeSetId"].replace("changeSet/", "changeSet/other-")
        if offset:
            page.update(self.faults.on_page_2)
        polls = self.faults.in_progress_polls
        if offset == 0 and polls.get(document["ChangeSetId"], 0) > 0:
            with self._lock:
                polls[document["ChangeSetId"]] -= 1
            page["Status"], page["ExecutionStatus"] = "CREATE_IN_PROGRESS", "UNAVAILABLE"
        if form.get("IncludePropertyValues") != "true":
            page["Changes"] = [_without_values(c) for c in page["Changes"]]
        body = _xml(page)
        return 200, (
            f'<DescribeChangeSetResponse xmlns="{NAMESPACE}"><DescribeChangeSetResult>{body}'
            "</DescribeChangeSetResult><ResponseMetadata><RequestId>1f2e3d4c</RequestId></ResponseMetadata>"
            "</DescribeChangeSetResponse>"
        )

    def _get_template(self, form: dict[str, str]) -> tuple[int, str]:
        stack = form.get("StackName", "")
        if stack not in self.templates:
            return _error(400, "ValidationError", f"Stack with id {stack} does not exist")
        body = escape(self.templates[stack])
        return 200, (
            f'<GetTemplateResponse xmlns="{NAMESPACE}"><GetTemplateResult><TemplateBody>{body}</TemplateBody>'
            "<StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>"
            "</GetTemplateResult><ResponseMetadata><RequestId>2a3b</RequestId></ResponseMetadata></GetTemplateResponse>"
        )


def _without_values(change: dict[str, Any]) -> dict[str, Any]:
    resource = {k: v for k, v in change["ResourceChange"].items() if k not in ("BeforeContext", "AfterContext")}
    resource["Details"] = [
        {**d, "Target": {k: v for k, v in d["Target"].items() if k not in ("BeforeValue", "AfterValue", "Path")}}
        for d in resource.get("Details") or []
    ]
    return {**change, "ResourceChange": resource}


def _xml(value: Any) -> str:
    """A JSON document as the query protocol writes it: members as elements, lists of ``member``."""
    if isinstance(value, dict):
        return "".join(f"<{k}>{_xml(v)}</{k}>" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return "".join(f"<member>{_xml(v)}</member>" for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _error(status: int, code: str, message: str) -> tuple[int, str]:
    return status, (
        f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type><Code>{code}</Code>'
        f"<Message>{escape(message)}</Message></Error><RequestId>1f2e3d4c</RequestId></ErrorResponse>"
    )
