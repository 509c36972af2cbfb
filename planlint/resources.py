"""Facts about AWS resource types, as data. Rules ask these; they hold no type lists of their own.

The stateful list starts from the one the CloudFormation linter keeps
(``StatefulResources.json``): types whose replacement or removal loses data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

STATEFUL_TYPES: frozenset[str] = frozenset(
    {
        "AWS::Backup::BackupVault",
        "AWS::CloudFormation::Stack",
        "AWS::Cognito::UserPool",
        "AWS::DocDB::DBCluster",
        "AWS::DocDB::DBInstance",
        "AWS::DynamoDB::GlobalTable",
        "AWS::DynamoDB::Table",
        "AWS::EC2::Volume",
        "AWS::EFS::FileSystem",
        "AWS::EMR::Cluster",
        "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::Elasticsearch::Domain",
        "AWS::FSx::FileSystem",
        "AWS::KMS::Key",
        "AWS::Kinesis::Stream",
        "AWS::Logs::LogGroup",
        "AWS::Neptune::DBCluster",
        "AWS::Neptune::DBInstance",
        "AWS::OpenSearchService::Domain",
        "AWS::Organizations::Account",
        "AWS::QLDB::Ledger",
        "AWS::RDS::DBCluster",
        "AWS::RDS::DBInstance",
        "AWS::Redshift::Cluster",
        "AWS::S3::Bucket",
        "AWS::SDB::Domain",
        "AWS::SQS::Queue",
        "AWS::SecretsManager::Secret",
    }
)

NESTED_STACK_TYPE = "AWS::CloudFormation::Stack"

# Bookkeeping resources that carry no state and whose replacement breaks nothing.
INERT_TYPES: frozenset[str] = frozenset({"AWS::CDK::Metadata"})


@dataclass(frozen=True)
class ResourceFacts:
    """What planlint knows about resource types; extra types (or globs) can be added."""

    stateful: frozenset[str] = STATEFUL_TYPES
    stateful_globs: tuple[str, ...] = ()
    inert: frozenset[str] = INERT_TYPES

    def is_stateful(self, resource_type: str | None) -> bool:
        """True for a type that holds data; a missing type is read as the riskiest: stateful."""
        if resource_type is None:
            return True
        return resource_type in self.stateful or any(fnmatchcase(resource_type, g) for g in self.stateful_globs)

    def is_inert(self, resource_type: str | None) -> bool:
        return resource_type in self.inert

    def is_nested_stack(self, resource_type: str | None) -> bool:
        return resource_type == NESTED_STACK_TYPE

    def with_stateful(self, extra: Iterable[str]) -> ResourceFacts:
        """These facts plus more stateful types; entries with ``*`` or ``?`` are globs."""
        names = {e for e in extra if not any(ch in e for ch in "*?[")}
        globs = tuple(e for e in extra if e not in names)
        return ResourceFacts(self.stateful | names, self.stateful_globs + globs, self.inert)


DEFAULT_FACTS = ResourceFacts()
