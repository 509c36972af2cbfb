"""The plan as pure values: a DescribeProvisionedProductPlan or DescribeChangeSet response as frozen
pydantic models (``plan.Plan``), what its changes mean, findings, and facts about resource types."""
