"""Fetch plans from AWS Service Catalog with boto3 — imported only when a plan is fetched.

The package itself imports nothing: ``request`` (what to fetch, and its defaults) is read by the
command line's help without loading boto3.

``session`` makes the client, ``plans`` reads one plan's pages and the plan lists, ``fetch``
carries out a whole request within its deadline and saves what it fetched; every failure is an
``errors.AwsError``: one line saying what happened and what to do.
"""
