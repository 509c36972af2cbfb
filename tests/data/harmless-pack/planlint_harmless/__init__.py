"""A rule that never finds anything."""

from planlint import Plan, Severity, rule


@rule("HARM001", "harmless-rule", severity=Severity.NOTE, tags={"harmless"})
def harmless_rule(plan: Plan):
    """## What it flags
    Nothing.

    ## Why it matters
    It shows that another installed rule pack changes no built-in verdict.

    ## How to fix
    Nothing to fix.

    ## Options
    None.
    """
    return ()
