"""Fetch plans from AWS Service Catalog with boto3 — imported only when a plan is fetched.

``session`` makes the client, ``plans`` reads one plan's pages and the plan lists, ``fetch``
carries out a whole request within its deadline and saves what it fetched; every failure is an
``errors.AwsError``: one line saying what happened and what to do.
"""

from planlint.aws.errors import SERVICE, AwsError, describe
from planlint.aws.fetch import Fetched, fetch_and_save, fetch_many, fetch_requested
from planlint.aws.plans import all_plans, check_plan_id, fetch_plan, plans_of
from planlint.aws.session import client
from planlint.request import DEFAULT_INTERVAL, DEFAULT_JOBS, DEFAULT_TIMEOUT

__all__ = [
    "DEFAULT_INTERVAL",
    "DEFAULT_JOBS",
    "DEFAULT_TIMEOUT",
    "SERVICE",
    "AwsError",
    "Fetched",
    "all_plans",
    "check_plan_id",
    "client",
    "describe",
    "fetch_and_save",
    "fetch_many",
    "fetch_plan",
    "fetch_requested",
    "plans_of",
]
