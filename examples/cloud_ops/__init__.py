"""An example owning team, cloud-ops: DynamoDB, RDS, Aurora and ElastiCache workflows on AWS."""
