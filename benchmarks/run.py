"""planlint's benchmarks in one table: what a user runs, against its floor and its peers.

    pip install -e '.[bench]'      # planlint with cfn-guard-rs and regopy
    python benchmarks/run.py       # about 15 minutes on 2 cores; --quick for a smoke run

Sections (each figure: the median of interleaved rounds, min–max, peak resident set):

- start-up: the installed ``planlint`` console script (``--version``, ``--help``, a small lint)
  against ``floor_app.py``, a typer app that validates one small pydantic model from a file;
- in-process, a 460-change plan: every built-in rule, and the peers' three checks (stateful
  replacement, stateful removal, required tags) in planlint, cfn-guard-rs and regopy; the
  SARIF rendering of the run;
- a directory of 1,000 plans (40 changes each): ``planlint lint DIR -f FORMAT -o FILE`` for every
  format, against the floor of reading and json-parsing the same files in a fresh interpreter;
- memory: the same at 5,000 plans (``-f sarif -o``), to show how memory grows with plans;
- a 58,000-change plan: every format in one run, and cfn-guard-rs's three checks from the file;
- fetching 100 plans of 3 pages behind 50 ms per request from a loopback Service Catalog, with
  ``--jobs`` 1, 4 and 8, against the ideal (requests × latency ÷ jobs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import corpus
import peers
from measure import Command, Figure, interleaved, interleaved_calls

ROOT = Path(__file__).resolve().parent.parent
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
THREE = ("stateful-replacement", "stateful-removal", "required-tags")
SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "log", "markdown": "md"}
FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "gitlab")
JSON_FLOOR = (
    "import json, os, sys\n"
    "for d, _, names in os.walk(sys.argv[1]):\n"
    "    for n in sorted(names):\n"
    "        with open(os.path.join(d, n), 'rb') as f:\n"
    "            json.loads(f.read())\n"
)
GUARD_FROM_FILE = (
    "import json, sys\n"
    "sys.path.insert(0, sys.argv[2])\n"
    "import corpus, peers\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    document = corpus.merged(json.loads(f.read()))\n"
    "peers.guard()(document)\n"
)


@dataclass
class Row:
    section: str
    figure: Figure
    ratio: str = ""
    target: str = ""


@dataclass(frozen=True)
class Sizes:
    rounds: int
    plans: int
    memory_plans: int
    stress: int
    fetch_plans: int


FULL = Sizes(rounds=5, plans=1000, memory_plans=5000, stress=58_000, fetch_plans=100)
QUICK = Sizes(rounds=1, plans=20, memory_plans=40, stress=2_000, fetch_plans=4)


def _ratio(value: float, floor: float, limit: float | None = None) -> tuple[str, str]:
    ratio = value / floor
    if limit is None:
        return f"{ratio:.2f}×", ""
    return f"{ratio:.2f}×", f"≤ {limit:g}× {'met' if ratio <= limit else 'NOT met'}"


def startup(planlint: str, work: Path, rounds: int) -> list[Row]:
    (work / "tag.json").write_text('{"key": "Owner", "value": "orders-team"}')
    shutil.copy(ROOT / "fixtures" / "demo.json", work / "demo.json")
    commands = [
        Command("typer app validating one model (floor)", [sys.executable, str(FLOOR_APP), "tag.json"], work),
        Command("planlint --version", [planlint, "--version"], work),
        Command("planlint --help", [planlint, "--help"], work),
        Command("planlint lint demo.json (14 changes)", [planlint, "lint", "demo.json"], work),
    ]
    floor, *figures = interleaved(commands, rounds=rounds * 6, warmup=3)
    rows = [Row("start-up", floor)]
    for figure in figures:
        rows.append(Row("start-up", figure, *_ratio(figure.median, floor.median, 1.15)))
    return rows


def in_process(rounds: int) -> list[Row]:
    from planlint.config.tables import Config
    from planlint.engine import run as engine
    from planlint.engine.setup import setup
    from planlint.gate import GateRequest, run
    from planlint.read.load import Document, load
    from planlint.report import sarif
    from planlint.report.result import RenderOptions

    pages = corpus.plan_pages(460, seed=460)
    text, document = json.dumps(pages, indent=4), corpus.merged(pages)
    ready = setup(Config.model_construct())
    built_in = [rule for rule in ready.plan_rules if rule.origin == "built-in"]
    three = [rule for rule in built_in if rule.name in THREE]
    plans = load([], documents=[Document("plan.json", text)]).plans
    work = Path(tempfile.mkdtemp())  # the report SARIF renders: the gate's, on the plan saved as a file
    (work / "plan.json").write_text(text)
    selected = Config.model_validate({"select": [rule.code for rule in built_in], "fail-on": "never"})
    report = run(GateRequest(paths=[str(work / "plan.json")], config=selected))
    rendering = RenderOptions(source_root=work)
    calls: list[tuple[str, Callable[[], object]]] = [
        (
            f"planlint, all {len(built_in)} built-in rules",
            lambda: engine.run(plans, built_in, options=ready.options),
        ),
        ("planlint, the 3 checks", lambda: engine.run(plans, three, options=ready.options)),
        ("planlint, SARIF rendering of all rules' findings", lambda: sarif.render(report, rendering)),
        (
            "planlint, loading the plan (parse, lines, validate)",
            lambda: load([], documents=[Document("plan.json", text)]),
        ),
    ]
    guard, rego = peers.guard(), peers.rego()
    if guard is not None:
        calls.append(("cfn-guard-rs, the 3 checks", lambda: guard(document)))
    if rego is not None:
        calls.append(("regopy, the 3 checks", lambda: rego(document)))
    figures = interleaved_calls(calls, rounds=rounds * 10)
    shutil.rmtree(work)
    every, just_three, rendering, loading, *peer_figures = figures
    section = "in-process, 460 changes"
    rows = [Row(section, every), Row(section, just_three), Row(section, rendering), Row(section, loading)]
    rows[2].ratio, rows[2].target = _ratio(rendering.median, every.median, 0.5)
    rows[2].ratio += " of all rules"
    for figure in peer_figures:
        rows.append(Row(section, figure))
    if guard is not None:
        rows[0].ratio, rows[0].target = _ratio(every.median, peer_figures[0].median, 0.6)
        rows[0].ratio += " of cfn-guard-rs"
    else:
        rows[0].target = "cfn-guard-rs not installed: pip install -e '.[bench]'"
    return rows


def _lint(planlint: str, source: str, work: Path, formats: tuple[str, ...], name: str) -> Command:
    argv = [planlint, "lint", source]
    for format_ in formats:
        argv += ["-f", format_, "-o", f"out/{name}.{format_}.{SUFFIX.get(format_, 'json')}"]
    return Command(name, argv, work)


def directory(planlint: str, work: Path, sizes: Sizes) -> list[Row]:
    corpus.write_directory(work / "plans", sizes.plans)
    (work / "out").mkdir(exist_ok=True)
    section = f"{sizes.plans:,} plans, 40 changes each"
    commands = [Command("json-parse the same files (floor)", [sys.executable, "-c", JSON_FLOOR, "plans"], work)]
    commands += [_lint(planlint, "plans", work, (f,), f"planlint lint -f {f} -o") for f in FORMATS]
    floor, *figures = interleaved(commands, rounds=max(1, sizes.rounds - 2))
    rows = [Row(section, floor)]
    for format_, figure in zip(FORMATS, figures, strict=True):
        rows.append(Row(section, figure, *_ratio(figure.median, floor.median, 12 if format_ == "sarif" else None)))
    return rows


def memory(planlint: str, work: Path, sizes: Sizes, at_first: Figure) -> list[Row]:
    corpus.write_directory(work / "many", sizes.memory_plans)
    (figure,) = interleaved([_lint(planlint, "many", work, ("sarif",), "planlint lint -f sarif -o")], 1, warmup=0)
    figure.name += f" ({sizes.memory_plans:,} plans)"
    grown = f"{figure.peak / max(at_first.peak, 1):.2f}× the peak at {sizes.plans:,} plans"
    met = "met" if figure.peak < 150 * 2**20 else "NOT met"
    return [Row(f"memory, {sizes.memory_plans:,} plans", figure, grown, f"< 150 MiB {met}")]


def stress(planlint: str, work: Path, sizes: Sizes) -> list[Row]:
    corpus.write_plan(work / "stress.json", sizes.stress, seed=58)
    here = str(Path(__file__).resolve().parent)
    commands = [
        Command(
            "cfn-guard-rs, the 3 checks, from the file",
            [sys.executable, "-c", GUARD_FROM_FILE, "stress.json", here],
            work,
        ),
        _lint(planlint, "stress.json", work, ("text",), "planlint lint (text)"),
        _lint(planlint, "stress.json", work, FORMATS, "planlint lint, every format"),
    ]
    if peers.guard() is None:
        commands = commands[1:]
    figures = interleaved(commands, rounds=max(1, sizes.rounds - 2))
    section = f"{sizes.stress:,} changes in one plan"
    if len(figures) == 2:
        return [Row(section, f) for f in figures]
    guard, text, every = figures
    rows = [Row(section, guard), Row(section, text, *_ratio(text.median, guard.median))]
    ratio, target = _ratio(every.median, guard.median, 1.0)
    met = "met" if every.peak < 600 * 2**20 else "NOT met"
    rows.append(Row(section, every, ratio + " of cfn-guard-rs", f"{target}; < 600 MB {met}"))
    return rows


def fetching(planlint: str, work: Path, sizes: Sizes) -> list[Row]:
    sys.path.append(str(ROOT))  # the loopback fake lives with the tests
    from planlint.testing import change, plan_document
    from tests.fake_servicecatalog import FakeServiceCatalog

    latency = 0.05
    fake = FakeServiceCatalog().start()
    ids = []
    for n in range(sizes.fetch_plans):
        changes = [change("MODIFY", f"Fn{i:02d}", "AWS::Lambda::Function") for i in range(50)]  # 3 pages
        ids.append(fake.add_plan(plan_document(*changes, plan_id=f"pl-bench{n:08d}")))
    fake.faults.latency = latency
    (work / "aws-config").write_text("")
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL_SERVICE_CATALOG": fake.url,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(work / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(work / "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        env.pop(key, None)
    argv = [planlint, "lint", *(a for i in ids for a in ("--plan-id", i))]
    jobs = (1, 4, 8)
    commands = [
        Command(f"planlint lint --plan-id ×{len(ids)} --jobs {j}", [*argv, "--jobs", str(j)], work) for j in jobs
    ]
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        requests_before = len(fake.requests)
        figures = interleaved(commands, rounds=max(1, sizes.rounds - 2), warmup=0)
        requests = (len(fake.requests) - requests_before) // (len(figures) * len(figures[0].seconds))
    finally:
        os.environ.clear()
        os.environ.update(saved)
        fake.stop()
    section = f"fetching {len(ids)} plans × 3 pages, {latency * 1e3:.0f} ms per request"
    rows = []
    for j, figure in zip(jobs, figures, strict=True):
        ideal = requests * latency / j
        rows.append(Row(section, figure, f"{figure.median / ideal:.2f}× ideal ({ideal:.2f} s)"))
    return rows


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from planlint import __version__

    return (
        f"planlint {__version__}, Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores{', ' + model if model else ''}"
    )


def table(rows: list[Row]) -> str:
    header = ("benchmark", "median (min–max)", "peak RSS", "ratio", "target")
    lines = [header]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append((f"[{section}]", "", "", "", ""))
        lines.append(("  " + row.figure.name, row.figure.spread(), row.figure.memory(), row.ratio, row.target))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and one round: checks the benchmarks run")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    # What a user runs has its bytecode cached: an environment that forbids writing it (as some
    # containers do) would time the compiler, not planlint. The warm-up rounds write it.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    planlint = shutil.which("planlint", path=str(Path(sys.executable).parent))
    if planlint is None:
        raise SystemExit("planlint is not installed beside this Python: pip install -e '.[bench]'")
    with tempfile.TemporaryDirectory(prefix="planlint-bench-") as tmp:
        work = Path(tmp)
        rows = startup(planlint, work, sizes.rounds)
        rows += in_process(sizes.rounds)
        at_scale = directory(planlint, work, sizes)
        rows += at_scale
        sarif = next(r.figure for r in at_scale if "sarif" in r.figure.name)
        rows += memory(planlint, work, sizes, sarif)
        rows += stress(planlint, work, sizes)
        rows += fetching(planlint, work, sizes)
    print(machine())
    print(table(rows))


if __name__ == "__main__":
    main()
