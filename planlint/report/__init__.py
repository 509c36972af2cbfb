"""Reports: the result of a run (``result.Report``) and one module per format that renders it,
their delivery to files and stdout (``delivery``), the masked view every output sees (``masked``)
and the rules' documentation (``rule_docs``). The package itself imports nothing, so the command
line reaches ``delivery`` without building the plan models."""
