"""Imports point one way: model ← load ← engine ← report ← cli. A wrong-way import fails here."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "planlint"

# Each layer may import its own modules and those of the layers above it in this list.
LAYERS: list[tuple[str, set[str]]] = [
    (
        "base",
        {
            "enums",
            "findings",
            "causes",
            "safetext",
            "logsafe",
            "files",
            "patterns",
            "resources",
            "budget",
            "interrupts",
            "secrets",
            "request",
            "bounds",
            "progress",
            "template",
            "exits",
            "wording",
            "no_bool_numbers",
        },
    ),
    ("model", {"shapes", "cosmetic", "details", "resource_change", "change_set", "model", "rule"}),
    (
        "load",
        {
            "jsonmap",
            "kinds",
            "input_errors",
            "nesting",
            "load",
            "config_errors",
            "config",
            "config_files",
            "rule_settings",
            "declared",
            "config_show",
            "aws",
            "aws.errors",
            "aws.answers",
            "aws.session",
            "aws.plans",
            "aws.polling",
            "aws.bounded",
            "aws.bounded_client",
            "aws.change_sets",
            "aws.fetch",
            "aws.execute",
            "aws.templates",
        },
    ),
    ("engine", {"failures", "rule_loader", "engine", "waivers"}),
    (
        "report",
        {
            "report",
            "report.text",
            "report.jsonreport",
            "report.sarif",
            "report.junit",
            "report.github",
            "report.markdown",
            "report.gitlab",
            "report.locations",
            "report.masked",
            "report.statistics",
            "outputs",
            "lint",
            "catalog",
        },
    ),
    (
        "cli",
        {
            "cli",
            "cli.console",
            "cli.groups",
            "cli.options",
            "cli.lint_command",
            "cli.fetch_command",
            "cli.execute_command",
            "cli.template_options",
            "cli.rule_commands",
            "cli.usage",
            "__main__",
            "testing",
            "rule_cases",
            "pytest_plugin",
            "__init__",
        },
    ),
]
METADATA = {"__version__", "__url__"}  # the package root's own attributes: always loaded first


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__") or "__init__"


def layer_of(name: str) -> int:
    for index, (_, modules) in enumerate(LAYERS):
        if name in modules:
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
    tree = ast.parse("from planlint.report import Report\nif TYPE_CHECKING:\n    from planlint.cli import app\n")
    assert runtime_imports(tree) == {"report"}
    assert layer_of("report") > layer_of("config")


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


MODELS = {"planlint.model", "planlint.resource_change", "planlint.change_set", "planlint.shapes", "planlint.rule"}


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
    from planlint.rule import rule as decorator

    assert rule is decorator and callable(rule) and Plan.__name__ == "Plan" and Finding.__name__ == "Finding"
    assert patterns.__name__ == "planlint.patterns"
    assert set(planlint.__all__) == {*planlint._MODULE_OF, "__version__", "patterns"}
    assert planlint.rule is decorator  # importing the submodule planlint.rule does not replace the decorator
