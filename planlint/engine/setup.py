"""A run set up before it reads a plan: the rules loaded (built-in, configured paths, ``--rules``,
installed packages), the configuration validated against them, the rules chosen, a rule left to run,
and the templates read — or, when any of that fails, one ``SetupError`` naming every problem. The
gate and ``--show-config`` judge a configuration here, the same way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planlint.config.errors import ConfigError
from planlint.config.rule_options import Options
from planlint.config.tables import Config
from planlint.engine import run as engine
from planlint.engine import waivers
from planlint.engine.budget import import_seconds
from planlint.engine.rule import Rule
from planlint.engine.settings import check_waiver_rules, rule_settings
from planlint.model.findings import FailOn, Severity
from planlint.model.plan import Plan
from planlint.read.declare import TemplateFiles, Templates
from planlint.read.template import TemplateError
from planlint.support.errors import ConfigurationError, RuleSetError


class SetupError(ConfigurationError):
    """planlint cannot start linting: bad configuration or selection (and why, line by line)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return list(self.problems)


class RulesNotLoaded(RuleSetError):
    """Rule modules or packages that could not be loaded, one line each: where a run that loads no
    rule it was not asked to stops (``--show-config``; ``lint`` runs the others and reports them)."""

    def __init__(self, errors: Sequence[engine.RuleError]) -> None:
        self.problems = [str(e) for e in errors]
        super().__init__("\n".join(self.problems))

    def lines(self) -> list[str]:
        return list(self.problems)


@dataclass
class Setup:
    """The rules to run and how: everything a run needs before it reads a plan."""

    rules: list[Rule]
    chosen: list[Rule]
    options: dict[str, Options]
    severities: dict[str, Severity]
    errors: list[engine.RuleError]

    @property
    def plan_rules(self) -> list[Rule]:
        """The chosen rules that run on plans (the waivers' own rules check the configuration)."""
        return [r for r in self.chosen if r not in waivers.RULES]

    @property
    def waiver_rules(self) -> list[Rule]:
        return [r for r in self.chosen if r in waivers.RULES]


def setup(config: Config, rule_dirs: Sequence[Path] = ()) -> Setup:
    """Load rules (built-in, configured paths, ``--rules``, packages) and validate the configuration
    against them. Raises ``SetupError`` with every problem, rule loading problems first."""
    named = [(d, config.where("rule_paths", i)) for i, d in enumerate(config.rule_directories())]
    named += [(Path(d), "--rules") for d in rule_dirs]
    missing = [engine.RuleError(f"{where}: {d}", "rule directory not found") for d, where in named if not d.is_dir()]
    directories = [(engine.builtin_rules_dir(), "built-in")]
    directories += [(d, "path") for d, _ in named if d.is_dir()]
    loaded, errors = engine.load_rules(directories, packages=True, seconds=import_seconds(config.rule_timeout))
    errors = [*missing, *errors]
    rules = [*loaded, *waivers.RULES]  # the waivers' own rules are named, configured and selected like any other
    try:
        options, severities = rule_settings(config, rules)
        check_waiver_rules(config, rules)
        chosen = engine.select(rules, config.select, config.ignore)
    except ConfigError as exc:
        raise SetupError([str(e) for e in errors] + [str(exc)]) from None
    except engine.SelectionError as exc:
        raise SetupError([str(e) for e in errors] + [f"{config.where(exc.key, exc.index)}: {exc}"]) from None
    return Setup(rules, chosen, options, severities, errors)


def check_rules_chosen(ready: Setup, config: Config) -> None:
    """Running no rule passes every plan: a configuration error, unless the gate is off anyway."""
    if not ready.plan_rules and config.fail_on is not FailOn.NEVER:
        raise SetupError(
            [str(e) for e in ready.errors]
            + [
                "no rule selected: --select/--ignore (or select/ignore in the configuration) leave no rule to run, "
                "so every plan would pass; select at least one rule, or use --fail-on never"
            ]
        )


def prepare(
    config: Config, rule_dirs: Sequence[Path] = (), templates: TemplateFiles | None = None
) -> tuple[Setup, Callable[[Plan], Templates]]:
    """Everything a run checks before it reads a plan — the rules loaded, the configuration
    validated against them, a rule left to run, the templates read (``templates``, default the
    configuration's by product) — and what it found; raises ``SetupError``. The gate and
    ``--show-config`` judge a configuration here, the same way."""
    ready = setup(config, rule_dirs)
    check_rules_chosen(ready, config)
    files = templates or TemplateFiles(by_product=tuple(config.templates))
    try:
        choose = files.read()
    except TemplateError as exc:
        where = _template_origin(config, files, exc.path)
        raise SetupError([f"{where}: {exc}" if where else str(exc)]) from None
    return ready, choose


def _template_origin(config: Config, files: TemplateFiles, path: str) -> str:
    """The option, or the file and key, that named the template at ``path`` ("": neither)."""
    if path == files.new:
        return "--template"
    if path == files.previous:
        return "--previous-template"
    for index, entry in enumerate(config.templates):
        if path in (entry.template, entry.previous_template):
            return config.where("templates", index, "template" if path == entry.template else "previous-template")
    return ""
