"""Find rules: built-in rules, a user's rule directories and installed packages, loaded alike.

Every ``*.py`` file of a directory (not starting with ``_``) is imported as a module and its
``@rule`` functions collected; a package's ``planlint.rules`` entry point names a module or one
rule function. A module that fails to import or defines no rule, and a code or name registered
twice, are ``RuleError``s; whatever a module prints while it is imported is captured. Each import
is bounded in time (``budget.import_seconds``): a module still importing then is its load error.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from planlint.engine.budget import IMPORT_SECONDS, Budget
from planlint.engine.failures import RuleError, captured, describe, reraise_interrupt
from planlint.engine.rule import RULE_ATTRIBUTE, Rule


def builtin_rules_dir() -> Path:
    """The built-in rule pack: ``planlint/rules`` in a wheel, ``rules/`` beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "rules"
    return shipped if shipped.is_dir() else package.parent / "rules"


ENTRY_POINT_GROUP = "planlint.rules"


def load_rules(
    directories: Iterable[tuple[Path, str]], packages: bool = False, seconds: float = IMPORT_SECONDS
) -> tuple[list[Rule], list[RuleError]]:
    """Load rule modules from ``(directory, origin)`` pairs and, with ``packages``, from installed
    packages' ``planlint.rules`` entry points. Codes and names must be unique across all of them;
    each module (each entry point) has ``seconds`` to import."""
    batches = [load_directory(directory, origin, seconds) for directory, origin in directories]
    if packages:
        batches.append(load_packages(seconds))
    rules: list[Rule] = []
    errors: list[RuleError] = []
    by_code: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    for found, failed in batches:
        errors.extend(failed)
        for rule in found:
            clash = by_code.get(rule.code) or by_name.get(rule.name)
            if clash is not None:
                what = f"code {rule.code}" if clash.code == rule.code else f"name {rule.name}"
                errors.append(
                    RuleError(rule.source, f"rule {rule.name}: {what} is already used by {clash.source}", rule.name)
                )
                continue
            by_code[rule.code] = by_name[rule.name] = rule
            rules.append(rule)
    return rules, errors


def load_packages(seconds: float = IMPORT_SECONDS) -> tuple[list[Rule], list[RuleError]]:
    """Rules from installed packages: each ``planlint.rules`` entry point names a module (all its
    submodules too, for a package) or one rule function (``module:function``)."""
    from importlib.metadata import entry_points

    rules: list[Rule] = []
    errors: list[RuleError] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: (p.name, p.value)):
        distribution = point.dist.name if point.dist is not None else "unknown distribution"
        source = f"{point.value} (package {distribution})"
        try:
            found: list[Rule] = []
            with Budget(seconds, importing=True) as budget, budget.rule(source), captured():
                module = importlib.import_module(point.module)
                submodules = [] if point.attr else _submodules(module)
            if point.attr:
                rule = getattr(getattr(module, point.attr), RULE_ATTRIBUTE, None)
                found = [replace(rule, source=source, origin="package")] if rule else []
            else:
                for submodule in [module, *submodules]:
                    found += _collect(submodule, f"{submodule.__name__} (package {distribution})", "package")
        except BaseException as exc:  # a broken package is reported, never skipped
            reraise_interrupt(exc)
            errors.append(RuleError(source, f"failed to import: {describe(exc)}"))
            continue
        if not found:
            errors.append(RuleError(source, "defines no rule (no function decorated with @rule)"))
        rules.extend(found)
    return rules, errors


def _submodules(package: ModuleType) -> list[ModuleType]:
    import pkgutil

    if not hasattr(package, "__path__"):
        return []
    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_"))
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]


def _collect(module: ModuleType, source: str, origin: str) -> list[Rule]:
    """The rules defined in ``module`` itself (not those it imports)."""
    return [
        replace(found, source=source, origin=origin)
        for value in vars(module).values()
        if (found := getattr(value, RULE_ATTRIBUTE, None)) is not None
        and getattr(value, "__module__", None) == module.__name__
    ]


def load_directory(directory: Path, origin: str, seconds: float = IMPORT_SECONDS) -> tuple[list[Rule], list[RuleError]]:
    if not directory.is_dir():
        return [], [RuleError(str(directory), "rule directory not found")]
    rules: list[Rule] = []
    errors: list[RuleError] = []
    package = "planlint.rules" if origin == "built-in" else _package_name(directory)
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        found, error = load_module(path, f"{package}.{path.stem}", origin, seconds)
        rules.extend(found)
        if error:
            errors.append(error)
    return rules, errors


def _package_name(directory: Path) -> str:
    import hashlib

    digest = hashlib.sha1(str(directory.resolve()).encode()).hexdigest()[:10]
    return f"planlint_user_rules_{digest}"


def load_module(
    path: Path, module_name: str, origin: str, seconds: float = IMPORT_SECONDS
) -> tuple[list[Rule], RuleError | None]:
    """Import one rule module from its file, within ``seconds``, and collect the rules defined in it."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        return [], RuleError(str(path), "cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        with Budget(seconds, importing=True) as budget, budget.rule(str(path)), captured():
            spec.loader.exec_module(module)
    except BaseException as exc:  # any failure in user code is reported, never skipped
        reraise_interrupt(exc)
        sys.modules.pop(module_name, None)
        return [], RuleError(str(path), f"failed to import: {describe(exc)}")
    rules = _collect(module, str(path), origin)
    if not rules:
        return [], RuleError(str(path), "defines no rule (no function decorated with @rule)")
    return rules, None
