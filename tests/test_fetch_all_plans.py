"""Fetching many plans when one of them stays ``CREATE_IN_PROGRESS``: every other plan is saved as
soon as it is complete — not when the stuck one gives up — and the stuck one is the error; a CI log
gets a progress line when something changes, not every few seconds. Real boto3 clients against the
loopback Service Catalog fake."""

from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

import pytest

from planlint.aws.request import FetchRequest
from planlint.support import progress
from planlint.support.progress import Progress
from tests.test_aws import aws_env, big_plan, fake, repo  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

STUCK = "pl-plan0000000000"
OTHERS = [f"pl-plan{n:010d}" for n in range(1, 6)]


@pytest.fixture
def one_stuck(fake):  # noqa: F811
    for plan_id in [STUCK, *OTHERS]:
        fake.add_plan(big_plan(3, plan_id=plan_id))
    fake.faults.in_progress_polls[STUCK] = 1_000_000  # created never
    return fake


def test_each_plan_is_saved_when_complete_while_a_stuck_one_is_still_waited_for(one_stuck, repo: Path):  # noqa: F811
    from planlint.aws.fetch import fetch_and_save

    saved = repo / "saved"
    saved.mkdir()
    request = FetchRequest(every_plan=True, timeout=10, interval=0.05, jobs=2)
    outcome: list = []
    worker = threading.Thread(
        target=lambda: outcome.append(fetch_and_save(request, lambda name: saved / f"{name}.json")), daemon=True
    )
    worker.start()
    give_up = time.monotonic() + 8
    while len(list(saved.iterdir())) < len(OTHERS) and time.monotonic() < give_up:
        time.sleep(0.05)
    assert sorted(p.name for p in saved.iterdir()) == [f"{plan_id}.json" for plan_id in OTHERS]
    assert worker.is_alive()  # saved while the stuck plan is still being waited for
    worker.join(25)
    documents, failures = outcome[0]
    assert [Path(d.name).name for d in documents] == [f"{plan_id}.json" for plan_id in OTHERS]  # in the listed order
    assert [str(f) for f in failures] == [
        f"plan {STUCK}: still CREATE_IN_PROGRESS after 10s; raise --timeout, or lint it as it is with --no-wait"
    ]


def test_lint_reports_every_complete_plan_and_the_stuck_one_as_the_error(cli, one_stuck, repo: Path):  # noqa: F811
    result = cli("lint", "--all-plans", "--save-dir", "saved", "--timeout", "2", "--poll-interval", "0.05", "-q")
    assert result.exit_code == 2
    assert result.stderr == (
        f"planlint: error: plan {STUCK}: still CREATE_IN_PROGRESS after 2s; raise --timeout, "
        "or lint it as it is with --no-wait\n"
    )
    assert sorted(p.name for p in (repo / "saved").iterdir()) == [f"{plan_id}.json" for plan_id in OTHERS]
    assert all(f"({plan_id}," in result.stdout for plan_id in OTHERS)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_plans_being_created_take_no_turn_from_the_plans_behind_them(cli, fake, repo: Path, jobs: str, monkeypatch):  # noqa: F811
    from planlint.aws import polling

    monkeypatch.setattr(polling, "MAX_INTERVAL", 0.1)  # each stuck plan is polled until the deadline, as in life
    stuck = [f"pl-stuck{n:09d}" for n in range(3)]  # listed first, more of them than --jobs
    for plan_id in [*stuck, *OTHERS]:
        fake.add_plan(big_plan(3, plan_id=plan_id))
    for plan_id in stuck:
        fake.faults.in_progress_polls[plan_id] = 1_000_000
    started = time.time()
    result = cli(
        "fetch", "--all-plans", "--save-dir", "saved", "--timeout", "6", "--jobs", jobs, "-q", "--poll-interval", "0.2"
    )
    assert result.exit_code == 2
    saved = sorted((repo / "saved").iterdir())
    assert [p.name for p in saved] == [f"{plan_id}.json" for plan_id in OTHERS]
    assert max(p.stat().st_mtime for p in saved) - started < 4  # saved at once, not once the stuck ones gave up
    assert [line.split(":")[2] for line in result.stderr.splitlines() if line.startswith("planlint: error")] == [
        f" plan {plan_id}" for plan_id in stuck
    ]
    assert fake.most_in_flight <= int(jobs)  # --jobs still bounds the requests in flight


