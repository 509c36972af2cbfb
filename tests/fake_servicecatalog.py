"""A loopback fake of the Service Catalog JSON 1.1 API, for a real boto3 client over a real socket.

It answers DescribeProvisionedProductPlan (real pagination: at most 20 changes a page, opaque
tokens, epoch timestamps as on the wire), ListProvisionedProductPlans,
DescribeProvisionedProduct, ExecuteProvisionedProductPlan (one record per idempotency token, the
plan then EXECUTE_IN_PROGRESS) and DescribeRecord (IN_PROGRESS for some polls, then the outcome
asked for), and can change a plan after it was described, and inject latency, ThrottlingException, 5xx errors,
ResourceNotFoundException, AccessDeniedException, plans that stay CREATE_IN_PROGRESS for N polls,
a repeated page token, a page that belongs to another plan, fresh tokens forever, a body sent one
byte at a time, an unreadable body and listed plan ids of its own. It listens on 127.0.0.1 only;
``black_hole()`` is a socket that takes connections and never answers.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "AWS242ServiceCatalogService."


@dataclass
class FakePlan:
    details: dict[str, Any]
    changes: list[dict[str, Any]]


@dataclass
class Faults:
    latency: float = 0.0
    throttle_every: int = 0  # every n-th request is throttled
    error_5xx_every: int = 0  # every n-th request fails with 503
    access_denied: bool = False
    error: tuple[int, str, str] | None = None  # every request fails: (status, __type, message)
    in_progress_polls: dict[str, int] = field(default_factory=dict)  # plan id -> first-page polls still in progress
    repeat_token: set[str] = field(default_factory=set)
    other_plan_on_page_2: set[str] = field(default_factory=set)
    details_on_page_2: dict[str, Any] = field(default_factory=dict)  # plan details members past page 1
    endless_tokens: bool = False  # every page has a fresh NextPageToken, forever
    trickle: float = 0.0  # seconds between the bytes of each response
    raw_body: bytes | None = None  # every answer is HTTP 200 with this body
    listed_ids: list[str] = field(default_factory=list)  # more plan ids in every plan list
    # plan id -> (first-page describes, what happens after that many: "updated" moves UpdatedTime on,
    # "changed" adds a change, "executed" makes its status EXECUTE_SUCCESS)
    change_after: dict[str, tuple[int, str]] = field(default_factory=dict)
    record_polls: int = 2  # DescribeRecord answers IN_PROGRESS this many times
    record_outcome: str = "SUCCEEDED"
    record_errors: list[dict[str, str]] = field(default_factory=list)
    record_status: str | None = "set"  # None: DescribeRecord answers without a Status
    execute_error: tuple[int, str, str] | None = None  # ExecuteProvisionedProductPlan fails: (status, __type, message)
    black_hole_execute: bool = False  # ExecuteProvisionedProductPlan never answers (until the fake stops)
    silent_plans: set[str] = field(default_factory=set)  # DescribeProvisionedProductPlan never answers (until stop)
    template_url: str | None = None  # every provisioning artifact's TemplateUrl, instead of the fake's own


class FakeServiceCatalog:
    def __init__(self) -> None:
        self.plans: dict[str, FakePlan] = {}
        self.products: dict[str, str] = {}  # name -> provisioned product id
        self.faults = Faults()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.user_agents: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.stopped = threading.Event()
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests it was answering at once
        self.records: dict[str, dict[str, Any]] = {}  # record id -> RecordDetail
        self.stacks: dict[str, str] = {}  # provisioned product id -> its stack ARN (SearchProvisionedProducts)
        self.artifact_templates: dict[tuple[str, str], str] = {}  # (product, artifact) -> template text, served
        self.downloads: list[str] = []  # paths of template downloads
        self.tokens: dict[str, str] = {}  # idempotency token -> record id
        self._describes: dict[str, int] = {}  # plan id -> first-page describes so far
        self._record_polls: dict[str, int] = {}

    # --- data ------------------------------------------------------------------------------

    def add_plan(self, document: dict[str, Any]) -> str:
        """Serve a saved DescribeProvisionedProductPlan document (one page, or the whole plan)."""
        details = dict(document["ProvisionedProductPlanDetails"])
        for key in ("CreatedTime", "UpdatedTime"):
            if isinstance(details.get(key), str):
                from datetime import datetime

                details[key] = datetime.fromisoformat(details[key]).timestamp()
        plan_id = details["PlanId"]
        self.plans[plan_id] = FakePlan(details, list(document.get("ResourceChanges") or []))
        if details.get("ProvisionProductName"):
            self.products[details["ProvisionProductName"]] = details["ProvisionProductId"]
        return plan_id

    # --- server ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServiceCatalog:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                operation = (self.headers.get("X-Amz-Target") or "").removeprefix(PREFIX)
                status, payload = fake.handle(operation, body, self.headers.get("User-Agent") or "")
                data = json.dumps(payload).encode() if fake.faults.raw_body is None else fake.faults.raw_body
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if not fake.faults.trickle:
                    self.wfile.write(data)
                    return
                for i in range(len(data)):  # bounded: stops when the client or the test goes away
                    if fake.stopped.is_set():
                        return
                    self.wfile.write(data[i : i + 1])
                    self.wfile.flush()
                    time.sleep(fake.faults.trickle)

            def do_GET(self) -> None:  # noqa: N802 - a provisioning artifact's TemplateUrl
                fake.downloads.append(self.path)
                key = tuple(self.path.removeprefix("/templates/").split("/", 1))
                text = fake.artifact_templates.get(key) if len(key) == 2 else None  # type: ignore[arg-type]
                data = (text or "").encode()
                self.send_response(200 if text is not None else 404)
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
        self.stopped.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- the API ---------------------------------------------------------------------------

    def handle(self, operation: str, body: dict[str, Any], user_agent: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return self._handle(operation, body, user_agent)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _handle(self, operation: str, body: dict[str, Any], user_agent: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append((operation, body))
            self.user_agents.append(user_agent)
            count = len(self.requests)
        if self.faults.latency:
            time.sleep(self.faults.latency)
        if self.faults.throttle_every and count % self.faults.throttle_every == 0:
            return 400, {"__type": "ThrottlingException", "message": "Rate exceeded"}
        if self.faults.error_5xx_every and count % self.faults.error_5xx_every == 0:
            return 503, {"__type": "ServiceUnavailableException", "message": "Service unavailable"}
        if self.faults.error is not None:
            status, kind, message = self.faults.error
            return status, {"__type": kind, "message": message}
        if self.faults.access_denied:
            return 400, {
                "__type": "AccessDeniedException",
                "message": "User: arn:aws:sts::123456789012:assumed-role/ci/build is not authorized to perform: "
                f"servicecatalog:{operation}",
            }
        handler = {
            "DescribeProvisionedProductPlan": self._describe_plan,
            "ListProvisionedProductPlans": self._list_plans,
            "DescribeProvisionedProduct": self._describe_product,
            "ExecuteProvisionedProductPlan": self._execute,
            "DescribeRecord": self._describe_record,
            "SearchProvisionedProducts": self._search_products,
            "DescribeProvisioningArtifact": self._describe_artifact,
        }.get(operation)
        if handler is None:
            return 400, {"__type": "UnknownOperationException", "message": operation}
        return handler(body)

    def _describe_plan(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        plan_id = body.get("PlanId", "")
        if plan_id in self.faults.silent_plans:
            self.stopped.wait()
            return 503, {"__type": "ServiceUnavailableException", "message": "gone"}
        plan = self.plans.get(plan_id)
        if plan is None:
            return 400, {"__type": "ResourceNotFoundException", "message": f"Plan {plan_id} not found."}
        size = min(int(body.get("PageSize") or 20), 20)
        offset = _offset(body.get("PageToken"))
        if offset == 0:
            self._maybe_change(plan_id, plan)
        details = dict(plan.details)
        if offset == 0 and self.faults.in_progress_polls.get(plan_id, 0) > 0:
            with self._lock:
                self.faults.in_progress_polls[plan_id] -= 1
            details["Status"] = "CREATE_IN_PROGRESS"
        if offset > 0 and plan_id in self.faults.other_plan_on_page_2:
            details["PlanId"] = "pl-someotherplan"
        if offset > 0:
            details.update(self.faults.details_on_page_2)
        page = plan.changes[offset : offset + size]
        more = offset + size < len(plan.changes) or self.faults.endless_tokens
        token = None
        if more:
            repeat = plan_id in self.faults.repeat_token
            token = _token(plan_id, size if repeat else offset + size, unique=not repeat)
        return 200, {"ProvisionedProductPlanDetails": details, "ResourceChanges": page, "NextPageToken": token}

    def _list_plans(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        product = body.get("ProvisionProductId")
        if product is not None and product not in self.products.values():
            return 400, {"__type": "ResourceNotFoundException", "message": f"{product} not found"}
        summaries = [
            {
                k: p.details[k]
                for k in ("PlanName", "PlanId", "ProvisionProductId", "ProvisionProductName", "PlanType")
                if k in p.details
            }
            for p in self.plans.values()
            if product is None or p.details.get("ProvisionProductId") == product
        ]
        summaries += [{"PlanId": plan_id, "PlanName": "listed"} for plan_id in self.faults.listed_ids]
        size = min(int(body.get("PageSize") or 20), 20)
        offset = _offset(body.get("PageToken"))
        more = offset + size < len(summaries) or self.faults.endless_tokens
        return 200, {
            "ProvisionedProductPlans": summaries[offset : offset + size],
            "NextPageToken": _token("list", offset + size) if more else None,
        }

    def _describe_product(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        name = body.get("Name")
        if name not in self.products:
            return 400, {"__type": "ResourceNotFoundException", "message": f"Provisioned product {name} not found."}
        return 200, {"ProvisionedProductDetail": {"Name": name, "Id": self.products[name], "Status": "AVAILABLE"}}

    def _search_products(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        query = " ".join(body.get("Filters", {}).get("SearchQuery", []))
        wanted = query.removeprefix("id:")
        found = [
            {"Id": pp, "Name": name, "PhysicalId": self.stacks[pp], "Type": "CFN_STACK", "Status": "AVAILABLE"}
            for name, pp in self.products.items()
            if pp == wanted and pp in self.stacks
        ]
        return 200, {"ProvisionedProducts": found, "TotalResultsCount": len(found)}

    def _describe_artifact(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        key = (body.get("ProductId", ""), body.get("ProvisioningArtifactId", ""))
        if key not in self.artifact_templates:
            return 400, {"__type": "ResourceNotFoundException", "message": f"Artifact {key[1]} not found."}
        url = self.faults.template_url or f"{self.url}/templates/{key[0]}/{key[1]}"
        info = {"TemplateUrl": url} if body.get("Verbose") else {}
        return 200, {"ProvisioningArtifactDetail": {"Id": key[1], "Type": "CLOUD_FORMATION_TEMPLATE"}, "Info": info}

    def _maybe_change(self, plan_id: str, plan: FakePlan) -> None:
        with self._lock:
            self._describes[plan_id] = seen = self._describes.get(plan_id, 0) + 1
        after, what = self.faults.change_after.get(plan_id, (0, ""))
        if not what or seen != after + 1:
            return
        if what == "updated":
            plan.details["UpdatedTime"] = float(plan.details.get("UpdatedTime") or 0) + 60
        elif what == "changed":
            plan.changes.append({"Action": "REMOVE", "LogicalResourceId": "Sneaky", "ResourceType": "AWS::S3::Bucket"})
        elif what == "executed":
            plan.details["Status"] = "EXECUTE_SUCCESS"

    def _execute(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.faults.black_hole_execute:
            self.stopped.wait()
            return 503, {"__type": "ServiceUnavailableException", "message": "gone"}
        if self.faults.execute_error is not None:
            status, kind, message = self.faults.execute_error
            return status, {"__type": kind, "message": message}
        plan_id, token = body.get("PlanId", ""), body.get("IdempotencyToken", "")
        if not token:
            return 400, {"__type": "InvalidParametersException", "message": "IdempotencyToken is required"}
        plan = self.plans.get(plan_id)
        if plan is None:
            return 400, {"__type": "ResourceNotFoundException", "message": f"Plan {plan_id} not found."}
        with self._lock:
            if token in self.tokens:
                return 200, {"RecordDetail": dict(self.records[self.tokens[token]])}
            if plan.details.get("Status") != "CREATE_SUCCESS":
                return 400, {"__type": "InvalidStateException", "message": f"Plan {plan_id} cannot be executed."}
            record_id = f"rec-{len(self.records) + 1:013d}"
            now = time.time()
            self.records[record_id] = {
                "RecordId": record_id,
                "ProvisionedProductName": plan.details.get("ProvisionProductName"),
                "ProvisionedProductId": plan.details.get("ProvisionProductId"),
                "Status": "CREATED",
                "RecordType": "UPDATE_PROVISIONED_PRODUCT",
                "CreatedTime": now,
                "UpdatedTime": now,
                "RecordErrors": [],
            }
            self.tokens[token] = record_id
            plan.details["Status"] = "EXECUTE_IN_PROGRESS"
            return 200, {"RecordDetail": dict(self.records[record_id])}

    def _describe_record(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        record_id = body.get("Id", "")
        with self._lock:
            record = self.records.get(record_id)
            if record is None:
                return 400, {"__type": "ResourceNotFoundException", "message": f"Record {record_id} not found."}
            polls = self._record_polls[record_id] = self._record_polls.get(record_id, 0) + 1
            if polls > self.faults.record_polls:
                record["Status"] = self.faults.record_outcome
                record["RecordErrors"] = list(self.faults.record_errors)
            else:
                record["Status"] = "IN_PROGRESS"
            answer = dict(record)
        if self.faults.record_status is None:
            answer.pop("Status")
        return 200, {"RecordDetail": answer, "RecordOutputs": []}


def _token(scope: str, offset: int, unique: bool = True) -> str:
    """An opaque token; a unique nonce makes each one different, as AWS's are."""
    state = {"s": scope, "o": offset, "n": time.time_ns() if unique else 0}
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


def _offset(token: str | None) -> int:
    return int(json.loads(base64.urlsafe_b64decode(token.encode()))["o"]) if token else 0


class BlackHole:
    """A loopback socket that accepts connections (the kernel does, from its backlog) and never answers."""

    def __init__(self) -> None:
        import socket

        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)

    @property
    def url(self) -> str:
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._socket.close()
