"""Facts about AWS resource types, as data. Rules ask these; they hold no type lists of their own.

The stateful list starts from the one the CloudFormation linter keeps
(``StatefulResources.json``): types whose replacement or removal loses data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fnmatch import translate
from functools import cached_property

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

# Types CloudFormation snapshots before it deletes them when their ``DeletionPolicy`` or
# ``UpdateReplacePolicy`` is ``Snapshot`` (the DeletionPolicy attribute's list). On any other type
# ``Snapshot`` deletes without a snapshot, as ``Delete`` does.
SNAPSHOT_TYPES: frozenset[str] = frozenset(
    {
        "AWS::DocDB::DBCluster",
        "AWS::EC2::Volume",
        "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::Neptune::DBCluster",
        "AWS::RDS::DBCluster",
        "AWS::RDS::DBInstance",
        "AWS::Redshift::Cluster",
    }
)
# said of a ``Snapshot`` on any other type
NO_SNAPSHOT = "but CloudFormation cannot snapshot this type, so it is deleted without a snapshot"

# Identity and resource-policy types: who may do what. Every ``…Policy`` type counts (S3
# BucketPolicy, SQS QueuePolicy, SNS TopicPolicy, …) except the few that are not about access.
IDENTITY_TYPES: frozenset[str] = frozenset(
    {
        "AWS::IAM::AccessKey",
        "AWS::IAM::Group",
        "AWS::IAM::InstanceProfile",
        "AWS::IAM::OIDCProvider",
        "AWS::IAM::Role",
        "AWS::IAM::SAMLProvider",
        "AWS::IAM::ServiceLinkedRole",
        "AWS::IAM::User",
        "AWS::IAM::UserToGroupAddition",
        "AWS::Lambda::Permission",
        "AWS::SSO::Assignment",
        "AWS::SSO::PermissionSet",
    }
)
IDENTITY_GLOBS: tuple[str, ...] = ("AWS::*::*Policy",)
NOT_ACCESS_POLICY_TYPES: frozenset[str] = frozenset(
    {
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::AutoScaling::ScalingPolicy",
        "AWS::DLM::LifecyclePolicy",
    }
)
# Properties that carry a policy on types that are not policies themselves.
POLICY_PROPERTIES: frozenset[str] = frozenset(
    {"AssumeRolePolicyDocument", "KeyPolicy", "ManagedPolicyArns", "Policies", "PolicyDocument"}
)

# Types that decide what can reach what on the network.
NETWORK_TYPES: frozenset[str] = frozenset(
    {
        "AWS::EC2::NetworkAcl",
        "AWS::EC2::NetworkAclEntry",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SubnetNetworkAclAssociation",
    }
)

NESTED_STACK_TYPE = "AWS::CloudFormation::Stack"

# Bookkeeping resources that carry no state and whose replacement breaks nothing.
INERT_TYPES: frozenset[str] = frozenset({"AWS::CDK::Metadata"})


def is_glob(entry: str) -> bool:
    """An ``fnmatch`` pattern rather than a name: it has ``*``, ``?`` or ``[``."""
    return any(ch in entry for ch in "*?[")


@dataclass(frozen=True)
class TypeSet:
    """Resource types by exact name or glob (``Custom::*``), minus exceptions."""

    names: frozenset[str] = frozenset()
    globs: tuple[str, ...] = ()
    exceptions: frozenset[str] = frozenset()

    def __contains__(self, resource_type: object) -> bool:
        if not isinstance(resource_type, str) or resource_type in self.exceptions:
            return False
        return resource_type in self.names or (self._glob is not None and self._glob.match(resource_type) is not None)

    @cached_property
    def _glob(self) -> re.Pattern[str] | None:
        """The globs as one expression (``fnmatchcase`` of each, in one match: rules ask for every change)."""
        return re.compile("|".join(translate(g) for g in self.globs)) if self.globs else None

    def plus(self, extra: Iterable[str]) -> TypeSet:
        """This set and more types; entries with ``*``, ``?`` or ``[`` are globs."""
        extra = list(extra)
        names = frozenset(e for e in extra if not is_glob(e))
        globs = tuple(e for e in extra if is_glob(e))
        return TypeSet(self.names | names, self.globs + globs, self.exceptions - names)


@dataclass(frozen=True)
class ResourceFacts:
    """What planlint knows about resource types. Configuration can add types to each set."""

    stateful: TypeSet = TypeSet(STATEFUL_TYPES)
    identity: TypeSet = TypeSet(IDENTITY_TYPES, IDENTITY_GLOBS, NOT_ACCESS_POLICY_TYPES)
    network: TypeSet = TypeSet(NETWORK_TYPES)
    snapshot: TypeSet = TypeSet(SNAPSHOT_TYPES)
    policy_properties: frozenset[str] = POLICY_PROPERTIES
    inert: frozenset[str] = INERT_TYPES

    def is_stateful(self, resource_type: str | None) -> bool:
        """True for a type that holds data; a missing type is read as the riskiest: stateful."""
        return resource_type is None or resource_type in self.stateful

    def is_identity(self, resource_type: str | None) -> bool:
        """IAM principals and policies, resource policies, Lambda permissions, SSO assignments."""
        return resource_type in self.identity

    def is_network(self, resource_type: str | None) -> bool:
        """Security groups and their rules, network ACLs and their entries."""
        return resource_type in self.network

    def can_snapshot(self, resource_type: str | None) -> bool:
        """CloudFormation snapshots it before deleting it under a ``Snapshot`` policy; a missing type is
        read as the riskiest: it cannot."""
        return resource_type in self.snapshot

    def is_inert(self, resource_type: str | None) -> bool:
        return resource_type in self.inert

    def is_nested_stack(self, resource_type: str | None) -> bool:
        return resource_type == NESTED_STACK_TYPE

    def extended(
        self,
        stateful: Iterable[str] = (),
        identity: Iterable[str] = (),
        network: Iterable[str] = (),
        snapshot: Iterable[str] = (),
    ) -> ResourceFacts:
        """These facts with more types (or globs) in each set."""
        return replace(
            self,
            stateful=self.stateful.plus(stateful),
            identity=self.identity.plus(identity),
            network=self.network.plus(network),
            snapshot=self.snapshot.plus(snapshot),
        )


DEFAULT_FACTS = ResourceFacts()
