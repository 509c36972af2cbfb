"""Configuration: ``planlint.toml`` (or ``[tool.planlint]``) found, read, validated and shown, each
problem said as its file and key."""