def test_a_plan_given_up_on_leaves_the_plans_saved_before_it(cli, aws_env, repo: Path, monkeypatch):  # noqa: F811
    from tests.fake_servicecatalog import FakeServiceCatalog

    server = FakeServiceCatalog().start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_CATALOG", server.url)
    try:
        for plan_id in OTHERS:
            server.add_plan(big_plan(3, plan_id=plan_id))
        server.faults.silent_plans = {OTHERS[-1]}  # never answers about this one
        # two requests at once: the silent one holds a turn (whichever thread takes it first), the other goes on
        result = cli("fetch", "--all-plans", "--save-dir", "saved", "--timeout", "6", "--jobs", "2", "-q")
    finally:
        server.stop()
    assert result.exit_code == 2
    assert f"plan {OTHERS[-1]}: not fetched within --timeout 6s" in result.stderr
    assert sorted(p.name for p in (repo / "saved").iterdir()) == [f"{plan_id}.json" for plan_id in OTHERS[:-1]]
    assert [line for line in result.stderr.splitlines() if line.startswith("saved")] == [
        f"saved plan {plan_id} (3 changes) to {Path('saved') / plan_id}.json" for plan_id in OTHERS[:-1]
    ]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_ci_log_gets_a_line_when_something_changes_not_every_few_seconds():
    clock, out = Clock(), io.StringIO()
    shown = Progress(out, live=False, what="fetching", every=5, first=0.5, clock=clock)
    shown.note("plan pl-1", "CREATE_IN_PROGRESS, looking again in 30s")
    for now in range(100, 131):  # thirty seconds of the same
        clock.now = now
        shown.tick()
    assert out.getvalue() == "planlint: fetching (5s): plan pl-1 CREATE_IN_PROGRESS, looking again in 30s\n"
    shown.note("plan pl-1", "reading again")
    clock.now = 131
    shown.tick()
    assert out.getvalue().splitlines()[-1] == "planlint: fetching (31s): plan pl-1 reading again"
    shown.note("plan pl-1", "CREATE_IN_PROGRESS, looking again in 30s")
    clock.now = 132
    shown.tick()  # changed again, but a log gets at most a line every five seconds
    assert out.getvalue().count("\n") == 2
    clock.now = 136
    shown.tick()
    assert out.getvalue().count("\n") == 3


def test_a_ci_log_still_says_it_is_waiting_once_a_minute():
    clock, out = Clock(), io.StringIO()
    shown = Progress(out, live=False, what="fetching", every=5, first=0.5, clock=clock)
    shown.note("plan pl-1", "reading")
    for now in range(100, 226):
        clock.now = now
        shown.tick()
    assert [re.sub(r"\(\d+s\)", "", line) for line in out.getvalue().splitlines()] == [
        "planlint: fetching : plan pl-1 reading"
    ] * 3  # at 5 s, then after each minute of the same


def test_the_log_of_a_fetch_has_no_line_that_repeats_the_one_before(cli, one_stuck, repo: Path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(progress, "EVERY", 0.1)
    result = cli("lint", "--all-plans", "--timeout", "2", "--poll-interval", "0.5", "--jobs", "6")
    states = [re.sub(r" \(\d+s\)", "", line) for line in result.stderr.splitlines() if "fetching from AWS" in line]
    assert len(states) >= 2, result.stderr
    assert all(a != b for a, b in zip(states, states[1:], strict=False)), states
