"""Imports point one way, down the folders: support ← model ← masking ← config ← read ← engine ←
report ← aws ← gate ← cli ← the public face. A wrong-way import fails here."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "planlint"

# One line per folder (or module at the top of the package): each may import its own modules and
# those of the lines above it.
LAYERS: list[tuple[str, set[str]]] = [
    ("support", {"support", "patterns"}),  # small pieces every layer uses; patterns: public, imports nothing
    ("model", {"model"}),  # the plan as pure values
    ("masking", {"masking"}),  # what no output may show
    ("config", {"config"}),  # planlint.toml, validated
    ("read", {"read"}),  # documents in, finished plans out
    ("engine", {"engine"}),  # rules: define, load, configure, select, run, waive, budget
    ("report", {"report"}),  # every format, its delivery, rule documentation
    ("aws", {"aws"}),  # boto3, only when fetching or executing
    ("gate", {"gate"}),  # the gate as one library call
    ("cli", {"cli"}),  # parse, call, print, exit code
    ("public", {"__init__", "__main__", "testing", "rule_cases", "pytest_plugin"}),  # for rule authors
]
METADATA = {"__version__", "__url__"}  # the package root's own attributes: always loaded first


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__") or "__init__"


def layer_of(name: str) -> int:
    """The layer of module ``name`` (``model.plan``): its folder's, or its own at the top."""
    for index, (_, members) in enumerate(LAYERS):
        if name.split(".")[0] in members:
            return index
    raise AssertionError(f"planlint.{name} is in no layer of tests/test_imports.py: place it")


def runtime_imports(tree: ast.Module) -> set[str]:
    """planlint modules imported when the module runs (``if TYPE_CHECKING:`` blocks left out)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "planlint":
            if node.module == "planlint":
                found.update(a.name for a in node.names if a.name not in METADATA)
            else:
                found.add(node.module.removeprefix("planlint."))
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("planlint.") for a in node.names if a.name.startswith("planlint."))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_every_import_points_down_the_layers():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "rules" in path.relative_to(PACKAGE).parts:
            continue
        name = module_name(path)
        for imported in sorted(runtime_imports(ast.parse(path.read_text(encoding="utf-8")))):
            if layer_of(imported) > layer_of(name):
                wrong.append(
                    f"planlint.{name} ({LAYERS[layer_of(name)][0]}) imports planlint.{imported} ({LAYERS[layer_of(imported)][0]})"
                )
    assert wrong == []


def test_the_check_sees_a_wrong_way_import():
    tree = ast.parse("from planlint.report.result import Report\nif TYPE_CHECKING:\n    from planlint.cli import app\n")
    assert runtime_imports(tree) == {"report.result"}
    assert layer_of("report.result") > layer_of("config.tables") > layer_of("model.plan")
    assert layer_of("patterns") == layer_of("support.files")


def _modules_after(code: str) -> set[str]:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


MODELS = {
    "planlint.model.plan",
    "planlint.model.resource_change",
    "planlint.model.change_set",
    "planlint.model.shapes",
    "planlint.engine.rule",
    "planlint.config.rule_options",
}


def test_version_and_help_build_no_model():
    """``--version`` and ``--help`` answer without importing (and so building) planlint's pydantic models."""
    for args in (["--version"], ["--help"], ["lint", "--help"], ["execute", "--help"]):
        code = (
            "import contextlib, io\nfrom planlint.cli import app\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try: app({args!r}, prog_name='planlint', standalone_mode=False)\n"
            "    except SystemExit: pass"
        )
        assert not MODELS & _modules_after(code), args


def test_the_pytest_plugin_imports_no_pydantic():
    """Every pytest session of a project whose environment has planlint loads the plugin: it must cost nothing."""
    loaded = _modules_after("import planlint.pytest_plugin")
    assert "pydantic" not in loaded and not MODELS & loaded


def test_names_for_rule_authors_are_there_when_asked_for():
    import planlint
    from planlint import Finding, Plan, patterns, rule
    from planlint.engine.rule import rule as decorator

    assert rule is decorator and callable(rule) and Plan.__name__ == "Plan" and Finding.__name__ == "Finding"
    assert patterns.__name__ == "planlint.patterns"
    assert set(planlint.__all__) == {*planlint._MODULE_OF, "__version__", "patterns"}
    assert planlint.rule is decorator  # the package's name is the decorator, not a module


def _graph(runtime_only: bool) -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "rules" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module_name(path)] = runtime_imports(tree) if runtime_only else _all_imports(tree)
    return graph


def _all_imports(tree: ast.Module) -> set[str]:
    """planlint modules imported, ``if TYPE_CHECKING:`` blocks included."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("planlint."):
            found.add(node.module.removeprefix("planlint."))
    return found


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected parts of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, set()) & graph.keys():
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = set()
            while True:
                top = stack.pop()
                part.add(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(part)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_runs_and_only_the_model_has_one_for_types():
    assert _cycles(_graph(runtime_only=True)) == []
    for part in _cycles(_graph(runtime_only=False)):
        assert all(name.startswith("model.") for name in part), sorted(part)


def test_the_cycle_check_sees_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
